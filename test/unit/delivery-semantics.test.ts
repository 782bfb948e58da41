import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { beforeEach, describe, expect, it } from "vitest";
import { recordDeadLetter } from "../../functions/core/delivery/dead-letters.ts";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { rotateSecret } from "../../functions/core/endpoints/secret-rotation.ts";

import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { parseMessage } from "../../functions/core/kernel/queue-message.ts";
import type { SendResult } from "../../functions/core/policy/outcome.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { deadLetterDeps, endpointFixture } from "../support/fakes.ts";

const message = deliveryMessage;
let ids = 0;
const received = (m: DeliveryMessage | string, receiveCount = 1): ReceivedMessage => {
  const id = `m${++ids}`;
  return { messageId: id, receiptHandle: `rh-${id}`, body: typeof m === "string" ? m : JSON.stringify(m), receiveCount };
};
const status =
  (statusCode: number, retryAfter?: string): (() => SendResult) =>
  () => ({
    kind: "response",
    statusCode,
    body: "",
    durationMs: 1,
    ...(retryAfter !== undefined && { retryAfter }),
  });

let deps: TestDeliveryDeps;
beforeEach(async () => {
  deps = deliveryDeps([100, 200]);
  await deps.endpoints.put(endpointFixture());
});

describe("the Standard Webhooks status rules", () => {
  it("disables the endpoint at once on 410 Gone, ends the delivery, and says so", async () => {
    deps.http.answer = status(410);
    expect(await deliverBatch(deps, [received(message())])).toEqual([]);
    expect(deps.attempts.items[0]).toMatchObject({ status: "exhausted", statusCode: 410, error: "endpoint_gone" });
    expect(deps.endpoints.items.get("ep_1")).toMatchObject({ enabled: false, disabledReason: "gone", disabledAt: expect.any(String) });
    expect(deps.queue.deadLetters.map((d) => d.reason)).toEqual(["endpoint_gone"]);
    expect(deps.operational.types()).toEqual(["endpoint.disabled", "delivery.exhausted"]);
    expect(deps.operational.emitted[0]?.data).toMatchObject({ endpointId: "ep_1", reason: "gone" });
    // The next delivery to it is recorded as skipped, not sent.
    await deliverBatch(deps, [received(message({ eventId: "evt_2" }))]);
    expect(deps.http.requests).toHaveLength(1);
    expect(deps.attempts.items[1]).toMatchObject({ eventId: "evt_2", status: "skipped", error: "endpoint_disabled" });
  });

  it("backs off a 503 by Retry-After clamped to [delay, 2 x delay], at least the slow-down delay", async () => {
    deps.http.answer = status(503, "150");
    expect(await deliverBatch(deps, [received(message())])).toHaveLength(1);
    deps.http.answer = status(429, "9999");
    await deliverBatch(deps, [received(message({ eventId: "evt_2" }))]);
    deps.http.answer = status(502);
    await deliverBatch(deps, [received(message({ eventId: "evt_3" }))]);
    expect(deps.queue.delays.map((d) => d.seconds)).toEqual([150, 200, 100]);
    expect(deps.attempts.items.map((a) => Date.parse(a.nextAttemptAt ?? "") - deps.clock.time)).toEqual([150_000, 200_000, 100_000]);
  });

  it("follows the endpoint's own retry schedule over the global one", async () => {
    await deps.endpoints.put(endpointFixture({ retrySchedule: [7] }));
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message())]);
    await deliverBatch(deps, [received(message(), 2)]);
    expect(deps.queue.delays.map((d) => d.seconds)).toEqual([7]);
    expect(deps.attempts.items.map((a) => a.status)).toEqual(["failed", "exhausted"]);
  });
});

