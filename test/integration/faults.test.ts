import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

const dirs: string[] = [];
const stacks: RunningStack[] = [];
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  await Promise.all(receivers.map((r) => r.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, env: Record<string, string> = {}, args: string[] = []) {
  const stack = await startStack({ dataDir, env: { RETRY_SCHEDULE: "1,1", LOCAL_VISIBILITY_TIMEOUT_SECONDS: "2", ...env }, args });
  stacks.push(stack);
  return stack;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-faults-"));
  dirs.push(dir);
  return dir;
}

describe("faults", () => {
  it("finishes the deliveries in flight on SIGTERM before exiting", async () => {
    const r = await startReceiver(() => ({ status: 200, delayMs: 1_500 }));
    receivers.push(r);
    const dir = tempDir();
    const stack = await start(dir);
    const ep = (await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-term" })).json;
    const event = (await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-term" })).json;
    await eventually(async () => r.requests.length === 1);
    expect(await stack.stop("SIGTERM")).toBe(0);
    expect(stack.output()).toMatch(/SIGTERM: finishing deliveries in flight, then stopping\n(.*\n)*stopped in \d+\.\d s: /);

    const again = await start(dir);
    const view = (await again.api("GET", `/v1/events/${event.id}?tenantId=t-term`)).json;
    expect(view.deliveries).toEqual([expect.objectContaining({ endpointId: ep.id, status: "succeeded", attempts: 1 })]);
    expect(r.requests).toHaveLength(1);
    expect(await again.stop("SIGTERM")).toBe(0);
  });

  it("answers 503 during a DynamoDB and SQS outage, records no false failure, and resumes by itself", async () => {
    const r = await startReceiver(() => ({ status: 200, delayMs: 1_000 }));
    receivers.push(r);
    // A visibility timeout well over the outage, as in AWS (6 x the function timeout): the message
    // stays hidden while the worker waits out the outage to log its attempt.
    const stack = await start(tempDir(), { LOCAL_OUTAGE_MS: "3000", LOCAL_VISIBILITY_TIMEOUT_SECONDS: "10" }, ["--fault-injection"]);
    const ep = (await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-outage" })).json;
    const inFlight = (await stack.api("POST", "/v1/events", { type: "a", payload: "in flight", tenantId: "t-outage" })).json;
    // The outage starts while the receiver is answering: the worker cannot log the attempt.
    await eventually(async () => r.requests.length === 1);
    stack.child.kill("SIGUSR2");
    await eventually(async () => /SIGUSR2: dynamodb and sqs unreachable/.test(stack.output()));

    const body = { type: "a", payload: "during outage", tenantId: "t-outage" };
    const refused = await stack.api("POST", "/v1/events", body, { "idempotency-key": "outage-1" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.json.error.code).toBe("dependency_unavailable");
    // The caller's retry with the same key goes through once the dependencies are back.
    const accepted = await eventually(async () => {
      const response = await stack.api("POST", "/v1/events", body, { "idempotency-key": "outage-1" });
      return response.status === 202 ? response.json : undefined;
    });

    for (const id of [inFlight.id, accepted.id]) {
      const delivery = await eventually(async () => {
        const d = (await stack.api("GET", `/v1/events/${id}?tenantId=t-outage`)).json.deliveries[0];
        return d.status === "succeeded" ? d : undefined;
      });
      expect(delivery).toMatchObject({ endpointId: ep.id, attempts: 1 });
    }
    const attempts = (await stack.api("GET", `/v1/endpoints/${ep.id}/attempts`)).json.items;
    expect(attempts.every((a: { status: string }) => a.status === "succeeded")).toBe(true);
    // The worker kept retrying the log write of the delivery in flight through the outage: no duplicate.
    expect(r.requests.filter((q) => q.headers["webhook-id"] === inFlight.messageId)).toHaveLength(1);
    expect(r.requests.filter((q) => q.headers["webhook-id"] === accepted.messageId)).toHaveLength(1);
    expect(await stack.stop("SIGTERM")).toBe(0);
  });

  it("sends, by the sweeper, what an SQS outage left unsent when the caller never repeats", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const env = { LOCAL_OUTAGE_MS: "2000", LOCAL_OUTAGE_TARGETS: "sqs", LOCAL_SWEEP_INTERVAL_MS: "500", UNSENT_SWEEP_AFTER_SECONDS: "1" };
    const stack = await start(tempDir(), env, ["--fault-injection"]);
    const ep = (await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-sweep" })).json;
    stack.child.kill("SIGUSR2");
    await eventually(async () => /SIGUSR2: sqs unreachable/.test(stack.output()));
    const refused = await stack.api("POST", "/v1/events", { id: "left-behind", type: "a", payload: 1, tenantId: "t-sweep" });
    expect(refused.status).toBe(503);
    // Nobody repeats the call: the event was recorded with its unsent message, and the sweeper sends it.
    const delivery = await eventually(async () => {
      const view = await stack.api("GET", "/v1/events/left-behind?tenantId=t-sweep");
      return view.json?.deliveries?.[0]?.status === "succeeded" ? view.json : undefined;
    });
    expect(delivery.deliveries[0]).toMatchObject({ endpointId: ep.id, attempts: 1 });
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([delivery.messageId]);
    expect(await stack.stop("SIGTERM")).toBe(0);
  });

  it("dead-letters a poison message with its reason without holding up its batch", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const stack = await start(tempDir(), {}, ["--no-dead-letter-consumer"]);
    await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-poison" });
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.deliveryQueueUrl,
        Entries: [
          { Id: "poison", MessageBody: "{not json" },
          { Id: "wrong-version", MessageBody: JSON.stringify({ v: 99, eventId: "x" }) },
        ],
      }),
    );
    const event = (await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-poison" })).json;
    await eventually(async () => r.requests.some((q) => q.headers["webhook-id"] === event.messageId));
    const dead = await eventually(async () => {
      const messages = await stack.deadLetters();
      return messages.length >= 2 ? messages : undefined;
    });
    expect(dead.map((m) => [m.Body, m.MessageAttributes?.reason?.StringValue]).sort()).toEqual([
      ['{"v":99,"eventId":"x"}', "unparsable"],
      ["{not json", "unparsable"],
    ]);
    expect(await stack.stop("SIGTERM")).toBe(0);
  });
});
