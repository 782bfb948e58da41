import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HttpSender, SlowWatch } from "../../functions/core/delivery/deps.ts";
import type { LaneExitRule } from "../../functions/core/delivery/lane-exit.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import type { Endpoint, Lane } from "../../functions/core/kernel/model.ts";
import type { SendResult } from "../../functions/core/policy/outcome.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture, type FakeClock } from "../support/fakes.ts";

/*
 * Cycling receivers whose hangs overlap their fast answers, as they do on the real stack: batches of
 * one endpoint's messages are POSTed at once, by several pollers, and a hang of several seconds is
 * still open while the requests sent after it are answered. Time is virtual (the fake clock jumps
 * from one event to the next), so a hang of 10 s costs nothing to simulate. Counted at the answer,
 * the fast answers that overlap a hang made up whole runs and the receiver came back to the fast
 * lane each cycle; counted at SLOW_LANE_AFTER_MS (lanes.ts, slowPostWatch), they cannot.
 */

const BUDGET_MS = 3_000;
const SLOW_AFTER_MS = 1_000;
const TIMEOUT_MS = 15_000;
const RULE: LaneExitRule = { exitSuccesses: 5, maxExitSuccesses: 640, exitDecaySeconds: 3_600 };

/** Events in virtual time, fired in order; the work they start runs to its next wait before the next one. */
class VirtualTime {
  private readonly events: { at: number; seq: number; fire: () => void }[] = [];
  private seq = 0;
  readonly clock: FakeClock;
  constructor(clock: FakeClock) {
    this.clock = clock;
  }
  at(at: number, fire: () => void): void {
    this.events.push({ at, seq: this.seq++, fire });
  }
  async run(): Promise<void> {
    await settle();
    for (;;) {
      this.events.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.events.shift();
      if (!next) return;
      this.clock.time = Math.max(this.clock.time, next.at);
      next.fire();
      await settle();
    }
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A receiver on virtual time: request i (in arrival order) takes `durationOf(i)` ms; counts stalls (fast-lane POSTs slower than SLOW_LANE_AFTER_MS). */
class VirtualReceiver implements HttpSender {
  requests = 0;
  stalls = 0;
  private readonly time: VirtualTime;
  private readonly durationOf: (i: number) => number;
  constructor(time: VirtualTime, durationOf: (i: number) => number) {
    this.time = time;
    this.durationOf = durationOf;
  }
  post(_url: string, _headers: Record<string, string>, _body: string, timeoutMs?: number, watch?: SlowWatch): Promise<SendResult> {
    const duration = this.durationOf(this.requests++);
    const limit = Math.min(timeoutMs ?? TIMEOUT_MS, TIMEOUT_MS);
    const start = this.time.clock.time;
    if (timeoutMs !== undefined && duration > SLOW_AFTER_MS) this.stalls++;
    if (watch && duration > watch.afterMs && watch.afterMs < limit) this.time.at(start + watch.afterMs, watch.onSlow);
    return new Promise((resolve) => {
      this.time.at(start + Math.min(duration, limit), () =>
        resolve(
          duration > limit
            ? { kind: "error", error: "timeout", message: "no answer", durationMs: limit }
            : { kind: "response", statusCode: 204, body: "", durationMs: duration },
        ),
      );
    });
  }
}

interface Traffic {
  /** Batches of the endpoint's messages: each starts `gapMs` after the one before, `size` messages POSTed at once. */
  batches: { gapMs: number; size: number }[];
  durationOf: (i: number) => number;
  start: Lane;
}

/** Runs the traffic; answers the stalls and the returns to the fast lane (SlowLaneExits). */
async function run(traffic: Traffic) {
  const base = deliveryDeps([5, 300]);
  const time = new VirtualTime(base.clock);
  const receiver = new VirtualReceiver(time, traffic.durationOf);
  let exits = 0;
  const shared: TestDeliveryDeps = {
    ...base,
    http: receiver as never,
    // The circuit breaker stays out of the way: this is about lanes alone.
    policy: {
      ...base.policy,
      circuit: { ...base.policy.circuit, failureThreshold: 1_000_000 },
      lanes: { fastBudgetMs: BUDGET_MS, slowAfterMs: SLOW_AFTER_MS, ...RULE },
    },
    onLaneMove: (event) => {
      if (event.kind === "left_slow") exits++;
    },
  };
  await shared.endpoints.put(endpointFixture({ lane: traffic.start, laneSince: base.clock.now().toISOString() }));
  let at = base.clock.time;
  let n = 0;
  const inFlight: Promise<unknown>[] = [];
  for (const batch of traffic.batches) {
    at += batch.gapMs;
    const ids = Array.from({ length: batch.size }, () => n++);
    time.at(at, () => {
      // A message reaches the worker of the lane its endpoint is in now (intake routes by lane).
      const lane = ((shared.endpoints.items.get("ep_1") as Endpoint).lane ?? "fast") === "fast" ? "fast" : "slow";
      const messages = ids.map((i) => ({
        messageId: `m${i}`,
        receiptHandle: `rh${i}`,
        body: JSON.stringify(deliveryMessage({ eventId: `evt_${i}` })),
        receiveCount: 1,
      }));
      inFlight.push(deliverBatch({ ...shared, lane }, messages));
    });
  }
  await time.run();
  await Promise.all(inFlight);
  return { stalls: receiver.stalls, exits, answers: receiver.requests };
}

const FAST = 5;
/** p - 1 fast answers, then a hang of `hangMs`, in arrival order, from `phase` on. */
const cycle = (period: number, phase: number, hangMs: number) => (i: number) => ((i + phase) % period === period - 1 ? hangMs : FAST);
/** Gaps of a steady rate (no shorter than `least`), with jitter, and now and then a pause. */
const steadyGaps = (least: number) =>
  fc
    .tuple(fc.integer({ min: least, max: 1_500 }), fc.array(fc.tuple(fc.nat(200), fc.nat(30)), { minLength: 6, maxLength: 150 }))
    .map(([gap, jitters]) => jitters.map(([jitter, pause]) => gap + jitter + (pause === 0 ? 10_000 : 0)));
const anyHang = fc.integer({ min: SLOW_AFTER_MS + 1, max: TIMEOUT_MS + 5_000 });

describe("a cycling receiver whose hangs overlap its fast answers", () => {
  it("that answers 5 times fast and hangs once comes back to the fast lane once at most, however long it hangs, at up to 5 requests a second", async () => {
    await fc.assert(
      fc.asyncProperty(
        steadyGaps(SLOW_AFTER_MS / 5),
        fc.nat(5),
        anyHang,
        fc.constantFrom<Lane>("probation", "slow"),
        async (gaps, phase, hangMs, start) => {
          const result = await run({ batches: gaps.map((gapMs) => ({ gapMs, size: 1 })), durationOf: cycle(6, phase, hangMs), start });
          expect(result.exits).toBeLessThanOrEqual(1);
          expect(result.stalls).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("in batches of up to 10 POSTed at once, by several pollers, comes back a number of times logarithmic in its answers", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Pollers taking batches at a steady pace, of a steady size, with jitter.
        fc
          .tuple(
            fc.nat(2_000),
            fc.integer({ min: 1, max: 10 }),
            fc.array(fc.tuple(fc.nat(300), fc.nat(3)), { minLength: 1, maxLength: 60 }),
          )
          .map(([gap, size, jitters]) => jitters.map(([jitter, less]) => ({ gapMs: gap + jitter, size: Math.max(1, size - less) }))),
        fc.oneof(
          {
            weight: 3,
            arbitrary: fc.tuple(fc.integer({ min: 2, max: 12 }), fc.nat(11), anyHang).map(([p, phase, hang]) => cycle(p, phase % p, hang)),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(fc.integer({ min: 2, max: 80 }), fc.nat(79), anyHang).map(([p, phase, hang]) => cycle(p, phase % p, hang)),
          },
          {
            weight: 1,
            arbitrary: fc
              .array(fc.oneof(fc.constant(FAST), fc.constant(FAST), anyHang), { minLength: 1, maxLength: 50 })
              .map((ds) => (i: number) => ds[i % ds.length] as number),
          },
        ),
        fc.constantFrom<Lane>("fast", "probation", "slow"),
        async (batches, durationOf, start) => {
          const result = await run({ batches, durationOf, start });
          // The k-th way back takes 5 × 2^(k-1) fast answers at least (none is capped this early).
          expect(result.exits).toBeLessThanOrEqual(Math.log2(result.answers / RULE.exitSuccesses + 1));
        },
      ),
      { numRuns: 40 },
    );
  });
});