describe("endpoint health", () => {
  it("disables an endpoint failing for longer than ENDPOINT_DISABLE_AFTER_HOURS when a delivery is exhausted", async () => {
    const policy = deps.policy;
    deps.policy = { ...policy, disableAfterHours: 2, circuit: { ...policy.circuit, failureThreshold: 100 } };
    await deps.endpoints.put(endpointFixture({ retrySchedule: [60] }));
    deps.http.answer = status(500);
    const firstFailure = new Date(deps.clock.time).toISOString();
    await deliverBatch(deps, [received(message())]);
    expect(deps.endpoints.items.get("ep_1")?.failingSince).toBeUndefined();
    deps.clock.advance(3_600_000);
    await deliverBatch(deps, [received(message(), 2)]);
    // The second failure in a row makes a run, dated from the first.
    expect(deps.endpoints.items.get("ep_1")?.failingSince).toBe(firstFailure);
    expect(deps.endpoints.items.get("ep_1")?.enabled).toBe(true);
    deps.clock.advance(3_600_000);
    await deliverBatch(deps, [received(message({ eventId: "evt_2" }))]);
    await deliverBatch(deps, [received(message({ eventId: "evt_2" }), 2)]);
    expect(deps.endpoints.items.get("ep_1")).toMatchObject({ enabled: false, disabledReason: "failing" });
    expect(deps.operational.types().filter((t) => t === "endpoint.disabled")).toHaveLength(1);
  });

  it("writes health only on transitions: a run of failures starts once and ends at the first success", async () => {
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message()), received(message({ eventId: "evt_2" }))]);
    deps.http.answer = status(200);
    await deliverBatch(deps, [received(message({ eventId: "evt_3" })), received(message({ eventId: "evt_4" }))]);
    await deliverBatch(deps, [received(message({ eventId: "evt_5" }))]);
    expect(deps.health.writes).toEqual(["failing", "healthy"]);
  });

  it("spends no health write on lone failures between successes", async () => {
    for (const [i, code] of [500, 200, 500, 200].entries()) {
      deps.http.answer = status(code);
      await deliverBatch(deps, [received(message({ eventId: `evt_${i}` }))]);
    }
    expect(deps.health.writes).toEqual([]);
    expect(deps.endpoints.items.get("ep_1")?.failingSince).toBeUndefined();
  });
});

