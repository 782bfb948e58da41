import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { USER_AGENT } from "../../functions/core/delivery/send.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

const message = deliveryMessage;

const received = (m: DeliveryMessage | string, receiveCount = 1, id = "m1"): ReceivedMessage => ({
  messageId: id,
  receiptHandle: `rh-${id}-${receiveCount}`,
  body: typeof m === "string" ? m : JSON.stringify(m),
  receiveCount,
});

describe("deliverBatch", () => {
  let deps: TestDeliveryDeps;

  beforeEach(async () => {
    deps = deliveryDeps([5, 300]);
    await deps.endpoints.put(endpointFixture({ headers: { "x-team": "billing" } }));
  });

  it("posts the raw body with Standard Webhooks headers a receiver library verifies", async () => {
    const kept = await deliverBatch(deps, [received(message())]);
    expect(kept).toEqual([]);
    const [request] = deps.http.requests;
    expect(request?.body).toBe('{"amount":42}');
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": "evt_1",
      "webhook-timestamp": String(Math.floor(deps.clock.time / 1000)),
      "x-team": "billing",
    });
    const verify = new Webhook(endpointFixture().secret);
    // The library checks the timestamp against its own clock; sign at "now" for this check.
    deps.clock.time = Date.now();
    await deliverBatch(deps, [received(message({ eventId: "evt_2" }))]);
    const live = deps.http.requests[1];
    expect(verify.verify(live?.body ?? "", live?.headers ?? {})).toEqual({ amount: 42 });
    expect(deps.attempts.items[0]).toMatchObject({
      status: "succeeded",
      attempt: 1,
      statusCode: 200,
      responseBody: "ok",
      trigger: "scheduled",
    });
  });

  it("records a failed attempt and hides the message for the jittered delay", async () => {
    deps.http.answer = () => ({ kind: "response", statusCode: 500, body: "boom", durationMs: 7 });
    deps.clock.randomValue = 0;
    const kept = await deliverBatch(deps, [received(message())]);
    expect(kept).toEqual(["m1"]);
    expect(deps.queue.delays).toEqual([{ receiptHandle: "rh-m1-1", seconds: 4 }]);
    expect(deps.attempts.items[0]).toMatchObject({
      status: "failed",
      attempt: 1,
      statusCode: 500,
      durationMs: 7,
      nextAttemptAt: new Date(deps.clock.time + 4000).toISOString(),
    });
  });

  it("numbers a redelivered attempt from the log, not from the receive count", async () => {
    deps.http.answer = () => ({ kind: "response", statusCode: 503, body: "", durationMs: 1 });
    await deliverBatch(deps, [received(message(), 1)]);
    // Receive 2 hit an outage of our own (no attempt made), receive 3 is the second attempt.
    deps.attempts.outage.down = true;
    expect(await deliverBatch(deps, [received(message(), 2)])).toEqual(["m1"]);
    deps.attempts.outage.down = false;
    await deliverBatch(deps, [received(message(), 3)]);
    expect(deps.attempts.items.map((a) => a.attempt)).toEqual([1, 2]);
    expect(deps.http.requests).toHaveLength(2);
  });

  it("exhausts after the last scheduled delay and moves the message to the dead-letter queue", async () => {
    deps.http.answer = () => ({ kind: "error", error: "connection", message: "ECONNREFUSED", durationMs: 1 });
    for (let receive = 1; receive <= 3; receive++) await deliverBatch(deps, [received(message(), receive)]);
    expect(deps.attempts.items.map((a) => a.status)).toEqual(["failed", "failed", "exhausted"]);
    expect(deps.attempts.items[2]?.error).toBe("connection");
    expect(deps.attempts.items[2]?.nextAttemptAt).toBeUndefined();
    expect(deps.queue.deadLetters).toEqual([{ body: JSON.stringify(message()), reason: "exhausted" }]);
  });

  it("finishes a delivery that already ended when the message comes back after a crash", async () => {
    await deps.attempts.record({ ...baseAttempt(), status: "succeeded" });
    expect(await deliverBatch(deps, [received(message(), 2)])).toEqual([]);
    expect(deps.http.requests).toHaveLength(0);
  });

  it("records no failed attempt when our own log write fails: the queue redelivers", async () => {
    deps.attempts.outage.down = true;
    const errors: unknown[] = [];
    const kept = await deliverBatch({ ...deps, onError: (_m, e) => errors.push(e) }, [received(message())]);
    expect(kept).toEqual(["m1"]);
    expect(deps.queue.delays).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it("skips a disabled or deleted endpoint, with a record, and dead-letters the deleted one's message", async () => {
    await deps.endpoints.put(endpointFixture({ id: "ep_off", enabled: false }));
    const kept = await deliverBatch(deps, [
      received(message({ endpointId: "ep_off" }), 1, "a"),
      received(message({ endpointId: "ep_gone" }), 1, "b"),
      received(message({ eventId: "evt_ok" }), 1, "c"),
    ]);
    expect(kept).toEqual([]);
    expect(deps.http.requests.map((r) => r.headers["webhook-id"])).toEqual(["evt_ok"]);
    expect(deps.attempts.items.map((a) => [a.endpointId, a.status, a.error])).toEqual([
      ["ep_off", "skipped", "endpoint_disabled"],
      ["ep_gone", "skipped", "endpoint_deleted"],
      ["ep_1", "succeeded", undefined],
    ]);
    expect(deps.queue.deadLetters).toEqual([{ body: JSON.stringify(message({ endpointId: "ep_gone" })), reason: "endpoint_deleted" }]);
  });

  it("never sends a message to an endpoint of another tenant: it is dead-lettered, nothing logged", async () => {
    await deps.endpoints.put(endpointFixture({ id: "ep_other", tenantId: "globex" }));
    expect(await deliverBatch(deps, [received(message({ endpointId: "ep_other" }))])).toEqual([]);
    expect(deps.http.requests).toHaveLength(0);
    expect(deps.attempts.items).toEqual([]);
    expect(deps.queue.deadLetters.map((d) => d.reason)).toEqual(["tenant_mismatch"]);
  });

  it("dead-letters an unparsable message without holding up the rest of the batch", async () => {
    const kept = await deliverBatch(deps, [received("not json", 1, "bad"), received(message(), 1, "good")]);
    expect(kept).toEqual([]);
    expect(deps.queue.deadLetters).toEqual([{ body: "not json", reason: "unparsable" }]);
    expect(deps.http.requests).toHaveLength(1);
  });

  it("sends the messages of a batch concurrently and reads each endpoint once", async () => {
    let inFlight = 0;
    let peak = 0;
    let reads = 0;
    const get = deps.endpoints.get.bind(deps.endpoints);
    deps.endpoints.get = async (id) => {
      reads++;
      return get(id);
    };
    deps.http.post = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { kind: "response", statusCode: 200, body: "", durationMs: 5 };
    };
    const batch = Array.from({ length: 10 }, (_, i) => received(message({ eventId: `evt_${i}` }), 1, `m${i}`));
    expect(await deliverBatch(deps, batch)).toEqual([]);
    expect(peak).toBe(10);
    expect(reads).toBe(1);
  });

  it("keeps only the first 4 KB of a response body", async () => {
    deps.http.answer = () => ({ kind: "response", statusCode: 200, body: "é".repeat(5000), durationMs: 1 });
    await deliverBatch(deps, [received(message())]);
    const body = deps.attempts.items[0]?.responseBody ?? "";
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    expect(body).toBe("é".repeat(2048));
  });
});

function baseAttempt() {
  return {
    eventId: "evt_1",
    endpointId: "ep_1",
    tenantId: "default",
    attempt: 1,
    trigger: "scheduled" as const,
    url: "https://receiver.example/hook",
    at: "2026-11-01T00:00:00.000Z",
    durationMs: 1,
    expiresAt: 0,
  };
}
