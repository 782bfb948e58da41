import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attemptKey,
  type ChunkRead,
  ITEM_BYTES,
  itemBoundFor,
  listItemSort,
  listItems,
  MAX_SPAN_MS,
  mergeChunks,
  summariesOf,
} from "../../functions/adapters/dynamo/attempt-list.ts";
import { shardOf } from "../../functions/adapters/dynamo/sharded-paging.ts";
import { ATTEMPT_SHARDS, keys } from "../../functions/adapters/dynamo/table-design.ts";
import { ATTEMPT_ERROR_KINDS, type AttemptStatus, type AttemptSummary } from "../../functions/core/kernel/model.ts";

/** dynalite's DynamoDB item-size rule (attribute names plus values), as the bench counts write units. */
const itemSize = createRequire(import.meta.url)("dynalite/db").itemSize as (item: Record<string, unknown>) => number;
const asAttributes = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === "number" ? { N: String(v) } : { S: String(v) }]));

const BASE = Date.UTC(2026, 11, 7, 3, 0, 0);
const STATUSES: AttemptStatus[] = ["succeeded", "failed", "exhausted", "skipped"];

const summary = fc
  .record({
    event: fc.integer({ min: 0, max: 40 }),
    attempt: fc.integer({ min: 1, max: 12 }),
    chain: fc.option(fc.constantFrom("rcv_a1", "replay_7f3e9a", "M"), { nil: undefined }),
    deadLetter: fc.boolean(),
    status: fc.constantFrom(...STATUSES),
    ms: fc.integer({ min: 0, max: 6_000 }),
    durationMs: fc.integer({ min: 0, max: 30_000 }),
    statusCode: fc.option(fc.constantFrom(200, 204, 410, 500, 503), { nil: undefined }),
    error: fc.option(fc.constantFrom(...ATTEMPT_ERROR_KINDS), { nil: undefined }),
    keptDays: fc.integer({ min: 1, max: 90 }),
  })
  .map((a): AttemptSummary => {
    const atMs = BASE + a.ms;
    return {
      // Ids of the longest form the API makes (a caller's id may be 64 characters).
      eventId: `evt_${String(a.event).padStart(60, "0")}`,
      endpointId: "ep_01JEXAMPLE0000000000000000",
      tenantId: "tenant-with-a-long-name-00000000",
      attempt: a.attempt,
      trigger: a.deadLetter ? "dead-letter" : a.chain === undefined ? "scheduled" : "manual",
      ...(a.chain !== undefined && { chain: a.chain }),
      status: a.status,
      at: new Date(atMs).toISOString(),
      durationMs: a.durationMs,
      ...(a.statusCode !== undefined && { statusCode: a.statusCode }),
      ...(a.error !== undefined && { error: a.error }),
      expiresAt: Math.floor(atMs / 1000) + a.keptDays * 86_400,
    };
  });

/** Distinct attempts (one key each). */
const attempts = fc.uniqueArray(summary, { selector: attemptKey, minLength: 0, maxLength: 120 });

interface Stored {
  sk: string;
  entries: AttemptSummary[];
}

/**
 * The endpoint's list as the table holds it: attempts written before as one gsi1 item each (on
 * ATTEMPT_SHARDS + 1 shards), the rest cut into per-batch list items on ATTEMPT_SHARDS shards,
 * some of them listed twice (a flush retried after a failure).
 */
function table(all: AttemptSummary[], oldShare: number, batches: number, relisted: number): Stored[][] {
  const shards: Stored[][] = Array.from({ length: 2 * ATTEMPT_SHARDS + 1 }, () => []);
  const old = all.slice(0, Math.floor(all.length * oldShare));
  for (const a of old) shards[ATTEMPT_SHARDS + shardOf(attemptKey(a), ATTEMPT_SHARDS + 1)]?.push({ sk: attemptKey(a), entries: [a] });
  const listed = all.slice(old.length);
  const flushes: AttemptSummary[][] = Array.from({ length: Math.max(1, batches) }, () => []);
  for (const [i, a] of listed.entries()) flushes[i % flushes.length]?.push(a);
  flushes.push(listed.slice(0, relisted));
  flushes.forEach((flush, f) => {
    for (const draft of listItems(flush)) {
      const sk = listItemSort(draft, `f${f}`);
      shards[shardOf(sk, ATTEMPT_SHARDS)]?.push({ sk, entries: summariesOf(draft.body) });
    }
  });
  for (const shard of shards) shard.sort((a, b) => (a.sk < b.sk ? 1 : -1));
  return shards;
}

