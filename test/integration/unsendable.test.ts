import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * On the local stack (fauxqs, dynalite, the real entry points): send-example refuses a schema that
 * asks for too much with a 422; a payload holding characters SQS refuses is delivered intact; and an
 * event whose message SQS refuses for good ends its delivery exhausted with error "unsendable",
 * whether intake or the sweeper meets the refusal, and is no longer on the sweeper's list.
 */

let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({
    env: { LOCAL_OUTAGE_MS: "2000", LOCAL_OUTAGE_TARGETS: "sqs", LOCAL_SWEEP_INTERVAL_MS: "500", UNSENT_SWEEP_AFTER_SECONDS: "1" },
    args: ["--fault-injection"],
  });
  const raw = new DynamoDBClient({
    endpoint: stack.dynamoUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  documents = DynamoDBDocumentClient.from(raw);
});

afterAll(async () => {
  documents?.destroy();
  await stack?.stop("SIGKILL");
  await receiver?.close();
});

const deliveryOf = async (id: string, tenantId: string) =>
  (await stack.api("GET", `/v1/events/${id}?tenantId=${tenantId}`)).json?.deliveries?.[0];
const ended = (id: string, tenantId: string) =>
  eventually(async () => {
    const delivery = await deliveryOf(id, tenantId);
    return delivery?.status === "exhausted" ? delivery : undefined;
  });

describe("bounded examples and unsendable events on the local stack", () => {
  it("answers 422 example_too_large for schemas that ask for too much, and records nothing", async () => {
    const ep = (await stack.api("POST", "/v1/endpoints", { url: receiver.url, tenantId: "t-example" })).json;
    const nested = { type: "array", minItems: 2000, items: { type: "array", minItems: 2000, items: { type: "string" } } };
    for (const [name, schema] of [
      ["nested.big", { type: "object", required: ["rows"], properties: { rows: nested } }],
      ["string.big", { type: "string", minLength: 1e9 }],
      ["array.big", { type: "array", minItems: 3e6 }],
    ] as const) {
      expect((await stack.api("POST", "/v1/event-types", { name, description: "x", schema })).status).toBe(201);
      const answer = await stack.api("POST", `/v1/endpoints/${ep.id}/send-example`, { eventType: name });
      expect(answer).toMatchObject({ status: 422, json: { error: { code: "example_too_large" } } });
      expect(answer.json.error.details[0].path).toMatch(/^schema\..*min(Items|Length)$/);
    }
    expect((await stack.api("GET", "/v1/events?tenantId=t-example")).json.items).toEqual([]);
  });

  it("delivers a payload holding characters SQS refuses in a message, byte for byte", async () => {
    await stack.api("POST", "/v1/endpoints", { url: receiver.url, tenantId: "t-text" });
    const payload = { text: "\u{1F600} \uFFFF \uFFFE end" };
    const emitted = await stack.api("POST", "/v1/events", { id: "text-1", type: "a", payload, tenantId: "t-text" });
    expect(emitted.status).toBe(202);
    // webhook-id is the event's message id, never the caller's id.
    const request = await eventually(async () => receiver.requests.find((q) => q.headers["webhook-id"] === emitted.json.messageId));
    expect(request.body).toBe(JSON.stringify(payload));
  });

  it("ends an event SQS refuses for good as unsendable, at intake and by the sweeper, and leaves the sweeper nothing to retry", async () => {
    await stack.api("POST", "/v1/endpoints", { url: receiver.url, tenantId: "t-refused" });
    // The queues now take no message over 1 KiB, as a queue reconfigured under the dispatcher would.
    for (const QueueUrl of [stack.deliveryQueueUrl, stack.slowQueueUrl]) {
      await stack.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: "1024" } }));
    }
    const payload = { note: "x".repeat(2_000) };
    // At intake: accepted, and its delivery ends unsendable at once; no half-sent record.
    const emitted = await stack.api("POST", "/v1/events", { id: "big-1", type: "a", payload, tenantId: "t-refused" });
    expect(emitted.status).toBe(202);
    expect(await ended("big-1", "t-refused")).toMatchObject({ lastError: "unsendable" });
    const attempts = (await stack.api("GET", "/v1/events/big-1/attempts?tenantId=t-refused")).json.items;
    expect(attempts).toEqual([expect.objectContaining({ status: "exhausted", error: "unsendable" })]);

    // By the sweeper: intake fails for now (SQS unreachable) and records the event half-sent; the
    // sweeper then meets the refusal for good.
    stack.child.kill("SIGUSR2");
    await eventually(async () => /SIGUSR2: sqs unreachable/.test(stack.output()));
    const during = await stack.api("POST", "/v1/events", { id: "big-2", type: "a", payload, tenantId: "t-refused" });
    expect(during.status).toBe(503);
    expect(await ended("big-2", "t-refused")).toMatchObject({ lastError: "unsendable" });
    const events = new DynamoEventStore(documents, RESOURCE_NAMES.table);
    const left = await events.listUnsent(new Date(Date.now() + 60_000).toISOString(), 100);
    expect(left.map((e) => e.id)).not.toContain("big-2");
    expect(left.map((e) => e.id)).not.toContain("big-1");
    // Nothing of either event reached the receiver (webhook-id is a message id, so match the payload).
    expect(receiver.requests.filter((q) => q.body === JSON.stringify(payload))).toEqual([]);
  });
});
