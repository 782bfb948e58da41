import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";
import { lineState, ORDERED_STUCK_AFTER_SECONDS } from "../../functions/core/ordering/line-state.ts";
import { endpointFixture, FakeClock, MemoryAttemptLog } from "../support/fakes.ts";

const T0 = Date.parse("2026-11-01T00:00:00.000Z");

function record(
  eventId: string,
  n: number,
  status: AttemptRecord["status"],
  atMs: number,
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    eventId,
    endpointId: "ep_1",
    tenantId: "default",
    attempt: n,
    trigger: "scheduled",
    status,
    url: "u",
    at: new Date(atMs).toISOString(),
    durationMs: 1,
    expiresAt: 0,
    ...extra,
  };
}

/** A line's past: deliveries one after another, each failing some times then ending; the last may still be failing. */
const History = fc.record({
  deliveries: fc.array(
    fc.record({
      failures: fc.integer({ min: 0, max: 4 }),
      ending: fc.constantFrom("succeeded", "exhausted", "skipped") as fc.Arbitrary<AttemptRecord["status"]>,
      gapSeconds: fc.integer({ min: 1, max: 2_000 }),
    }),
    { minLength: 0, maxLength: 8 },
  ),
  headFailures: fc.integer({ min: 0, max: 5 }),
  headChain: fc.option(fc.constant("m1"), { nil: undefined }),
  nowAfterSeconds: fc.integer({ min: 0, max: 3 * ORDERED_STUCK_AFTER_SECONDS }),
});

describe("an ordered endpoint's line", () => {
  it("is blocked exactly when its newest attempt is a failure, by that delivery, since its chain's first attempt; stuck after the alarm's hour", async () => {
    await fc.assert(
      fc.asyncProperty(History, async ({ deliveries, headFailures, headChain, nowAfterSeconds }) => {
        const attempts = new MemoryAttemptLog();
        let at = T0;
        /** The next record's time, `seconds` after the last one. */
        const later = (seconds: number) => {
          at += seconds * 1000;
          return at;
        };
        for (const [i, d] of deliveries.entries()) {
          for (let n = 1; n <= d.failures; n++) await attempts.record(record(`evt_${i}`, n, "failed", later(d.gapSeconds)));
          await attempts.record(record(`evt_${i}`, d.failures + 1, d.ending, later(d.gapSeconds)));
        }
        const chain = headChain === undefined ? {} : { chain: headChain, trigger: "manual" as const };
        // The head's own earlier chain, ended before this one: not part of how long the line waits on it.
        if (headChain !== undefined && headFailures > 0) await attempts.record(record("evt_head", 1, "exhausted", later(1)));
        const firstHeadAt = at + 1000;
        for (let n = 1; n <= headFailures; n++) {
          const failedAt = later(1);
          await attempts.record(
            record("evt_head", n, "failed", failedAt, { ...chain, nextAttemptAt: new Date(failedAt + 60_000).toISOString() }),
          );
        }
        const clock = new FakeClock(at + nowAfterSeconds * 1000);
        const line = await lineState({ attempts, clock }, endpointFixture({ ordering: "fifo" }));
        if (headFailures === 0) {
          expect(line).toEqual({ endpointId: "ep_1", ordering: "fifo", state: "clear", stuck: false, head: null });
          return;
        }
        const since = new Date(firstHeadAt).toISOString();
        expect(line).toMatchObject({ state: "blocked", head: { eventId: "evt_head", blockedSince: since, attempts: headFailures } });
        expect(line.head?.chain).toBe(headChain);
        expect(line.stuck).toBe(clock.now().getTime() - firstHeadAt >= ORDERED_STUCK_AFTER_SECONDS * 1000);
      }),
      { numRuns: 200 },
    );
  });

  it("is unordered on an unordered endpoint, and drains on a disabled one, without reading the log", async () => {
    const attempts = new MemoryAttemptLog();
    attempts.outage.down = true;
    const deps = { attempts, clock: new FakeClock(T0) };
    expect(await lineState(deps, endpointFixture())).toMatchObject({ ordering: "none", state: "unordered", head: null });
    expect(await lineState(deps, endpointFixture({ ordering: "fifo", enabled: false }))).toMatchObject({ state: "disabled", head: null });
  });

  it("names the head's last answer and when it is tried next", async () => {
    const attempts = new MemoryAttemptLog();
    await attempts.record(record("evt_a", 1, "failed", T0, { statusCode: 503, nextAttemptAt: new Date(T0 + 5_000).toISOString() }));
    await attempts.record(
      record("evt_a", 2, "failed", T0 + 5_000, { error: "timeout", nextAttemptAt: new Date(T0 + 30_000).toISOString() }),
    );
    const line = await lineState({ attempts, clock: new FakeClock(T0 + 6_000) }, endpointFixture({ ordering: "fifo" }));
    expect(line.head).toEqual({
      eventId: "evt_a",
      blockedSince: new Date(T0).toISOString(),
      attempts: 2,
      lastAttemptAt: new Date(T0 + 5_000).toISOString(),
      nextAttemptAt: new Date(T0 + 30_000).toISOString(),
      lastError: "timeout",
    });
  });
});
