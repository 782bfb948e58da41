import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PollLease, PollScope } from "../../functions/core/feed/deps.ts";
import {
  LEASE_MARGIN_MS,
  MAX_RETRY_AFTER_SECONDS,
  type PolledEndpoint,
  type PollLeaseDeps,
  retryAfterSeconds,
  withPollLeases,
} from "../../functions/core/feed/poll-leases.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import { FakeClock } from "../support/fakes.ts";
import { MemoryPollLeases } from "../support/memory-poll-leases.ts";
import { racingPoll } from "../support/racing-poll.ts";
import { seeded } from "../support/seeded.ts";

/*
 * The long-poll bound: a poll that holds takes a lease on its endpoint and on its tenant, both
 * counted in a store every container shares. Generated runs of polls starting, answering, being
 * killed and time passing are checked against a model of the limits; generated bursts of racing
 * polls never hold more leases than the limits allow.
 */

function depsOf(perEndpoint: number, perTenant: number, seed = 1) {
  const clock = new FakeClock();
  clock.random = seeded(seed);
  const pollLeases = new MemoryPollLeases();
  const deps: PollLeaseDeps = { pollLeases, pollLimits: { perEndpoint, perTenant }, clock };
  return { deps, clock, pollLeases };
}

/** A poll held until the test ends it: `answer()` lets it return (and release), `outcome` says whether it was admitted. */
function startPoll(deps: PollLeaseDeps, endpoint: PolledEndpoint, waitMs: number) {
  let answer: () => void = () => undefined;
  let entered: (held: "held") => void = () => undefined;
  const holding = new Promise<"held">((resolve) => {
    entered = resolve;
  });
  const done = withPollLeases(deps, endpoint, deps.clock.now().getTime() + waitMs, () => {
    entered("held");
    return new Promise<void>((resolve) => {
      answer = resolve;
    });
  });
  const outcome: Promise<"held" | ApiError> = Promise.race([
    holding,
    done.then(
      () => "held" as const,
      (error: ApiError) => error,
    ),
  ]);
  return { outcome, answer: () => answer(), done };
}

const endpointsOf = (tenants: number, perTenant: number): PolledEndpoint[] =>
  Array.from({ length: tenants * perTenant }, (_, i) => ({ id: `ep_${i}`, tenantId: `t_${Math.floor(i / perTenant)}` }));

type Op =
  | { kind: "start"; endpoint: number; waitS: number }
  | { kind: "answer"; poll: number }
  | { kind: "kill"; poll: number }
  | { kind: "advance"; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("start" as const), endpoint: fc.nat(5), waitS: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("answer" as const), poll: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("kill" as const), poll: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: 30_000 }) }) },
);