/** A DynamoDB query of one shard as the adapter makes it: below a top (the frontier, or the bound plus the span), Limit items, newest first. */
function reader(shards: Stored[][], range: { bound?: string; since?: string; status?: AttemptStatus }) {
  return async (shard: number, from: string | undefined, want: number): Promise<ChunkRead<{ key: string; a: AttemptSummary }>> => {
    const list = shard < ATTEMPT_SHARDS;
    const top = from ?? (range.bound === undefined ? undefined : list ? itemBoundFor(range.bound) : range.bound);
    const limit = list ? Math.min(100, Math.max(2, Math.ceil(want / 4))) : Math.max(want, 1);
    const candidates = (shards[shard] ?? []).filter(
      (s) => (top === undefined || s.sk < top) && (range.since === undefined || s.sk >= range.since),
    );
    const read = candidates.slice(0, limit);
    const entries = read
      .flatMap((s) => s.entries)
      .map((a) => ({ key: attemptKey(a), a }))
      .filter(
        ({ key, a }) =>
          (range.bound === undefined || key < range.bound) &&
          (range.since === undefined || a.at >= range.since) &&
          (range.status === undefined || a.status === range.status),
      );
    return { entries, ...(candidates.length > limit && { frontier: (read.at(-1) as Stored).sk }) };
  };
}

async function everyPage(
  shards: Stored[][],
  limit: number,
  range: { until?: string; since?: string; status?: AttemptStatus },
  maxRefills?: number,
) {
  const shown: string[] = [];
  let bound = range.until;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await mergeChunks(
      2 * ATTEMPT_SHARDS + 1,
      reader(shards, { ...range, ...(bound !== undefined && { bound }) }),
      (e) => e.key,
      limit,
      bound,
      maxRefills,
    );
    shown.push(...page.items.map((e) => e.key));
    if (page.next === undefined) return shown;
    // Each page moves the bound down: no page can repeat the last one forever.
    if (bound !== undefined) expect(page.next < bound).toBe(true);
    bound = page.next;
  }
  throw new Error("the pages never ended");
}

describe("the endpoint's attempt list written per batch", () => {
  it("cuts a batch into items of one write unit, each spanning less than MAX_SPAN_MS, that read back the same summaries", () => {
    fc.assert(
      fc.property(attempts, (all) => {
        const drafts = listItems(all);
        const back = drafts.flatMap((d) => summariesOf(d.body));
        expect(back.sort((a, b) => attemptKey(a).localeCompare(attemptKey(b)))).toEqual(
          [...all].sort((a, b) => attemptKey(a).localeCompare(attemptKey(b))),
        );
        for (const draft of drafts) {
          const entries = summariesOf(draft.body);
          const sk = listItemSort(draft, "zzzzzz");
          const item = { pk: keys.endpointAttemptList((entries[0] as AttemptSummary).endpointId, ATTEMPT_SHARDS - 1), sk, ...draft.body };
          expect(itemSize(asAttributes(item))).toBeLessThanOrEqual(ITEM_BYTES);
          const times = entries.map((a) => Date.parse(a.at));
          expect(Math.max(...times) - Math.min(...times)).toBeLessThan(MAX_SPAN_MS);
          expect(entries.every((a) => attemptKey(a) <= sk)).toBe(true);
          expect(draft.body.expiresAt).toBe(Math.max(...entries.map((a) => a.expiresAt)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("pages through list items and older gsi1 items newest first, each attempt once, whatever the page size, status or window", async () => {
    await fc.assert(
      fc.asyncProperty(
        attempts,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 6_000 }), fc.integer({ min: 0, max: 6_000 })), { nil: undefined }),
        // Few refills make short pages, which end at a frontier rather than at the last attempt shown.
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        async (all, oldShare, batches, relisted, limit, status, window, maxRefills) => {
          const shards = table(all, oldShare, batches, relisted);
          const [lo, hi] = window ? [Math.min(...window), Math.max(...window)] : [];
          const since = lo === undefined ? undefined : new Date(BASE + lo).toISOString();
          const until = hi === undefined ? undefined : new Date(BASE + hi).toISOString();
          const shown = await everyPage(
            shards,
            limit,
            {
              ...(status && { status }),
              ...(since !== undefined && { since }),
              ...(until !== undefined && { until }),
            },
            maxRefills,
          );
          const expected = all
            .filter(
              (a) => (!status || a.status === status) && (since === undefined || a.at >= since) && (until === undefined || a.at < until),
            )
            .map(attemptKey)
            .sort()
            .reverse();
          expect(shown).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a bound without a time, so no cursor reads from an unbounded place", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/.test(text)) expect(itemBoundFor(text)).toBeUndefined();
      }),
    );
    expect(itemBoundFor("2026-12-07T03:00:00.000Z#evt_1#000001")).toBe("2026-12-07T03:00:01.000Z");
  });
});
