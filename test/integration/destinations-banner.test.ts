import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * What `npm start` prints for AWS destinations, run as a user runs it: the emulators' URLs on
 * 127.0.0.1, then the printed commands create a queue, register it as an sqs destination and read
 * the signed delivery that arrived.
 */
const run = promisify(execFile);
let stack: RunningStack;
let section: string;

beforeAll(async () => {
  stack = await startStack({ quiet: false });
  await eventually(async () => stack.output().includes("read what arrived") && stack.output().includes("ReceiveMessage"));
  section = stack.output().slice(stack.output().indexOf("AWS destinations:"));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

it("prints the emulators' URLs on loopback, and commands that create, register and read a queue", async () => {
  for (const service of ["SQS, SNS, S3", "Kinesis", "EventBridge"])
    expect(section).toMatch(new RegExp(`${service}\\s+http://127\\.0\\.0\\.1:\\d+`));
  // The block's commands, as indented under its comment (the log lines after it are not indented).
  const block = section.slice(section.indexOf("# create a queue")).split("\n").slice(1);
  const lines = block
    .slice(
      0,
      block.findIndex((l) => !l.startsWith("  ")),
    )
    .map((l) => l.slice(2));
  const receive = lines.pop() as string;
  expect(receive).toContain("AmazonSQS.ReceiveMessage");
  const created = await run("bash", ["-c", `set -e\n${lines.join("\n")}`]);
  const endpoint = JSON.parse(created.stdout.trim().split("\n").at(-1) as string) as { id: string; secret: string; kind: string };
  expect(endpoint.kind).toBe("sqs");
  await stack.api("POST", "/v1/events", { type: "invoice.paid", payload: { invoice: "in_1" } });
  const received = await eventually(async () => {
    const out = JSON.parse((await run("bash", ["-c", receive])).stdout) as {
      Messages?: { Body: string; MessageAttributes: Record<string, { StringValue: string }> }[];
    };
    return out.Messages?.[0];
  });
  const attributes = Object.fromEntries(Object.entries(received.MessageAttributes).map(([k, v]) => [k, v.StringValue]));
  expect(new Webhook(endpoint.secret).verify(received.Body, attributes)).toEqual({ invoice: "in_1" });
});
