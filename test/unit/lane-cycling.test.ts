import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { demotionCap, exitSuccessesNeeded, type LaneExitRule } from "../../functions/core/delivery/lane-exit.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import type { Endpoint, Lane } from "../../functions/core/kernel/model.ts";
import type { SendResult } from "../../functions/core/policy/outcome.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

/*
 * Receivers that cycle between the lanes, generated, fed one POST at a time through the delivery
 * pipeline (the fast lane's worker while the endpoint is fast, the slow lane's otherwise). A "stall"
 * is a fast-lane POST that took longer than SLOW_LANE_AFTER_MS: it is what holds up the batches the
 * endpoint shares with others. However a receiver orders its fast answers, slow answers, hangs and
 * errors, its stalls stay within what the way-back rule (lane-exit.ts) allows: logarithmic in the
 * number of answers below the cap, and one per LANE_EXIT_MAX_SUCCESSES answers at it.
 */

const BUDGET_MS = 500;
const SLOW_AFTER_MS = 200;
const TIMEOUT_MS = 1_000;
const DECAY_SECONDS = 3_600;
const DEFAULT_RULE: LaneExitRule = { exitSuccesses: 5, maxExitSuccesses: 640, exitDecaySeconds: DECAY_SECONDS };

type Answer = "fast" | "slow" | "hang" | "error";
/** Chooses the receiver's next answer from what it can see of its endpoint (a cycling receiver may well know the rule). */
type Receiver = (endpoint: Endpoint, i: number) => Answer;

function sendResult(answer: Answer, timeoutMs: number | undefined): SendResult {
  const response = (statusCode: number, durationMs: number): SendResult => ({ kind: "response", statusCode, body: "", durationMs });
  if (answer === "fast") return response(204, 5);
  if (answer === "error") return response(500, 5);
  if (answer === "slow") return response(204, SLOW_AFTER_MS + 1);
  return { kind: "error", error: "timeout", message: "no answer", durationMs: timeoutMs ?? TIMEOUT_MS };
}

function laneDeps(rule: LaneExitRule): TestDeliveryDeps {
  const deps = deliveryDeps([5, 300]);
  deps.policy = {
    ...deps.policy,
    // The circuit breaker stays out of the way: every answer here is a POST.
    circuit: { ...deps.policy.circuit, failureThreshold: 1_000_000 },
    lanes: { fastBudgetMs: BUDGET_MS, slowAfterMs: SLOW_AFTER_MS, ...rule },
  };
  return deps;
}

interface Run {
  stalls: number;
  /** Time the endpoint spent in the fast lane. */
  fastMs: number;
  deps: TestDeliveryDeps;
}

/**
 * Makes `answers` POSTs to one endpoint starting in `start`, each answered as `receiver` says;
 * `quietMs` is how long the clock runs before each (the gaps between deliveries).
 */
async function drive(
  rule: LaneExitRule,
  start: Lane,
  answers: number,
  receiver: Receiver,
  quietMs: (endpoint: Endpoint) => number = () => 0,
  deps: TestDeliveryDeps = laneDeps(rule),
): Promise<Run> {
  if (!deps.endpoints.items.has("ep_1"))
    await deps.endpoints.put(endpointFixture({ lane: start, laneSince: deps.clock.now().toISOString() }));
  let stalls = 0;
  let fastMs = 0;
  for (let i = 0; i < answers; i++) {
    const before = deps.endpoints.items.get("ep_1") as Endpoint;
    const gap = quietMs(before);
    deps.clock.advance(gap);
    if ((before.lane ?? "fast") === "fast") fastMs += gap;
    deps.lane = (before.lane ?? "fast") === "fast" ? "fast" : "slow";
    const answer = receiver(before, i);
    deps.http.answer = (_url, timeoutMs) => sendResult(answer, timeoutMs);
    await deliverBatch(deps, [
      { messageId: `m${i}`, receiptHandle: `rh${i}`, body: JSON.stringify(deliveryMessage({ eventId: `evt_${i}` })), receiveCount: 1 },
    ]);
    if (deps.lane === "fast" && (answer === "hang" || answer === "slow")) stalls++;
  }
  return { stalls, fastMs, deps };
}

/** The most stalls `answers` answers can buy with no quiet time: each way back after the k-th move takes exitSuccessesNeeded(k) fast answers. */
function mostStalls(rule: LaneExitRule, answers: number): number {
  let stalls = answers > 0 ? 1 : 0;
  let spent = stalls;
  for (;;) {
    const next = exitSuccessesNeeded(rule, Math.min(stalls, demotionCap(rule))) + 1;
    if (spent + next > answers) return stalls;
    stalls++;
    spent += next;
  }
}

/** p - 1 fast answers, then a hang, over and over, starting at `phase` of the cycle. */
const cycling =
  (period: number, phase: number): Receiver =>
  (_e, i) =>
    (i + phase) % period === period - 1 ? "hang" : "fast";
/** The worst receiver: it knows the rule, hangs whenever it is in the fast lane and answers fast otherwise. */
const adaptive: Receiver = (e) => ((e.lane ?? "fast") === "fast" ? "hang" : "fast");
const anyAnswer = fc.constantFrom<Answer>("fast", "fast", "fast", "fast", "slow", "hang", "error");
const anyStart = fc.constantFrom<Lane>("fast", "probation", "slow");