describe("long-poll leases against a model of the limits", () => {
  it("admits a poll exactly when its endpoint and its tenant are under their limits, and a killed poll's slot frees when its lease expires", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(op, { minLength: 1, maxLength: 60 }),
        async (perEndpoint, extra, ops) => {
          const perTenant = perEndpoint + extra;
          const { deps, clock, pollLeases } = depsOf(perEndpoint, perTenant);
          // Three tenants of two endpoints each.
          const endpoints = endpointsOf(3, 2);
          // The model: every lease not yet released, with the time it expires.
          const model: { endpoint: PolledEndpoint; untilMs: number; released: boolean }[] = [];
          const polls: { poll: ReturnType<typeof startPoll>; entry?: (typeof model)[number]; over: boolean }[] = [];
          const live = (pick: (m: (typeof model)[number]) => boolean) =>
            model.filter((m) => !m.released && m.untilMs >= clock.time && pick(m)).length;
          for (const step of ops) {
            if (step.kind === "advance") clock.advance(step.ms);
            else if (step.kind === "start") {
              const endpoint = endpoints[step.endpoint] as PolledEndpoint;
              const endpointFull = live((m) => m.endpoint.id === endpoint.id) >= perEndpoint;
              const tenantFull = live((m) => m.endpoint.tenantId === endpoint.tenantId) >= perTenant;
              const poll = startPoll(deps, endpoint, step.waitS * 1000);
              const outcome = await poll.outcome;
              if (endpointFull || tenantFull) {
                expect(outcome).toBeInstanceOf(ApiError);
                const error = outcome as ApiError;
                expect(error.status).toBe(429);
                expect(error.code).toBe("too_many_polls");
                expect(error.details?.[0]?.scope).toBe(endpointFull ? "endpoint" : "tenant");
                expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
                expect(error.retryAfterSeconds).toBeLessThanOrEqual(MAX_RETRY_AFTER_SECONDS);
                polls.push({ poll, over: true });
              } else {
                expect(outcome).toBe("held");
                const entry = { endpoint, untilMs: clock.time + step.waitS * 1000 + LEASE_MARGIN_MS, released: false };
                model.push(entry);
                polls.push({ poll, entry, over: false });
              }
            } else {
              const held = polls.filter((p) => !p.over);
              const target = held[step.poll % Math.max(1, held.length)];
              if (!target?.entry) continue;
              target.over = true;
              if (step.kind === "answer") {
                target.poll.answer();
                await target.poll.done;
                target.entry.released = true;
              }
              // A killed poll never answers: its lease stays until it expires.
            }
            for (const endpoint of endpoints) {
              const scopes: [PollScope, number][] = [
                [{ kind: "endpoint", id: endpoint.id }, perEndpoint],
                [{ kind: "tenant", id: endpoint.tenantId }, perTenant],
              ];
              for (const [scope, limit] of scopes) expect(pollLeases.live(scope, clock.time).length).toBeLessThanOrEqual(limit);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps a killed poll's slot until its wait plus the margin, then frees it", async () => {
    const { deps, clock } = depsOf(1, 1);
    const endpoint = { id: "ep_1", tenantId: "t" };
    const killed = startPoll(deps, endpoint, 20_000);
    expect(await killed.outcome).toBe("held");
    clock.advance(20_000 + LEASE_MARGIN_MS);
    const refused = await startPoll(deps, endpoint, 20_000).outcome;
    expect(refused).toMatchObject({ code: "too_many_polls" });
    clock.advance(1);
    expect(await startPoll(deps, endpoint, 20_000).outcome).toBe("held");
  });

  it("releases both leases when the poll fails, and refuses the tenant without keeping the endpoint's slot", async () => {
    const { deps, clock, pollLeases } = depsOf(2, 2);
    const failing = withPollLeases(deps, { id: "ep_1", tenantId: "t" }, clock.time + 5_000, async () => {
      throw new Error("the feed read failed");
    });
    await expect(failing).rejects.toThrow("the feed read failed");
    expect(pollLeases.live({ kind: "endpoint", id: "ep_1" }, clock.time)).toEqual([]);
    expect(pollLeases.live({ kind: "tenant", id: "t" }, clock.time)).toEqual([]);
    const holders = [startPoll(deps, { id: "ep_2", tenantId: "t" }, 5_000), startPoll(deps, { id: "ep_3", tenantId: "t" }, 5_000)];
    for (const holder of holders) expect(await holder.outcome).toBe("held");
    const refused = await startPoll(deps, { id: "ep_1", tenantId: "t" }, 5_000).outcome;
    expect(refused).toMatchObject({ code: "too_many_polls", details: [{ path: "wait", scope: "tenant", limit: 2 }] });
    expect(pollLeases.live({ kind: "endpoint", id: "ep_1" }, clock.time)).toEqual([]);
  });
});

describe("racing long polls", () => {
  it("never hold more leases than the limits, whatever tenants and endpoints a burst of polls names", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.nat(8), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        async (perEndpoint, extra, picks, seed) => {
          const perTenant = perEndpoint + extra;
          const { deps, clock, pollLeases } = depsOf(perEndpoint, perTenant, seed);
          const endpoints = endpointsOf(3, 3);
          const rng = seeded(seed ^ 0x5bd1e995);
          // Between a poll's look at a scope and its take, the others run for a random number of turns.
          pollLeases.afterLook = async () => {
            for (let turns = Math.floor(rng() * 4); turns > 0; turns--) await Promise.resolve();
          };
          const holding = new Map<string, number>();
          const most = new Map<string, number>();
          const count = (key: string, by: number) => {
            const now = (holding.get(key) ?? 0) + by;
            holding.set(key, now);
            most.set(key, Math.max(most.get(key) ?? 0, now));
          };
          let release: () => void = () => undefined;
          const answered = new Promise<void>((resolve) => {
            release = resolve;
          });
          const polls = picks.map((pick) => {
            const endpoint = endpoints[pick] as PolledEndpoint;
            return racingPoll(deps, endpoint, clock.time + 20_000, answered, count);
          });
          // Every poll is holding or refused before any answers: the most that ever hold at once.
          const outcomes = await Promise.all(polls.map((poll) => poll.outcome));
          release();
          await Promise.allSettled(polls.map((poll) => poll.done));
          for (const outcome of outcomes) {
            if (outcome === "held") continue;
            expect(outcome).toMatchObject({ status: 429, code: "too_many_polls" });
            expect((outcome as ApiError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
          }
          expect(outcomes).toContain("held");
          // Every lease was given back: a later poll anywhere is admitted.
          for (const endpoint of endpoints) {
            expect(pollLeases.live({ kind: "endpoint", id: endpoint.id }, clock.time)).toEqual([]);
          }
          for (const endpoint of endpoints) {
            expect(most.get(endpoint.id) ?? 0).toBeLessThanOrEqual(perEndpoint);
            expect(most.get(endpoint.tenantId) ?? 0).toBeLessThanOrEqual(perTenant);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("Retry-After", () => {
  it("is the whole seconds until the soonest live lease is due to end its wait, from 1 to the longest wait plus the margin", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 + LEASE_MARGIN_MS }), { minLength: 1, maxLength: 10 }), (leftMs) => {
        const now = 1_000_000;
        const live: PollLease[] = leftMs.map((left, slot) => ({ slot, id: `l${slot}`, untilMs: now + left }));
        const seconds = retryAfterSeconds(live, now);
        // When the soonest holder's wait ends, in ms from now; a retry after `seconds` comes no earlier.
        const soonest = Math.min(...leftMs) - LEASE_MARGIN_MS;
        expect(Number.isInteger(seconds)).toBe(true);
        expect(seconds).toBeGreaterThanOrEqual(1);
        expect(seconds).toBeLessThanOrEqual(MAX_RETRY_AFTER_SECONDS);
        expect(seconds * 1000).toBeGreaterThanOrEqual(soonest);
        if (soonest > 1000) expect(seconds * 1000).toBeLessThan(soonest + 1000);
      }),
    );
  });
});