describe("the circuit breaker", () => {
  async function openCircuit() {
    deps.http.answer = status(500);
    for (let i = 1; i <= 3; i++) await deliverBatch(deps, [received(message({ eventId: `evt_f${i}` }))]);
    return deps.endpoints.items.get("ep_1")?.circuit;
  }

  it("opens after the threshold of consecutive failures and announces it", async () => {
    const circuit = await openCircuit();
    expect(circuit).toMatchObject({ state: "open", cooldownSeconds: 1 });
    expect(deps.operational.types()).toEqual(["endpoint.circuit_opened"]);
  });

  it("holds deliveries while open without attempting them, counting them or touching their schedule", async () => {
    const circuit = await openCircuit();
    const attemptsBefore = deps.attempts.items.length;
    const writesBefore = deps.health.writes.length;
    expect(await deliverBatch(deps, [received(message({ eventId: "evt_w" }))])).toEqual([]);
    expect(deps.http.requests).toHaveLength(3);
    expect(deps.attempts.items).toHaveLength(attemptsBefore);
    expect(deps.health.writes).toHaveLength(writesBefore);
    const [copy] = deps.queue.requeued;
    const waiting = parseMessage(copy?.body ?? "");
    expect(waiting).toMatchObject({ eventId: "evt_w" });
    // It counts in its tenant's share of the queue, as its first send did.
    expect(copy?.tenantId).toBe(message().tenantId);
    expect(Date.parse(waiting?.notBefore ?? "")).toBeGreaterThanOrEqual(Date.parse(circuit?.openUntil ?? ""));
    expect(copy?.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(copy?.delaySeconds).toBeLessThanOrEqual(900);
    // When it comes back after the cool-down, it is the probe, its first attempt, and it closes the circuit.
    deps.clock.advance(10_000);
    deps.http.answer = status(204);
    expect(await deliverBatch(deps, [received(copy?.body ?? "")])).toEqual([]);
    expect(deps.attempts.items.at(-1)).toMatchObject({ eventId: "evt_w", attempt: 1, status: "succeeded" });
    expect(deps.endpoints.items.get("ep_1")?.circuit).toBeUndefined();
    expect(deps.endpoints.items.get("ep_1")?.failingSince).toBeUndefined();
    expect(deps.operational.types()).toEqual(["endpoint.circuit_opened", "endpoint.circuit_closed"]);
  });

  it("sends a single probe when the cool-down ends; the others wait for it", async () => {
    await openCircuit();
    deps.clock.advance(2_000);
    deps.http.answer = status(500);
    const batch = [1, 2, 3].map((i) => received(message({ eventId: `evt_p${i}` })));
    await deliverBatch(deps, batch);
    expect(deps.http.requests).toHaveLength(4);
    expect(deps.queue.requeued).toHaveLength(2);
    // The failed probe opens the circuit again for twice the cool-down.
    expect(deps.endpoints.items.get("ep_1")?.circuit).toMatchObject({ state: "open", cooldownSeconds: 2 });
    expect(deps.operational.types()).toEqual(["endpoint.circuit_opened", "endpoint.circuit_opened"]);
  });

  it("lets a waiting copy hop until its time without reading anything", async () => {
    const later = new Date(deps.clock.time + 3_600_000).toISOString();
    deps.attempts.outage.down = true;
    expect(await deliverBatch(deps, [received(message({ notBefore: later, resumed: true }))])).toEqual([]);
    expect(deps.queue.requeued.map((r) => r.delaySeconds)).toEqual([900]);
    expect(parseMessage(deps.queue.requeued[0]?.body ?? "")).toMatchObject({ notBefore: later, resumed: true });
  });
});

describe("the rate limit", () => {
  it("sends at most rateLimitPerSecond a second; the rest wait, unattempted and uncounted", async () => {
    await deps.endpoints.put(endpointFixture({ rateLimitPerSecond: 2 }));
    const batch = [1, 2, 3, 4, 5].map((i) => received(message({ eventId: `evt_${i}` })));
    expect(await deliverBatch({ ...deps, concurrency: 1 }, batch)).toEqual([]);
    expect(deps.http.requests).toHaveLength(2);
    expect(deps.attempts.items).toHaveLength(2);
    const second = Math.floor(deps.clock.time / 1000);
    const notBefore = deps.queue.requeued.map((r) => Date.parse(parseMessage(r.body)?.notBefore ?? "") / 1000 - second);
    expect(notBefore).toEqual([1, 1, 2]);
  });
});

describe("retries and the redrive policy", () => {
  it("near maxReceiveCount, schedules the retry as a fresh copy so SQS's receive count cannot end the delivery", async () => {
    deps.http.answer = status(500);
    const kept = await deliverBatch(deps, [received(message(), 20)]);
    expect(kept).toEqual([]);
    expect(deps.queue.delays).toEqual([]);
    const copy = parseMessage(deps.queue.requeued[0]?.body ?? "");
    expect(copy).toMatchObject({ resumed: true, notBefore: deps.attempts.items[0]?.nextAttemptAt });
  });
});

describe("manual chains and operational events", () => {
  it("numbers a manual chain apart from the scheduled one, logs it as manual, and announces a recovery", async () => {
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message())]);
    deps.http.answer = status(200);
    await deliverBatch(deps, [received(message({ chain: "mabc", recovers: true }))]);
    expect(deps.attempts.items.map((a) => [a.trigger, a.chain, a.attempt, a.status])).toEqual([
      ["scheduled", undefined, 1, "failed"],
      ["manual", "mabc", 1, "succeeded"],
    ]);
    // A repeat of the same chain's message finds its chain done.
    await deliverBatch(deps, [received(message({ chain: "mabc", recovers: true }))]);
    expect(deps.http.requests).toHaveLength(2);
    expect(deps.operational.emitted.map((e) => [e.type, e.data.trigger])).toEqual([["delivery.recovered", "manual"]]);
  });

  it("announces delivery.recovered when a retry succeeds, and nothing about deliveries of operational events", async () => {
    deps.http.answer = status(200);
    await deliverBatch(deps, [received(message(), 2), received(message({ eventId: "evt_op", type: "delivery.exhausted" }), 2)]);
    expect(deps.attempts.items.map((a) => a.attempt)).toEqual([1, 1]);
    deps.attempts.items.length = 0;
    await deps.attempts.record({ ...baseAttempt("evt_op"), status: "failed" });
    await deps.attempts.record({ ...baseAttempt("evt_1"), status: "failed" });
    await deliverBatch(deps, [received(message(), 2), received(message({ eventId: "evt_op", type: "delivery.exhausted" }), 2)]);
    expect(deps.operational.emitted.map((e) => [e.type, e.data.eventId])).toEqual([["delivery.recovered", "evt_1"]]);
  });

  it("keeps delivering when an announcement cannot be emitted, but holds an exhausted message until delivery.exhausted is", async () => {
    const warnings: string[] = [];
    deps.operational.outage.down = true;
    deps.http.answer = status(410);
    expect(await deliverBatch({ ...deps, onWarning: (what) => warnings.push(what) }, [received(message())])).toHaveLength(1);
    expect(deps.endpoints.items.get("ep_1")?.enabled).toBe(false);
    expect(warnings).toEqual(["could not emit endpoint.disabled"]);
    expect(deps.queue.deadLetters).toEqual([]);
    deps.operational.outage.down = false;
    expect(await deliverBatch(deps, [received(message(), 2)])).toEqual([]);
    expect(deps.operational.types()).toEqual(["delivery.exhausted"]);
    expect(deps.queue.deadLetters.map((d) => d.reason)).toEqual(["endpoint_gone"]);
    expect(deps.http.requests).toHaveLength(1);
  });
});

