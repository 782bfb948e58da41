/**
 * FAIR_QUEUES end to end inside one function: the runtime is built from an environment as Lambda
 * gives it, and its queue and requeue adapters send to a recording SQS on 127.0.0.1. With
 * FAIR_QUEUES=true (the functions' default) every SendMessageBatch entry and every delayed copy
 * carries its tenant as MessageGroupId on the wire; with false none does, as a partition without
 * SQS fair queues needs (a standard queue there refuses the parameter).
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { createRuntime } from "../../functions/runtime.ts";

interface Recorded {
  target: string;
  body: { Entries?: { Id: string; MessageBody: string; MessageGroupId?: string }[]; MessageBody?: string; MessageGroupId?: string };
}

let server: Server;
let url: string;
const recorded: Recorded[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = JSON.parse(raw) as Recorded["body"];
      recorded.push({ target, body });
      // The SDK checks each body's MD5 against the answer.
      const md5 = (text = "") => createHash("md5").update(text).digest("hex");
      const answer = target.endsWith("SendMessageBatch")
        ? {
            Successful: (body.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })),
            Failed: [],
          }
        : { MessageId: "m", MD5OfMessageBody: md5(body.MessageBody) };
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  vi.stubEnv("AWS_ENDPOINT_URL_SQS", url);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

const message = (i: number, tenantId: string): DeliveryMessage => ({
  v: 1,
  eventId: `evt_${i}`,
  endpointId: "ep_1",
  tenantId,
  type: "invoice.paid",
  createdAt: "2026-12-02T01:00:00.000Z",
  body: "{}",
});

/** A runtime from a Lambda-like environment, FAIR_QUEUES as given (undefined: unset). */
function runtimeWith(fairQueues: string | undefined) {
  return createRuntime("api", {
    TABLE_NAME: "hookrelay",
    DELIVERY_QUEUE_URL: `${url}/000000000000/hookrelay-deliveries`,
    SLOW_QUEUE_URL: `${url}/000000000000/hookrelay-slow-deliveries`,
    DEAD_LETTER_QUEUE_URL: `${url}/000000000000/hookrelay-dead-letters`,
    LOG_LEVEL: "ERROR",
    ...(fairQueues !== undefined && { FAIR_QUEUES: fairQueues }),
  });
}

describe("the FAIR_QUEUES setting", () => {
  it.each([
    [undefined, true],
    ["true", true],
    ["false", false],
  ] as const)("FAIR_QUEUES=%s: group ids on the wire %s, for both lanes and delayed copies", async (raw, grouped) => {
    recorded.length = 0;
    const runtime = runtimeWith(raw);
    const tenants = ["tenant-a", "tenant-b", "tenant-c"];
    const messages = Array.from({ length: 23 }, (_, i) => message(i, tenants[i % 3] as string));
    expect(await runtime.queue.send(messages)).toEqual([]);
    expect(await runtime.slowLane?.queue.send(messages.slice(0, 4))).toEqual([]);
    await runtime.requeue.later("{}", 5, "tenant-a");
    await runtime.slowLane?.requeue.later("{}", 5, "tenant-b");
    const entries = recorded.flatMap((r) => r.body.Entries ?? []);
    expect(entries).toHaveLength(27);
    const singles = recorded.filter((r) => r.target.endsWith(".SendMessage"));
    expect(singles).toHaveLength(2);
    if (grouped) {
      for (const entry of entries) expect(entry.MessageGroupId).toBe((JSON.parse(entry.MessageBody) as DeliveryMessage).tenantId);
      expect(singles.map((r) => r.body.MessageGroupId)).toEqual(["tenant-a", "tenant-b"]);
    } else {
      for (const sent of [...entries, ...singles.map((r) => r.body)]) expect(sent).not.toHaveProperty("MessageGroupId");
    }
  });
});
