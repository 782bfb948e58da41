/**
 * An endpoint's attempt list written per batch, not per attempt (issue 27): the attempt items stay
 * in their event's partition without index keys, and one list item per (batch, endpoint) holds the
 * summaries the list's readers need. This file is the pure part: the summary's compact form, how a
 * batch's summaries are cut into items of one write unit, and the newest-first merge of list items
 * (and of the one-attempt gsi1 items written before, read until their TTL) into pages.
 *
 * Order: every attempt has a key `{at}#{eventId}#{n}` (manual chains `{at}#{eventId}#M#{chain}#{n}`),
 * the gsi1 sort key the attempts had before. A list item's sort key is its newest attempt's key plus
 * `#{flush id}`, so it is at least every key it holds, and its attempts span less than MAX_SPAN_MS.
 */
import type { AttemptRecord, AttemptStatus, AttemptSummary } from "../../core/kernel/model.ts";
import { keys } from "./table-design.ts";

/**
 * The attempts of one list item are less than this apart, so a reader starting below a bound reads
 * the items of this much time above it again. A batch's attempts start within milliseconds of each
 * other (they are sent concurrently), so this rarely splits one; a wider span costs every cursor more reads.
 */
export const MAX_SPAN_MS = 1_000;
/** Bytes of one list item at most (DynamoDB's size: names plus values): one write unit. */
export const ITEM_BYTES = 1_024;
/** What a list item's keys and fixed attributes take beside its entries, with margin (ids up to 64 characters). */
const FIXED_BYTES = 300;

const STATUS_CODES: Record<AttemptStatus, string> = { succeeded: "s", failed: "f", exhausted: "x", skipped: "k" };
const STATUSES = Object.fromEntries(Object.entries(STATUS_CODES).map(([k, v]) => [v, k])) as Record<string, AttemptStatus>;

/** The attempt's place in its endpoint's list, newest first (the gsi1 sort key of the items written before). */
export function attemptKey(a: Pick<AttemptRecord, "at" | "eventId" | "attempt" | "chain">): string {
  return a.chain === undefined
    ? keys.endpointAttemptSort(a.at, a.eventId, a.attempt)
    : keys.manualAttemptSort(a.at, a.eventId, a.chain, a.attempt);
}

/** The key of the attempt item a summary stands for, in its event's partition. */
export function attemptItemKey(a: Pick<AttemptRecord, "eventId" | "endpointId" | "attempt" | "chain">): { pk: string; sk: string } {
  return a.chain === undefined
    ? keys.attempt(a.eventId, a.endpointId, a.attempt)
    : keys.manualAttempt(a.eventId, a.endpointId, a.chain, a.attempt);
}

/** One list item's attributes beside its keys. */
export interface ListItemBody {
  tenantId: string;
  endpointId: string;
  /** The newest attempt's time in ms; each entry holds its offset below it. */
  base: number;
  /** JSON: one array per attempt, newest first. */
  entries: string;
  /** The latest expiry of its attempts: the item goes when the last of them may. */
  expiresAt: number;
}

/**
 * An entry: [eventId, attempt, status, ms below base, durationMs, statusCode|0, error|0, chain|0,
 * trigger (0: the chain's own), seconds kept after its time]. Arrays, not objects: no names repeated.
 */
type Entry = [string, number, string, number, number, number, string | 0, string | 0, string | 0, number];

function entryOf(a: AttemptSummary, base: number): Entry {
  const atMs = Date.parse(a.at);
  const ownTrigger = a.chain === undefined ? "scheduled" : "manual";
  return [
    a.eventId,
    a.attempt,
    STATUS_CODES[a.status],
    base - atMs,
    a.durationMs,
    a.statusCode ?? 0,
    a.error ?? 0,
    a.chain ?? 0,
    a.trigger === ownTrigger ? 0 : a.trigger,
    a.expiresAt - Math.floor(atMs / 1000),
  ];
}

/** The summaries a list item holds, newest first. */
export function summariesOf(item: ListItemBody): AttemptSummary[] {
  return (JSON.parse(item.entries) as Entry[]).map(([eventId, attempt, status, below, durationMs, code, error, chain, trigger, kept]) => {
    const atMs = item.base - below;
    return {
      eventId,
      endpointId: item.endpointId,
      tenantId: item.tenantId,
      attempt,
      trigger: trigger === 0 ? (chain === 0 ? "scheduled" : "manual") : (trigger as AttemptRecord["trigger"]),
      ...(chain !== 0 && { chain }),
      status: STATUSES[status] as AttemptStatus,
      at: new Date(atMs).toISOString(),
      durationMs,
      ...(code !== 0 && { statusCode: code }),
      ...(error !== 0 && { error: error as AttemptRecord["error"] }),
      expiresAt: Math.floor(atMs / 1000) + kept,
    };
  });
}

/** One list item to write: its sort key's part before the flush id, and its body. */
export interface ListItemDraft {
  newestKey: string;
  body: ListItemBody;
}

/**
 * Cuts one endpoint's summaries into list items: newest first, each item under ITEM_BYTES (so one
 * write unit) and spanning less than MAX_SPAN_MS. A batch of ten attempts to one endpoint is one item.
 */
