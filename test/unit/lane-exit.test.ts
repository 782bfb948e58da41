import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/core/config/config.ts";
import {
  decayedDemotions,
  demotionCap,
  demotionsAfterMove,
  demotionsNow,
  exitSuccessesNeeded,
  exitSuccessesShown,
  type LaneExitRule,
  laneExitRule,
} from "../../functions/core/delivery/lane-exit.ts";
import { LANES } from "../../functions/core/kernel/model.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { endpointFixture, FakeClock } from "../support/fakes.ts";

const HOUR_MS = 3_600_000;
const t0 = new Date("2026-11-01T00:00:00Z");

/** Any rule the settings table allows (the cap is never below LANE_EXIT_SUCCESSES). */
const anyRule: fc.Arbitrary<LaneExitRule> = fc
  .record({
    exitSuccesses: fc.integer({ min: 1, max: 1_000 }),
    above: fc.integer({ min: 0, max: 100_000 }),
    decay: fc.integer({ min: 1, max: 86_400 }),
  })
  .map(({ exitSuccesses, above, decay }) => ({
    exitSuccesses,
    maxExitSuccesses: Math.min(exitSuccesses + above, 100_000),
    exitDecaySeconds: decay,
  }))
  .filter((r) => r.maxExitSuccesses >= r.exitSuccesses);
const anyDemotions = fc.integer({ min: 0, max: 60 });

describe("the run of fast answers the way back takes", () => {
  it("is LANE_EXIT_SUCCESSES with no recorded move, doubles with each, and stops at LANE_EXIT_MAX_SUCCESSES", () => {
    fc.assert(
      fc.property(anyRule, anyDemotions, (rule, d) => {
        expect(exitSuccessesNeeded(rule, 0)).toBe(rule.exitSuccesses);
        const now = exitSuccessesNeeded(rule, d);
        const next = exitSuccessesNeeded(rule, d + 1);
        expect(next).toBe(Math.min(2 * now, rule.maxExitSuccesses));
        expect(now).toBeLessThanOrEqual(rule.maxExitSuccesses);
        expect(Number.isInteger(now)).toBe(true);
      }),
    );
  });

  it("reaches its cap at demotionCap moves and not before, so no recorded move is wasted on the cap", () => {
    fc.assert(
      fc.property(anyRule, (rule) => {
        const cap = demotionCap(rule);
        expect(exitSuccessesNeeded(rule, cap)).toBe(rule.maxExitSuccesses);
        if (cap > 0) expect(exitSuccessesNeeded(rule, cap - 1)).toBeLessThan(rule.maxExitSuccesses);
      }),
    );
  });

  it("never grows when LANE_EXIT_MAX_SUCCESSES equals LANE_EXIT_SUCCESSES (the rule before hysteresis)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), anyDemotions, (exit, d) => {
        const rule = { exitSuccesses: exit, maxExitSuccesses: exit, exitDecaySeconds: 60 };
        expect(exitSuccessesNeeded(rule, d)).toBe(exit);
        expect(demotionsAfterMove(rule, { lane: "fast", laneDemotions: d }, t0)).toBe(0);
      }),
    );
  });

  it("comes from the settings table's defaults as 5 doubling to 640, with an hour's decay", () => {
    const rule = laneExitRule(parseConfig({ TABLE_NAME: "-", DELIVERY_QUEUE_URL: "-", DEAD_LETTER_QUEUE_URL: "-" }));
    expect(rule).toEqual({ exitSuccesses: 5, maxExitSuccesses: 640, exitDecaySeconds: 3600 });
    expect([0, 1, 2, 7, 8].map((d) => exitSuccessesNeeded(rule, d))).toEqual([5, 10, 20, 640, 640]);
  });
});