describe("a receiver cycling between the lanes", () => {
  it("that answers 5 times fast and then hangs, at any phase and length, stalls the fast lane at most once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(5), fc.integer({ min: 6, max: 400 }), anyStart, async (phase, answers, start) => {
        const run = await drive(DEFAULT_RULE, start, answers, cycling(6, phase));
        expect(run.stalls).toBeLessThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });

  it("with any period below the cap stalls it a number of times set by the period alone, never by the length", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 90 }),
        fc.nat(89),
        fc.integer({ min: 1, max: 800 }),
        anyStart,
        async (period, phase, answers, start) => {
          const run = await drive(DEFAULT_RULE, start, answers, cycling(period, phase % period));
          // Each way back needs 5 × 2^k fast answers in a row, and a cycle has period - 1 of them.
          const bound = 1 + Math.floor(Math.log2(Math.max(1, (period - 1) / DEFAULT_RULE.exitSuccesses)));
          expect(run.stalls).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("whatever it answers, stalls it no more often than the rule allows: one per way back, each twice the last up to the cap", async () => {
    const anyRule = fc
      .record({ exit: fc.integer({ min: 1, max: 6 }), doublings: fc.nat(5), decay: fc.constant(DECAY_SECONDS) })
      .map(({ exit, doublings, decay }) => ({ exitSuccesses: exit, maxExitSuccesses: exit * 2 ** doublings, exitDecaySeconds: decay }));
    const anyReceiver = fc.oneof(
      fc.array(anyAnswer, { minLength: 1, maxLength: 300 }).map(
        (answers): Receiver =>
          (_e, i) =>
            answers[i % answers.length] as Answer,
      ),
      fc.constant(adaptive),
      // The worst receiver with slips: now and then a slow answer or an error in the slow lane.
      fc
        .array(fc.boolean(), { minLength: 1, maxLength: 50 })
        .map(
          (slips): Receiver =>
            (e, i) =>
              slips[i % slips.length] ? adaptive(e, i) : "error",
        ),
    );
    await fc.assert(
      fc.asyncProperty(anyRule, anyReceiver, fc.integer({ min: 1, max: 500 }), anyStart, async (rule, receiver, answers, start) => {
        const run = await drive(rule, start, answers, receiver);
        expect(run.stalls).toBeLessThanOrEqual(mostStalls(rule, answers));
        // Below the cap that is logarithmic; at the cap, one stall per maxExitSuccesses answers at most.
        expect(run.stalls).toBeLessThanOrEqual(demotionCap(rule) + 1 + Math.floor(answers / (rule.maxExitSuccesses + 1)));
      }),
      { numRuns: 60 },
    );
  });

  it("without a cap, stalls it logarithmically in the number of answers, however much quiet time it spends in the fast lane, plus one per decay period of it", async () => {
    const uncapped: LaneExitRule = { exitSuccesses: 2, maxExitSuccesses: 2 ** 30, exitDecaySeconds: 60 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_500 }),
        fc.array(fc.nat(150_000), { minLength: 1, maxLength: 20 }),
        async (answers, gaps) => {
          // Quiet time only while it is in the fast lane, in a generated rhythm.
          let stint = 0;
          const quiet = (e: Endpoint) => ((e.lane ?? "fast") === "fast" ? (gaps[stint++ % gaps.length] as number) : 0);
          const run = await drive(uncapped, "fast", answers, adaptive, quiet);
          const forgiven = Math.floor(run.fastMs / (uncapped.exitDecaySeconds * 1000));
          expect(run.stalls).toBeLessThanOrEqual(forgiven + Math.log2(answers / uncapped.exitSuccesses + 2));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("a healthy endpoint", () => {
  it("returns to the fast lane after any history within LANE_EXIT_MAX_SUCCESSES fast answers, and stays there while it answers fast", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyAnswer, { maxLength: 200 }),
        anyStart,
        fc.constantFrom<Receiver>(adaptive, cycling(6, 0)),
        async (prefix, start, bad) => {
          const run = await drive(DEFAULT_RULE, start, prefix.length + 60, (e, i) =>
            i < prefix.length ? (prefix[i] as Answer) : bad(e, i),
          );
          let fastAnswers = 0;
          const healthy = await drive(DEFAULT_RULE, start, DEFAULT_RULE.maxExitSuccesses + 50, () => "fast", undefined, run.deps);
          const after = healthy.deps.endpoints.items.get("ep_1") as Endpoint;
          expect(after.lane).toBe("fast");
          expect(healthy.stalls).toBe(0);
          // And no sooner than its recorded moves call for: count the way back once more from a fresh move.
          const back = await drive(DEFAULT_RULE, start, 1, () => "hang", undefined, run.deps);
          expect(back.stalls).toBe(1);
          const needed = exitSuccessesNeeded(DEFAULT_RULE, (back.deps.endpoints.items.get("ep_1") as Endpoint).laneDemotions ?? 0);
          while ((back.deps.endpoints.items.get("ep_1") as Endpoint).lane !== "fast") {
            await drive(DEFAULT_RULE, start, 1, () => "fast", undefined, back.deps);
            fastAnswers++;
          }
          expect(fastAnswers).toBe(needed);
        },
      ),
      { numRuns: 20 },
    );
  });
});