export function listItems(summaries: readonly AttemptSummary[]): ListItemDraft[] {
  const sorted = [...summaries].sort((a, b) => cmpDesc(attemptKey(a), attemptKey(b)));
  const drafts: ListItemDraft[] = [];
  let group: AttemptSummary[] = [];
  const close = () => {
    if (group.length > 0) drafts.push(draftOf(group));
    group = [];
  };
  for (const a of sorted) {
    const first = group[0];
    if (first && (Date.parse(first.at) - Date.parse(a.at) >= MAX_SPAN_MS || bytesOf([...group, a]) > ITEM_BYTES - FIXED_BYTES)) close();
    group.push(a);
  }
  close();
  return drafts;
}

function draftOf(group: AttemptSummary[]): ListItemDraft {
  const newest = group[0] as AttemptSummary;
  const base = Date.parse(newest.at);
  return {
    newestKey: attemptKey(newest),
    body: {
      tenantId: newest.tenantId,
      endpointId: newest.endpointId,
      base,
      entries: JSON.stringify(group.map((a) => entryOf(a, base))),
      expiresAt: Math.max(...group.map((a) => a.expiresAt)),
    },
  };
}

/** The bytes a group's entries take in an item (the attribute's value). */
function bytesOf(group: AttemptSummary[]): number {
  const base = Date.parse((group[0] as AttemptSummary).at);
  return Buffer.byteLength(JSON.stringify(group.map((a) => entryOf(a, base))));
}

/** The sort key a list item is stored under: at least every attempt key it holds. */
export function listItemSort(draft: ListItemDraft, flushId: string): string {
  return `${draft.newestKey}#${flushId}`;
}

/**
 * The highest list-item sort key that can hold an attempt below `bound` (an attempt key, a list
 * item's sort key or a time, each starting with an ISO time): an item whose newest attempt is
 * MAX_SPAN_MS or more later holds only later attempts. Undefined when the bound has no time.
 */
export function itemBoundFor(bound: string): string | undefined {
  const ms = Date.parse(bound.slice(0, 24));
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/.test(bound) || Number.isNaN(ms)) return undefined;
  return new Date(ms + MAX_SPAN_MS).toISOString();
}

/** One read of a shard of the list: the entries it found (filtered by the reader), and where it stopped if it has more. */
export interface ChunkRead<T> {
  entries: T[];
  /**
   * When the shard has more: a key every unread entry of the shard is below (the sort key of the
   * last item read). Undefined when the shard is read to its end.
   */
  frontier?: string;
}

/** Reads a shard: its first items (`from` undefined) or those below `from` (a frontier it gave), about `want` entries. */
export type ReadChunks<T> = (shard: number, from: string | undefined, want: number) => Promise<ChunkRead<T>>;

/**
 * One page of at most `limit` entries, newest first, merged from `shards` shards whose items hold
 * one entry (the gsi1 items) or many (list items). An entry is final once it is at or above every
 * shard's frontier (nothing unread can come before it); the shard with the highest frontier is read
 * on until more than `limit` are final or `maxRefills` reads were made, then the page ends at the
 * last entry shown or at that frontier (a short page). While the highest frontier is still above
 * `bound` (the reader's entries are below it; list items up to MAX_SPAN_MS above it were read) the
 * reads go on regardless, so `next` never climbs back above the bound and each page makes progress.
 * An entry listed twice (the same key) is shown once. `next` is the bound the next page's entries
 * are strictly below: no entry is skipped or repeated.
 */
export async function mergeChunks<T>(
  shards: number,
  read: ReadChunks<T>,
  keyOf: (entry: T) => string,
  limit: number,
  bound?: string,
  maxRefills = 2 * shards,
): Promise<{ items: T[]; next?: string }> {
  const share = Math.max(2, Math.ceil((2 * (limit + 1)) / shards) + 1);
  const reads = await Promise.all(Array.from({ length: shards }, (_, shard) => read(shard, undefined, share)));
  const entries = reads.flatMap((r) => r.entries);
  const frontiers = reads.map((r) => r.frontier);
  let cutoff = highest(frontiers);
  const aboveBound = (c: string) => bound !== undefined && c >= bound;
  for (let refills = 0; cutoff !== undefined && (refills < maxRefills || aboveBound(cutoff)); refills++) {
    const above = new Set(entries.map(keyOf).filter((k) => k >= (cutoff as string))).size;
    if (above > limit) break;
    const shard = frontiers.indexOf(cutoff);
    const more = await read(shard, cutoff, limit + 1 - above);
    entries.push(...more.entries);
    frontiers[shard] = more.frontier;
    cutoff = highest(frontiers);
  }
  const unique = new Map<string, T>();
  for (const e of entries) {
    const k = keyOf(e);
    if ((cutoff === undefined || k >= cutoff) && !unique.has(k)) unique.set(k, e);
  }
  const merged = [...unique.entries()].sort(([a], [b]) => cmpDesc(a, b));
  const page = merged.slice(0, limit);
  if (merged.length > limit) return { items: page.map(([, e]) => e), next: (page.at(-1) as [string, T])[0] };
  return cutoff === undefined ? { items: page.map(([, e]) => e) } : { items: page.map(([, e]) => e), next: cutoff };
}

function highest(frontiers: (string | undefined)[]): string | undefined {
  return frontiers.reduce<string | undefined>((a, b) => (b !== undefined && (a === undefined || b > a) ? b : a), undefined);
}

function cmpDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
