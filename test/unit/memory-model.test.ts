/**
 * The model behind the feed memory estimate (bench/support/memory-model.ts, docs/performance.md):
 * the CPU share and its scaling, Lambda's price, and the count of looks a long poll makes, checked
 * against the long poll itself on a fake clock.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cpuShare,
  durationAt,
  initCostPerMillion,
  lambdaCostPerMillion,
  looksInWait,
  ONE_VCPU_MB,
} from "../../bench/support/memory-model.ts";
import { PRICES } from "../../bench/support/prices.ts";
import { HOLE_GRACE_MS } from "../../functions/core/feed/deps.ts";
import { FIRST_INTERVAL_MS, MAX_INTERVAL_MS, pollFeed } from "../../functions/core/feed/long-poll.ts";
import { endpointFixture, FakeClock } from "../support/fakes.ts";
import { MemoryFeed } from "../support/memory-feed.ts";
import { MemoryPollLeases } from "../support/memory-poll-leases.ts";

const memory = fc.integer({ min: 128, max: 10_240 });
const cpu = fc.double({ min: 0.01, max: 10_000, noNaN: true });

describe("the memory model", () => {
  it("gives a function memory / 1,769 MB of a vCPU, at most one, and scales CPU time by it", () => {
    fc.assert(
      fc.property(memory, memory, cpu, (a, b, cpuMs) => {
        expect(cpuShare(a)).toBeCloseTo(Math.min(1, a / ONE_VCPU_MB), 12);
        expect(durationAt(a, cpuMs) * cpuShare(a)).toBeCloseTo(cpuMs, 6);
        if (a < b) expect(durationAt(a, cpuMs)).toBeGreaterThanOrEqual(durationAt(b, cpuMs));
        expect(durationAt(a, cpuMs, 20_000) - durationAt(a, cpuMs)).toBeCloseTo(20_000, 6);
      }),
    );
    expect(durationAt(128, 100)).toBeCloseTo((100 * 1769) / 128, 6);
  });

  it("prices a request and its billed duration, rounded up to the millisecond, in proportion to memory", () => {
    fc.assert(
      fc.property(memory, fc.integer({ min: 1, max: 900_000 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (mb, ms, fraction) => {
        const request = 1e6 * PRICES.lambdaRequest;
        expect(lambdaCostPerMillion(mb, ms - 1 + fraction + 1e-9)).toBeCloseTo(lambdaCostPerMillion(mb, ms), 9);
        expect(lambdaCostPerMillion(2 * mb, ms) - request).toBeCloseTo(2 * (lambdaCostPerMillion(mb, ms) - request), 6);
        expect(initCostPerMillion(mb, ms)).toBeCloseTo(lambdaCostPerMillion(mb, ms) - request, 9);
      }),
    );
    // A 20 s wait at 128 MB arm64 is about $0.0000335.
    expect(lambdaCostPerMillion(128, 20_000) / 1e6).toBeCloseTo(0.0000335, 7);
  });

  it("counts the looks of a long poll at an empty feed as pollFeed makes them", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 20_000 }), async (waitMs) => {
        const clock = new FakeClock();
        const feed = new MemoryFeed();
        let looks = 0;
        const head = feed.head.bind(feed);
        feed.head = (endpointId: string) => {
          looks++;
          return head(endpointId);
        };
        const deps = {
          feed,
          clock,
          settings: { logRetentionDays: 30, holeGraceMs: HOLE_GRACE_MS },
          // A held poll takes its leases first; they add no look at the feed.
          pollLeases: new MemoryPollLeases(),
          pollLimits: { perEndpoint: 2, perTenant: 10 },
          sleep: async (ms: number) => clock.advance(ms),
        };
        const answer = await pollFeed(deps, endpointFixture({ kind: "polling" }), { limit: 100, waitMs });
        expect(answer.items).toEqual([]);
        expect(looks).toBe(looksInWait(waitMs, FIRST_INTERVAL_MS, MAX_INTERVAL_MS));
      }),
      { numRuns: 200 },
    );
  });
});