describe("failures midway and superseded chains", () => {
  it("stops a scheduled chain that a recovery delivered meanwhile, but not a replay of a delivered event", async () => {
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message())]);
    deps.clock.advance(1000);
    deps.http.answer = status(200);
    await deliverBatch(deps, [received(message({ chain: "mrec", recovers: true }))]);
    // The scheduled retry finds the delivery done by the recovery: no second POST.
    expect(await deliverBatch(deps, [received(message(), 2)])).toEqual([]);
    expect(deps.http.requests).toHaveLength(2);
    // A replay begun after that success is sent, and so are its own retries.
    deps.clock.advance(1000);
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message({ chain: "mreplay" }))]);
    await deliverBatch(deps, [received(message({ chain: "mreplay" }), 2)]);
    expect(deps.http.requests).toHaveLength(4);
  });

  it("finishes an exhausted delivery on redelivery when the dead-letter send failed after its record", async () => {
    await deps.endpoints.put(endpointFixture({ retrySchedule: [100] }));
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message())]);
    deps.queue.outage.down = true;
    expect(await deliverBatch(deps, [received(message(), 2)])).toHaveLength(1);
    expect(deps.attempts.items.at(-1)?.status).toBe("exhausted");
    deps.queue.outage.down = false;
    expect(await deliverBatch(deps, [received(message(), 3)])).toEqual([]);
    expect(deps.http.requests).toHaveLength(2);
    expect(deps.queue.deadLetters.map((d) => d.reason)).toEqual(["exhausted"]);
    expect(deps.operational.types()).toContain("delivery.exhausted");
  });

  it("disables a gone endpoint on redelivery when the first try failed after its record", async () => {
    deps.http.answer = status(410);
    const disable = deps.health.disable.bind(deps.health);
    deps.health.disable = async () => {
      throw new Error("DynamoDB unreachable");
    };
    deps.queue.outage.down = true;
    await deliverBatch(deps, [received(message())]);
    expect(deps.endpoints.items.get("ep_1")?.enabled).toBe(true);
    deps.health.disable = disable;
    deps.queue.outage.down = false;
    await deliverBatch(deps, [received(message(), 2)]);
    expect(deps.endpoints.items.get("ep_1")).toMatchObject({ enabled: false, disabledReason: "gone" });
    expect(deps.http.requests).toHaveLength(1);
  });

  it("keeps the retry on schedule when a health write fails after the attempt", async () => {
    const warnings: string[] = [];
    deps.attempts.byEndpoint = async () => {
      throw new Error("DynamoDB unreachable");
    };
    deps.http.answer = status(500);
    expect(await deliverBatch({ ...deps, onWarning: (what) => warnings.push(what) }, [received(message())])).toHaveLength(1);
    expect(deps.queue.delays.map((d) => d.seconds)).toEqual([100]);
    expect(warnings).toEqual(["could not record endpoint health"]);
  });

  it("falls back to the visibility timeout when the fresh copy of a late retry cannot be sent", async () => {
    deps.http.answer = status(500);
    const failing = { ...deps, requeue: { later: async () => Promise.reject(new Error("SQS unreachable")) } };
    expect(await deliverBatch(failing, [received(message(), 20)])).toHaveLength(1);
    expect(deps.queue.delays.map((d) => d.seconds)).toEqual([100]);
  });
});