describe("the decay of recorded moves", () => {
  it("forgives one per full LANE_EXIT_DECAY_SECONDS of quiet time, never below none, and nothing for less or for negative time", () => {
    fc.assert(
      fc.property(anyRule, anyDemotions, fc.nat(50), fc.double({ min: 0, max: 0.999, noNaN: true }), (rule, d, periods, part) => {
        const period = rule.exitDecaySeconds * 1000;
        expect(decayedDemotions(rule, d, (periods + part) * period)).toBe(Math.max(0, d - periods));
        expect(decayedDemotions(rule, d, -period * (periods + 1))).toBe(d);
      }),
    );
  });

  it("halves the way back per period of quiet time in the fast lane (from the cap: to at least half), down to LANE_EXIT_SUCCESSES", () => {
    fc.assert(
      fc.property(anyRule, fc.integer({ min: 1, max: 20 }), (rule, d) => {
        const recorded = Math.min(d, demotionCap(rule));
        const laneSince = t0.toISOString();
        const neededAfter = (periods: number) =>
          exitSuccessesNeeded(
            rule,
            demotionsNow(
              rule,
              { lane: "fast", laneSince, laneDemotions: recorded },
              new Date(t0.getTime() + periods * rule.exitDecaySeconds * 1000),
            ),
          );
        for (let p = 0; p < recorded; p++) {
          expect(neededAfter(p + 1)).toBeLessThan(neededAfter(p));
          expect(2 * neededAfter(p + 1)).toBeGreaterThanOrEqual(neededAfter(p));
          if (neededAfter(p) < rule.maxExitSuccesses) expect(2 * neededAfter(p + 1)).toBe(neededAfter(p));
        }
        expect(neededAfter(recorded)).toBe(rule.exitSuccesses);
      }),
    );
  });

  it("does not decay in the slow or probation lane: only quiet time in the fast lane counts", () => {
    fc.assert(
      fc.property(anyRule, anyDemotions, fc.constantFrom(...LANES.filter((l) => l !== "fast")), fc.nat(1_000), (rule, d, lane, hours) => {
        const endpoint = { lane, laneSince: t0.toISOString(), laneDemotions: d };
        expect(demotionsNow(rule, endpoint, new Date(t0.getTime() + hours * HOUR_MS))).toBe(d);
        expect(exitSuccessesShown(rule, endpoint, t0)).toBe(exitSuccessesNeeded(rule, d));
      }),
    );
  });
});

describe("a move out of the fast lane", () => {
  it("records what is left after the decay plus one, never past the cap, and an endpoint older than lanes starts from none", () => {
    fc.assert(
      fc.property(anyRule, anyDemotions, fc.nat(10 * 86_400), (rule, d, quietSeconds) => {
        const recorded = Math.min(d, demotionCap(rule));
        const endpoint = { lane: "fast" as const, laneSince: t0.toISOString(), laneDemotions: recorded };
        const now = new Date(t0.getTime() + quietSeconds * 1000);
        const after = demotionsAfterMove(rule, endpoint, now);
        expect(after).toBe(Math.min(decayedDemotions(rule, recorded, quietSeconds * 1000) + 1, demotionCap(rule)));
        expect(exitSuccessesShown(rule, endpoint, now)).toBe(exitSuccessesNeeded(rule, after));
        expect(demotionsAfterMove(rule, { laneDemotions: recorded }, now)).toBe(Math.min(1, demotionCap(rule)));
      }),
    );
  });
});

describe("the API", () => {
  it("shows an endpoint's run of fast answers, the run its way back needs and its recent moves, as the rule makes them", async () => {
    const clock = new FakeClock(t0.getTime() + 2.5 * HOUR_MS);
    const deps = { ...memoryApiDeps(), clock };
    const call = apiCaller(deps);
    const rule = deps.laneExit;
    const since = t0.toISOString();
    await deps.endpoints.put(endpointFixture({ id: "ep_slow", lane: "slow", laneSince: since, laneFastSuccesses: 4, laneDemotions: 3 }));
    await deps.endpoints.put(endpointFixture({ id: "ep_fast", lane: "fast", laneSince: since, laneDemotions: 3 }));
    await deps.endpoints.put(endpointFixture({ id: "ep_old" }));
    const shown = async (id: string) => (await call("GET", `/v1/endpoints/${id}`)).json;
    expect(await shown("ep_slow")).toMatchObject({
      lane: "slow",
      laneFastSuccesses: 4,
      laneFastSuccessesNeeded: rule.exitSuccesses * 8,
      laneDemotions: 3,
    });
    // Two hours in the fast lane forgave two of its three moves; a move now would make it two again.
    expect(await shown("ep_fast")).toMatchObject({ lane: "fast", laneFastSuccessesNeeded: rule.exitSuccesses * 4, laneDemotions: 1 });
    expect(await shown("ep_old")).toMatchObject({
      lane: "fast",
      laneFastSuccesses: 0,
      laneFastSuccessesNeeded: rule.exitSuccesses * 2,
      laneDemotions: 0,
    });
  });
});
