import type { Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { isQueueArnOf } from "../../functions/adapters/sqs/sqs-delivery-queue.ts";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { createEndpoint, updateEndpoint } from "../../functions/core/endpoints/endpoints.ts";
import type { DeliveryMessage, Endpoint } from "../../functions/core/kernel/model.ts";
import type { SendResult } from "../../functions/core/policy/outcome.ts";
import { createDeliveryHandler } from "../../functions/delivery/handler.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { testDestinationRegistration } from "../support/destinations.ts";
import { sqsEvent } from "../support/emf.ts";
import { endpointFixture, MemoryQueue } from "../support/fakes.ts";
import { MemoryTenantStore } from "../support/memory-tenants.ts";

const message = (eventId = "evt_1"): DeliveryMessage => deliveryMessage({ eventId });

const received = (m: DeliveryMessage, receiveCount = 1, id = m.eventId): ReceivedMessage => ({
  messageId: id,
  receiptHandle: `rh-${id}-${receiveCount}`,
  body: JSON.stringify(m),
  receiveCount,
});

const answered = (statusCode: number, durationMs: number): SendResult => ({ kind: "response", statusCode, body: "", durationMs });
const timedOut = (durationMs: number): SendResult => ({ kind: "error", error: "timeout", message: "no answer", durationMs });

const BUDGET_MS = 500;
const SLOW_AFTER_MS = 200;
const EXIT_SUCCESSES = 3;
const MAX_EXIT_SUCCESSES = 12;
const DECAY_SECONDS = 600;
const LANE_SINCE = "2026-11-01T00:00:00.000Z";

let deps: TestDeliveryDeps;
let slowLane: MemoryQueue;
const lanes: string[] = [];

async function putEndpoint(overrides: Partial<Endpoint> = {}): Promise<void> {
  await deps.endpoints.put(endpointFixture(overrides));
}
const stored = (): Endpoint => deps.endpoints.items.get("ep_1") as Endpoint;

beforeEach(() => {
  deps = deliveryDeps([5, 300]);
  slowLane = deps.slowLane;
  lanes.length = 0;
  deps.policy = {
    ...deps.policy,
    lanes: {
      fastBudgetMs: BUDGET_MS,
      slowAfterMs: SLOW_AFTER_MS,
      exitSuccesses: EXIT_SUCCESSES,
      maxExitSuccesses: MAX_EXIT_SUCCESSES,
      exitDecaySeconds: DECAY_SECONDS,
    },
  };
  deps.onLaneMove = (event) => lanes.push(event.kind);
});

describe("the fast lane", () => {
  it("forwards a slow or probation endpoint's message to the slow lane unsent, unlogged, and acknowledges it", async () => {
    await putEndpoint({ lane: "probation", laneSince: LANE_SINCE });
    const m = message();
    const kept = await deliverBatch(deps, [received(m)]);
    expect(kept).toEqual([]);
    expect(deps.http.requests).toEqual([]);
    expect(deps.attempts.items).toEqual([]);
    expect(slowLane.requeued).toEqual([{ body: JSON.stringify(m), delaySeconds: 0, tenantId: m.tenantId }]);
    expect(lanes).toEqual(["forwarded"]);
  });

  it("marks a forwarded redelivery as resumed, so that the slow lane numbers its attempt from the log", async () => {
    await putEndpoint({ lane: "slow", laneSince: LANE_SINCE });
    await deliverBatch(deps, [received(message(), 2)]);
    expect(JSON.parse(slowLane.requeued[0]?.body ?? "{}")).toMatchObject({ eventId: "evt_1", resumed: true });
  });

  it("gives its POSTs the fast lane's budget, and an endpoint stored before lanes is fast", async () => {
    await putEndpoint();
    await deliverBatch(deps, [received(message())]);
    expect(deps.http.requests.map((r) => r.timeoutMs)).toEqual([BUDGET_MS]);
    expect(deps.attempts.items.map((a) => a.status)).toEqual(["succeeded"]);
    // A fast answer in the fast lane writes no lane state at all.
    expect(deps.health.writes).toEqual([]);
  });

  it("hands a POST that ran past the budget to the slow lane without an attempt or a retry, and moves its endpoint there", async () => {
    await putEndpoint();
    deps.http.answer = () => timedOut(BUDGET_MS);
    const m = message();
    const kept = await deliverBatch(deps, [received(m)]);
    expect(kept).toEqual([]);
    expect(deps.attempts.items).toEqual([]);
    expect(deps.queue.delays).toEqual([]);
    expect(slowLane.requeued).toEqual([{ body: JSON.stringify(m), delaySeconds: 0, tenantId: m.tenantId }]);
    expect(stored()).toMatchObject({ lane: "slow", laneSince: deps.clock.now().toISOString(), laneFastSuccesses: 0, laneDemotions: 1 });
    expect(lanes).toEqual(["entered_slow", "handed_over"]);
  });

  it("forwards the rest of the batch once one of its deliveries moved the endpoint", async () => {
    await putEndpoint();
    deps.http.answer = () => timedOut(BUDGET_MS);
    await deliverBatch({ ...deps, concurrency: 1 }, [received(message("evt_1")), received(message("evt_2"))]);
    expect(deps.http.requests).toHaveLength(1);
    expect(lanes).toEqual(["entered_slow", "handed_over", "forwarded"]);
  });

  it("settles a slow answer as usual and moves its endpoint to the slow lane", async () => {
    await putEndpoint();
    deps.http.answer = () => answered(200, SLOW_AFTER_MS + 1);
    await deliverBatch(deps, [received(message())]);
    expect(deps.attempts.items.map((a) => a.status)).toEqual(["succeeded"]);
    expect(slowLane.requeued).toEqual([]);
    expect(stored().lane).toBe("slow");
  });
});

describe("the slow lane", () => {
  beforeEach(() => {
    deps.lane = "slow";
  });

  it("gives its POSTs the sender's full timeout", async () => {
    await putEndpoint({ lane: "slow", laneSince: LANE_SINCE });
    await deliverBatch(deps, [received(message())]);
    expect(deps.http.requests.map((r) => r.timeoutMs)).toEqual([undefined]);
  });

  it("returns an endpoint to the fast lane after LANE_EXIT_SUCCESSES fast 2xx answers in a row", async () => {
    await putEndpoint({ lane: "probation", laneSince: LANE_SINCE });
    for (let i = 1; i < EXIT_SUCCESSES; i++) await deliverBatch(deps, [received(message(`evt_${i}`))]);
    expect(stored()).toMatchObject({ lane: "probation", laneFastSuccesses: EXIT_SUCCESSES - 1 });
    await deliverBatch(deps, [received(message("evt_last"))]);
    expect(stored()).toMatchObject({ lane: "fast", laneSince: deps.clock.now().toISOString(), laneFastSuccesses: 0 });
    expect(lanes).toEqual(["left_slow"]);
  });

  it("starts the run again after a slow answer or a failure", async () => {
    await putEndpoint({ lane: "slow", laneSince: LANE_SINCE });
    const answers = [answered(200, 5), answered(200, SLOW_AFTER_MS + 1), answered(200, 5), answered(500, 5), answered(200, 5)];
    for (const [i, answer] of answers.entries()) {
      deps.http.answer = () => answer;
      await deliverBatch(deps, [received(message(`evt_${i}`))]);
    }
    expect(stored()).toMatchObject({ lane: "slow", laneFastSuccesses: 1 });
  });

  it("records a timeout as a failed attempt on the schedule, and a probation endpoint that timed out becomes a slow one", async () => {
    await putEndpoint({ lane: "probation", laneSince: LANE_SINCE });
    deps.http.answer = () => timedOut(1_000);
    const kept = await deliverBatch(deps, [received(message())]);
    expect(kept).toEqual(["evt_1"]);
    expect(deps.attempts.items).toMatchObject([{ status: "failed", error: "timeout", attempt: 1 }]);
    expect(slowLane.requeued).toEqual([]);
    expect(stored()).toMatchObject({ lane: "slow", laneSince: deps.clock.now().toISOString() });
    expect(lanes).toEqual(["entered_slow"]);
  });

  it("delivers an endpoint that returned to the fast lane meanwhile, with no lane write", async () => {
    await putEndpoint({ lane: "fast", laneSince: LANE_SINCE });
    await deliverBatch(deps, [received(message())]);
    expect(deps.attempts.items.map((a) => a.status)).toEqual(["succeeded"]);
    expect(slowLane.requeued).toEqual([]);
    expect(deps.health.writes).toEqual([]);
  });
});

describe("the way back after moves out of the fast lane", () => {
  let seq = 0;
  /** One delivery by the worker of the lane the endpoint is in now, answered by `answer`. */
  async function deliver(answer: SendResult): Promise<void> {
    deps.lane = (stored().lane ?? "fast") === "fast" ? "fast" : "slow";
    deps.http.answer = () => answer;
    await deliverBatch(deps, [received(message(`evt_w${seq++}`))]);
  }
  const hang = () => deliver(timedOut(BUDGET_MS));
  const fastAnswers = async (n: number) => {
    for (let i = 0; i < n; i++) await deliver(answered(204, 5));
  };

  it("doubles the run of fast answers the way back takes with each move out, up to LANE_EXIT_MAX_SUCCESSES", async () => {
    await putEndpoint({ lane: "fast", laneSince: LANE_SINCE });
    const needed: number[] = [];
    for (let move = 1; move <= 4; move++) {
      await hang();
      expect(stored().lane).toBe("slow");
      let answers = 0;
      while (stored().lane !== "fast") {
        await fastAnswers(1);
        answers++;
      }
      needed.push(answers);
    }
    // EXIT_SUCCESSES 3: 6, 12, then the cap of 12.
    expect(needed).toEqual([2 * EXIT_SUCCESSES, 4 * EXIT_SUCCESSES, MAX_EXIT_SUCCESSES, MAX_EXIT_SUCCESSES]);
    expect(stored().laneDemotions).toBe(2);
  });

  it("records a slow answer in the fast lane as a move out, and nothing for a probation endpoint that answered slowly", async () => {
    await putEndpoint({ lane: "fast", laneSince: LANE_SINCE });
    await deliver(answered(204, SLOW_AFTER_MS + 1));
    expect(stored()).toMatchObject({ lane: "slow", laneDemotions: 1 });
    await putEndpoint({ lane: "probation", laneSince: LANE_SINCE });
    await deliver(answered(204, SLOW_AFTER_MS + 1));
    expect(stored().lane).toBe("slow");
    expect(stored().laneDemotions).toBeUndefined();
  });

  it("forgives one recorded move per LANE_EXIT_DECAY_SECONDS spent in the fast lane, at the next move out, with no write before it", async () => {
    const enteredFast = deps.clock.now().toISOString();
    await putEndpoint({ lane: "fast", laneSince: enteredFast, laneDemotions: 3 });
    deps.clock.advance(2.5 * DECAY_SECONDS * 1000);
    await fastAnswers(5);
    expect(deps.health.writes).toEqual([]);
    await hang();
    // 3 recorded, 2 forgiven, plus this move.
    expect(stored()).toMatchObject({ lane: "slow", laneDemotions: 2 });
  });

  it("ends the run when a slow-lane POST outlasts SLOW_LANE_AFTER_MS, though the batch read no run (another poller counted it meanwhile)", async () => {
    await putEndpoint({ lane: "slow", laneSince: LANE_SINCE, laneDemotions: 1 });
    deps.lane = "slow";
    deps.http.answer = () => {
      // While this POST is open, another poller counts fast answers that came after it.
      stored().laneFastSuccesses = 2 * EXIT_SUCCESSES - 1;
      return timedOut(1_000);
    };
    await deliverBatch(deps, [received(message())]);
    expect(stored()).toMatchObject({ lane: "slow", laneFastSuccesses: 0 });
    expect(deps.http.requests.map((r) => r.watchedAfterMs)).toEqual([SLOW_AFTER_MS]);
  });

  it("undoes a return to the fast lane made while a slow-lane POST hung, and records it as a move out", async () => {
    await putEndpoint({ lane: "probation", laneSince: LANE_SINCE });
    deps.lane = "slow";
    deps.http.answer = () => {
      // Another poller's fast answers graduated it while this POST was open.
      Object.assign(stored(), { lane: "fast", laneSince: "2026-11-01T00:00:01.000Z" });
      return answered(204, SLOW_AFTER_MS + 1);
    };
    await deliverBatch(deps, [received(message())]);
    expect(stored()).toMatchObject({ lane: "slow", laneSince: deps.clock.now().toISOString(), laneDemotions: 1 });
    expect(lanes).toEqual(["entered_slow"]);
  });

  it("moves a fast endpoint out as soon as its POST outlasts SLOW_LANE_AFTER_MS, once, though the POST runs on to the budget", async () => {
    await putEndpoint({ lane: "fast", laneSince: LANE_SINCE });
    let laneWhileOpen: string | undefined;
    deps.http.post = async (_url, _headers, _body, timeoutMs, watch) => {
      watch?.onSlow();
      // The POST stays open a while after the watch's time: the move is written meanwhile.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      laneWhileOpen = stored().lane;
      return timedOut(timeoutMs ?? BUDGET_MS);
    };
    await deliverBatch(deps, [received(message())]);
    expect(laneWhileOpen).toBe("slow");
    expect(stored()).toMatchObject({ lane: "slow", laneDemotions: 1 });
    expect(lanes).toEqual(["entered_slow", "handed_over"]);
  });

  it("keeps the recorded moves when the endpoint is given a new URL, so a new URL does not wipe its way back", async () => {
    const endpointDeps = {
      endpoints: deps.endpoints,
      clock: deps.clock,
      checkUrl: async () => undefined,
      maxEndpointsPerTenant: 10,
      tenants: new MemoryTenantStore(),
    };
    await putEndpoint({ lane: "slow", laneSince: LANE_SINCE, laneDemotions: 2 });
    const renamed = await updateEndpoint(endpointDeps, "ep_1", { url: "https://b.example/hook" } as never);
    expect(renamed).toMatchObject({ lane: "probation", laneDemotions: 2 });
  });
});

describe("the delivery function's two event sources", () => {
  const SLOW_URL = "http://127.0.0.1:9324/000000000000/hookrelay-slow-deliveries";

  it("knows the slow lane's records by their queue's ARN", () => {
    expect(isQueueArnOf(SLOW_URL, "arn:aws:sqs:us-east-1:000000000000:hookrelay-slow-deliveries")).toBe(true);
    expect(isQueueArnOf(SLOW_URL, "arn:aws:sqs:us-east-1:000000000000:hookrelay-deliveries")).toBe(false);
  });

  it("keeps a slow-lane batch's retries on the slow lane's queue", async () => {
    await putEndpoint({ lane: "slow", laneSince: LANE_SINCE });
    deps.http.answer = () => answered(500, 5);
    const slowQueue = new MemoryQueue();
    const handler = createDeliveryHandler(deps, undefined, {
      isSource: (arn) => isQueueArnOf(SLOW_URL, arn),
      ports: { queue: slowQueue, requeue: slowQueue },
    });
    const event = sqsEvent([JSON.stringify(message())]);
    for (const r of event.Records) r.eventSourceARN = "arn:aws:sqs:us-east-1:000000000000:hookrelay-slow-deliveries";
    const answer = await handler(event, {} as Context);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
    expect(slowQueue.delays).toHaveLength(1);
    expect(deps.queue.delays).toEqual([]);
    expect(slowLane.requeued).toEqual([]);
  });
});

describe("a new endpoint", () => {
  const endpointDeps = () => ({
    endpoints: deps.endpoints,
    clock: deps.clock,
    checkUrl: async () => undefined,
    maxEndpointsPerTenant: 10,
    tenants: new MemoryTenantStore(),
    destinations: testDestinationRegistration(),
  });

  it("starts in the probation lane, and so does one given a new URL", async () => {
    const created = await createEndpoint(endpointDeps(), { url: "https://a.example/hook" } as never);
    expect(created).toMatchObject({ lane: "probation", laneSince: deps.clock.now().toISOString() });
    await deps.health.moveLane(created.id, "probation", "fast", LANE_SINCE);
    const renamed = await updateEndpoint(endpointDeps(), created.id, { url: "https://b.example/hook" } as never);
    expect(renamed).toMatchObject({ lane: "probation", laneSince: deps.clock.now().toISOString() });
  });
});