describe("the dead-letter consumer and the worker's endings", () => {
  const dlq = () => ({ ...deadLetterDeps(deps.attempts, deps.clock), operational: deps.operational });

  it("records nothing for a chain a recovery delivered after it began", async () => {
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message())]);
    deps.clock.advance(1000);
    deps.http.answer = status(200);
    await deliverBatch(deps, [received(message({ chain: "mrec", recovers: true }))]);
    const before = deps.attempts.items.length;
    expect(await recordDeadLetter(dlq(), JSON.stringify(message()))).toBeUndefined();
    expect(deps.attempts.items).toHaveLength(before);
  });

  it("announces an ending the worker logged but the queue dead-lettered before its announcement got out", async () => {
    await deps.endpoints.put(endpointFixture({ retrySchedule: [100] }));
    deps.http.answer = status(500);
    await deliverBatch(deps, [received(message())]);
    deps.operational.outage.down = true;
    await deliverBatch(deps, [received(message(), 2)]);
    expect(deps.operational.emitted).toEqual([]);
    deps.operational.outage.down = false;
    // SQS gives up on the message (no reason attribute): the consumer announces with the worker's key.
    expect(await recordDeadLetter(dlq(), JSON.stringify(message()))).toBeUndefined();
    expect(deps.operational.types()).toEqual(["delivery.exhausted"]);
    expect(deps.operational.emitted[0]?.data).toMatchObject({ eventId: "evt_1", attempts: 2, lastStatusCode: 500 });
  });

  it("does not skip the rest of a batch when the disable write fails, nor disable an endpoint given a new URL", async () => {
    deps.http.answer = status(410);
    const disable = deps.health.disable.bind(deps.health);
    deps.health.disable = async () => {
      throw new Error("DynamoDB unreachable");
    };
    await deliverBatch({ ...deps, concurrency: 1 }, [received(message()), received(message({ eventId: "evt_2" }))]);
    expect(deps.attempts.items.map((a) => a.status)).toEqual(["exhausted", "exhausted"]);
    expect(deps.http.requests).toHaveLength(2);
    deps.health.disable = disable;
    // A 410 from the old URL, judged after a PATCH moved the endpoint, does not disable it.
    expect(await deps.health.disable("ep_1", "gone", "2026-11-01T00:00:00.000Z", "https://old.example/hook")).toBe(false);
    expect(deps.endpoints.items.get("ep_1")?.enabled).toBe(true);
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the grace period, then with the new one only; either library verifies with either secret", async () => {
    const old = endpointFixture().secret;
    deps.clock.time = Date.now();
    const rotated = await rotateSecret(deps, "ep_1", { gracePeriodSeconds: 3600 });
    await deliverBatch(deps, [received(message())]);
    const during = deps.http.requests[0];
    expect(during?.headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    for (const secret of [rotated.secret, old]) {
      expect(new StandardWebhook(secret).verify(during?.body ?? "", during?.headers ?? {})).toEqual({ amount: 42 });
      expect(new SvixWebhook(secret).verify(during?.body ?? "", during?.headers ?? {})).toEqual({ amount: 42 });
      const svixHeaders = {
        "svix-id": during?.headers["webhook-id"] ?? "",
        "svix-timestamp": during?.headers["webhook-timestamp"] ?? "",
        "svix-signature": during?.headers["webhook-signature"] ?? "",
      };
      expect(new SvixWebhook(secret).verify(during?.body ?? "", svixHeaders)).toEqual({ amount: 42 });
    }
    deps.clock.time = Date.now() + 3_601_000;
    await deliverBatch(deps, [received(message({ eventId: "evt_2" }))]);
    const after = deps.http.requests[1];
    expect(after?.headers["webhook-signature"]).toMatch(/^v1,\S+$/);
    deps.clock.time = Date.now();
    // Re-sign "now" so that the libraries' 5-minute tolerance is not what refuses the old secret.
    await deps.endpoints.put({ ...(deps.endpoints.items.get("ep_1") ?? endpointFixture()), previousSecrets: [] });
    await deliverBatch(deps, [received(message({ eventId: "evt_3" }))]);
    const fresh = deps.http.requests[2];
    expect(new StandardWebhook(rotated.secret).verify(fresh?.body ?? "", fresh?.headers ?? {})).toEqual({ amount: 42 });
    expect(() => new StandardWebhook(old).verify(fresh?.body ?? "", fresh?.headers ?? {})).toThrow();
    expect(() => new SvixWebhook(old).verify(fresh?.body ?? "", fresh?.headers ?? {})).toThrow();
  });
});

function baseAttempt(eventId: string) {
  return {
    eventId,
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
