/**
 * The local stack's servers outlive what a client or a stranger on loopback can send them: a
 * request cut off mid-body, a body that is not the protocol's, a path with a malformed escape. Each
 * of these once ended the whole `npm start` process (or `npm run receiver`) with a stack trace.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { KinesisClient, ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterEach, describe, expect, it } from "vitest";
import { startDestinationFaults } from "../../local/destination-faults.ts";
import { startDynamo, startKinesis } from "../../local/emulators.ts";
import { startRecordingEventBridge } from "../../local/recording-aws.ts";
import { freePort } from "../support/free-port.ts";
import { eventually } from "../support/local-stack.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
/** A server that failed as these did leaves the request unanswered: the test fails, it does not hang. */
const answerWithin = () => AbortSignal.timeout(10_000);

/** Sends the head of a POST that announces 100 bytes of body, a part of the body, then hangs up. */
async function hangUpMidBody(url: string, headers: Record<string, string>): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const head = Object.entries({ host: `${hostname}:${port}`, "content-length": "100", ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.write(`POST / HTTP/1.1\r\n${head}\r\n{"partial":`);
  await new Promise<void>((resolve) => socket.end(resolve));
  socket.destroy();
  await new Promise<void>((resolve) => socket.once("close", () => resolve()));
}

describe("the emulators", () => {
  it("dynalite answers after a client hung up in the middle of a request body", async () => {
    const dynamo = await startDynamo(undefined);
    cleanups.push(() => dynamo.stop());
    await hangUpMidBody(dynamo.url, { "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.ListTables" });
    const client = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: CREDENTIALS });
    // Several round trips: the hang-up is handled on this process's event loop before they all come back.
    for (let i = 0; i < 5; i++) expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it("kinesalite answers after a client hung up in the middle of a request body", async () => {
    const kinesis = await startKinesis();
    cleanups.push(() => kinesis.stop());
    await hangUpMidBody(kinesis.url, { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Kinesis_20131202.ListStreams" });
    // Over HTTP/1.1, as the destination adapter calls it (the client's default handler is HTTP/2).
    const client = new KinesisClient({
      endpoint: kinesis.url,
      region: "us-east-1",
      credentials: CREDENTIALS,
      requestHandler: new NodeHttpHandler(),
    });
    for (let i = 0; i < 5; i++) expect((await client.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
  });
});

describe("the recording EventBridge", () => {
  it("answers 400 SerializationException to a body that is not a PutEvents request, and records the next good one", async () => {
    const bus = await startRecordingEventBridge();
    cleanups.push(() => bus.stop());
    const put = (body: string) =>
      fetch(bus.url, {
        signal: answerWithin(),
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.PutEvents" },
        body,
      });
    for (const body of ["not json", '{"Entries": 5}', '{"Entries": [null]}', "null"]) {
      const answer = await put(body);
      expect(answer.status, body).toBe(400);
      expect(((await answer.json()) as { __type: string }).__type, body).toBe("SerializationException");
    }
    const entry = { EventBusName: "bus", Source: "hookrelay", DetailType: "invoice.paid", Detail: "{}" };
    expect((await put(JSON.stringify({ Entries: [entry] }))).status).toBe(200);
    expect(bus.events).toEqual([entry]);
  });
});

describe("the customer account's fault proxy", () => {
  it("forwards a path with a malformed escape unchanged instead of failing to decode it", async () => {
    const paths: string[] = [];
    const upstream = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      res.writeHead(200).end("upstream");
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise((resolve) => upstream.close(resolve)));
    const proxy = await startDestinationFaults(`http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`, "json");
    cleanups.push(() => proxy.stop());
    proxy.fault("orders", { status: 400, code: "AccessDenied" });
    const bad = await fetch(`${proxy.url}/%zz`, { signal: answerWithin() });
    expect(bad.status).toBe(200);
    expect(await bad.text()).toBe("upstream");
    expect(paths).toEqual(["/%zz"]);
    // Names are still matched in decoded paths.
    expect((await fetch(`${proxy.url}/%6Frders`, { signal: answerWithin() })).status).toBe(400);
    expect(proxy.faulted()).toBe(1);
  });
});

describe("npm run receiver", () => {
  it("prints and answers the next webhook after a sender hung up in the middle of a body", async () => {
    const port = await freePort();
    const receiver = spawn(process.execPath, [fileURLToPath(new URL("../../local/receiver.ts", import.meta.url))], {
      env: { ...process.env, RECEIVER_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    receiver.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    receiver.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => receiver.once("exit", (code) => resolve(code)));
    cleanups.push(async () => {
      receiver.kill("SIGKILL");
      await exited;
    });
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => output.includes(`listening on ${url}`), 30_000);
    await hangUpMidBody(url, { "content-type": "application/json", "webhook-id": "msg_cut" });
    const answer = await fetch(`${url}/webhooks`, {
      signal: answerWithin(),
      method: "POST",
      headers: { "webhook-id": "msg_whole" },
      body: '{"whole":true}',
    });
    expect(answer.status).toBe(204);
    await eventually(async () => output.includes("webhook-id=msg_whole"));
    expect(output).not.toContain("msg_cut");
    expect(receiver.exitCode).toBeNull();
  });
});
