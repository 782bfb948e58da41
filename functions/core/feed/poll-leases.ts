import { randomUUID } from "node:crypto";
import type { Clock } from "../kernel/clock.ts";
import { type ApiError, invalidField } from "../kernel/errors.ts";
import { MAX_WAIT_SECONDS, type PollLease, type PollLeaseStore, type PollLimits, type PollScope } from "./deps.ts";

/*
 * The bound on long polls. A long poll holds a Lambda invocation for up to `wait`, so one tenant
 * holding any number of them would take the account's concurrency from every other function and
 * tenant. Each poll that has to wait takes a lease on a slot of its endpoint and one of its tenant
 * (MAX_POLLS_PER_ENDPOINT and MAX_POLLS_PER_TENANT slots), both in the table, so the count holds
 * across every container; past either, the poll is refused with 429 and Retry-After. A lease lasts
 * the poll's wait plus LEASE_MARGIN_MS: the poll releases it when it answers, and a poll killed
 * before that frees its slot when the lease expires.
 */

/**
 * A lease outlives its poll's wait by this much. The poll answers after one more read, and its
 * invocation ends by then: the feed route keeps the wait 2.5 s inside the invocation's deadline, so
 * no live poll outlasts its lease, and a killed one frees its slot this long after its wait.
 */
export const LEASE_MARGIN_MS = 5_000;

/**
 * Looks at a scope's slots at most this many times per poll: a take loses only to another poll that
 * took the same slot since the look, and each loss is a slot some poll won.
 */
const MAX_LOOKS = 4;

/** The ports a lease needs. */
export type PollLeaseDeps = { pollLeases: PollLeaseStore; pollLimits: PollLimits; clock: Clock };

/** An endpoint as the leases see it: its id and its tenant. */
export interface PolledEndpoint {
  id: string;
  tenantId: string;
}

type Taken = { lease: PollLease } | { full: true; retryAfterSeconds: number };

/**
 * Runs `hold` while the poll holds a lease on its endpoint and on its tenant, each lasting to
 * `untilMs` plus the margin, and releases both when `hold` settles. Throws 429 `too_many_polls`
 * (with Retry-After) when the endpoint or the tenant holds its limit of live leases already.
 */
export async function withPollLeases<T>(
  deps: PollLeaseDeps,
  endpoint: PolledEndpoint,
  untilMs: number,
  hold: () => Promise<T>,
): Promise<T> {
  const scopes: [PollScope, number][] = [
    [{ kind: "endpoint", id: endpoint.id }, deps.pollLimits.perEndpoint],
    [{ kind: "tenant", id: endpoint.tenantId }, deps.pollLimits.perTenant],
  ];
  const held: [PollScope, PollLease][] = [];
  try {
    for (const [scope, limit] of scopes) {
      const taken = await takeSlot(deps, scope, limit, untilMs + LEASE_MARGIN_MS);
      if ("full" in taken) throw tooManyPolls(scope, limit, taken.retryAfterSeconds);
      held.push([scope, taken.lease]);
    }
    return await hold();
  } finally {
    await Promise.all(held.map(([scope, lease]) => releaseQuietly(deps.pollLeases, scope, lease)));
  }
}

/** Takes a free slot of the scope, or says when one of its live leases is due to end. */
export async function takeSlot(deps: PollLeaseDeps, scope: PollScope, limit: number, untilMs: number): Promise<Taken> {
  for (let look = 0; look < MAX_LOOKS; look++) {
    const now = deps.clock.now().getTime();
    const live = (await deps.pollLeases.leases(scope)).filter((lease) => isLive(lease, now));
    if (live.length >= limit) return { full: true, retryAfterSeconds: retryAfterSeconds(live, now) };
    const used = new Set(live.map((lease) => lease.slot));
    const free = Array.from({ length: limit }, (_, slot) => slot).filter((slot) => !used.has(slot));
    // A random free slot: polls that looked at the same moment seldom race for the same one.
    const slot = free[Math.floor(deps.clock.random() * free.length)] ?? free[0] ?? 0;
    const lease = { slot, id: randomUUID(), untilMs };
    if (await deps.pollLeases.take(scope, lease, now)) return { lease };
  }
  // Every look lost its race: the scope is as busy as it gets; the next second will tell.
  return { full: true, retryAfterSeconds: 1 };
}

/** A lease holds its slot up to and including its `untilMs`; the store's take uses the same rule. */
export function isLive(lease: PollLease, nowMs: number): boolean {
  return lease.untilMs >= nowMs;
}

/** Whole seconds until the soonest of the live leases is due to end its wait: at least 1, at most a wait plus the margin. */
export function retryAfterSeconds(live: PollLease[], nowMs: number): number {
  const soonest = Math.min(...live.map((lease) => lease.untilMs - LEASE_MARGIN_MS));
  const seconds = Math.ceil((soonest - nowMs) / 1000);
  return Math.min(Math.max(1, Number.isFinite(seconds) ? seconds : 1), MAX_RETRY_AFTER_SECONDS);
}

/** The longest Retry-After: a lease lasts at most the longest wait plus the margin. */
export const MAX_RETRY_AFTER_SECONDS = MAX_WAIT_SECONDS + LEASE_MARGIN_MS / 1000;

function tooManyPolls(scope: PollScope, limit: number, retryAfter: number): ApiError {
  const [whose, setting] =
    scope.kind === "endpoint" ? [`Endpoint ${scope.id}`, "MAX_POLLS_PER_ENDPOINT"] : [`Tenant ${scope.id}`, "MAX_POLLS_PER_TENANT"];
  return invalidField(
    "wait",
    `above 0 is refused for now: ${whose} holds ${limit} long polls already, the most it may (${setting}); retry after ${retryAfter} s, or read with wait=0`,
    "too_many_polls",
    { scope: scope.kind, limit, retryAfterSeconds: retryAfter },
    { retryAfterSeconds: retryAfter },
  );
}

/** A release that fails leaves the lease to expire with its margin: the answer the poll has is still good. */
async function releaseQuietly(store: PollLeaseStore, scope: PollScope, lease: PollLease): Promise<void> {
  try {
    await store.release(scope, lease);
  } catch {
    // Expires on its own at lease.untilMs.
  }
}
