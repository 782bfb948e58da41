import { ApiError } from "../kernel/errors.ts";
import type { FeedPosition } from "./cursor.ts";
import { ENTRY_SLACK_DAYS, type FeedEntry, type FeedHead, type FeedReadDeps, type FeedSlot } from "./deps.ts";

/*
 * Why a follower skips nothing. Writers take numbers from one counter, then fill their slot, so
 * slots are filled out of order and a reader can meet a number that is allocated but not filled
 * yet. The reader never moves past such a hole while its writer may still fill it: only once the
 * hole is older than the grace period does it close the slot with a tombstone, written with the
 * same "only if empty" condition the writer's fill uses. One of the two wins: either the entry
 * landed first (the reader sees it and hands it out) or the tombstone did (the writer's fill fails
 * and it appends again under a new number). So a position only moves past slots that hold an
 * entry it handed out or a tombstone, whatever the timing of writers, readers and clocks.
 */

/** One entry as read, with its number. */
export type NumberedEntry = FeedEntry & { seq: number };

/** A read: entries in number order (the order the feed accepted them), and where the next read starts. */
export interface FeedPage {
  entries: NumberedEntry[];
  position: FeedPosition;
}

const DAY_MS = 86_400_000;
/** Queries one read makes at most; a page is usually one. */
const MAX_QUERIES = 5;
/** How far below the oldest kept slot a read without a cursor looks for appends still in flight. */
export const START_BACKTRACK = 100;

/**
 * Bytes one page's bodies may take in the answer. Lambda refuses a response over 6 MB (6,291,456
 * bytes: the whole invocation result, where the answer travels as the escaped `body` string of the
 * proxy response) and the gateway answers 5xx. Each item holds its body twice, as `payload` and as
 * the `body` string (escaped once more), so an entry costs pageBytes(body), counted as it travels;
 * 512 KiB stay for the rest of up to 100 items (ids, timestamps and signatures, under 1 KiB each
 * escaped) and the envelope. An entry of the largest body (256 KiB) costs at most about 1.6 MB
 * when every character is escaped, so one always fits.
 */
export const MAX_PAGE_BYTES = 6 * 1024 * 1024 - 512 * 1024;

/** What a body adds to the Lambda response: `payload` (the body's JSON, escaped in the envelope) and `body` (a JSON string, escaped again). */
export function pageBytes(body: string): number {
  const asString = JSON.stringify(body);
  return Buffer.byteLength(asString) + Buffer.byteLength(JSON.stringify(asString));
}

/**
 * Up to `limit` entries from `from` on (no position: from the oldest entry kept), stopping before a
 * hole that may still be filled, and before the entry whose body would take the page past
 * `maxBytes` (MAX_PAGE_BYTES, by pageBytes): at least one entry, so a reader always moves on, and
 * the next page starts at the entry left out. `head` saves a read when the caller has just read it.
 */
export async function readFeed(
  deps: FeedReadDeps,
  endpointId: string,
  from: FeedPosition | undefined,
  limit: number,
  given?: FeedHead,
  maxBytes = MAX_PAGE_BYTES,
): Promise<FeedPage> {
  const now = deps.clock.now().getTime();
  const head = given ?? (await deps.feed.head(endpointId));
  const start = from ?? (await startPosition(deps, endpointId, head, now));
  const entries: NumberedEntry[] = [];
  let { next, floorMs } = start;
  let bytes = 0;
  let full = false;
  for (let queries = 0; queries < MAX_QUERIES && next <= head.seq && entries.length < limit; queries++) {
    const want = limit - entries.length + 1;
    // A slot past its expiresAt reads as a closed one: its entry is gone for readers before TTL deletes it.
    const slots = (await deps.feed.slots(endpointId, next, head.seq, want)).map((s) => withoutExpiredEntry(s, now));
    const complete = slots.length < want;
    let i = 0;
    let stop = false;
    while (next <= head.seq && entries.length < limit) {
      const slot = slots[i];
      if (slot?.seq === next) {
        if (slot.entry) {
          bytes += pageBytes(slot.entry.body);
          // The entry that would pass the budget starts the next page instead.
          if (bytes > maxBytes && entries.length > 0) {
            full = true;
            break;
          }
          entries.push({ seq: slot.seq, ...slot.entry });
          floorMs = Math.max(floorMs, Date.parse(slot.allocatedAt));
        }
        next++;
        i++;
        continue;
      }
      // Past the slots this query returned: read on, unless it returned every one up to the head.
      if (slot === undefined && !complete) break;
      const hole = await closeHole(deps, endpointId, next, slot, floorMs, now, entries.length === 0 && from !== undefined);
      if (hole === "closed") {
        next++;
        continue;
      }
      stop = true;
      if (hole === "filled") stop = false; // read again from the hole, which holds something now
      break;
    }
    if (stop || full) break;
  }
  return { entries, position: { next, floorMs } };
}

/**
 * What to do at a number no slot holds yet: wait (its writer may still fill it), or close it. A hole
 * is old enough when a later slot was allocated before the grace period began (numbers are
 * allocated in order, so the hole was allocated before that slot). A hole met by a cursor whose
 * slots may have outlived the retention may be an expired entry: that cursor is expired.
 */
async function closeHole(
  deps: FeedReadDeps,
  endpointId: string,
  seq: number,
  later: FeedSlot | undefined,
  floorMs: number,
  now: number,
  first: boolean,
): Promise<"wait" | "closed" | "filled"> {
  const retentionMs = deps.settings.logRetentionDays * DAY_MS;
  if (floorMs + retentionMs < now) {
    if (first)
      throw new ApiError("cursor_expired", `The cursor is older than the feed's retention (${deps.settings.logRetentionDays} days)`);
    return "wait";
  }
  if (later === undefined || Date.parse(later.allocatedAt) > now - deps.settings.holeGraceMs) return "wait";
  const tombstone = { seq, allocatedAt: new Date(now).toISOString() };
  const expiresAt = Math.floor(now / 1000) + (deps.settings.logRetentionDays + ENTRY_SLACK_DAYS) * 86_400;
  return (await deps.feed.fill(endpointId, tombstone, expiresAt)) ? "closed" : "filled";
}

/**
 * Where a read without a cursor starts: the oldest slot kept. When that slot is recent, appends
 * still in flight may hold lower numbers: the start moves down to just after the highest slot below
 * it allocated before the grace period (at most START_BACKTRACK numbers down), and the holes between
 * are waited for as any other. A slot that is present says nothing of the numbers below it; only
 * its age does (numbers are allocated in order).
 */
async function startPosition(deps: FeedReadDeps, endpointId: string, head: FeedHead, now: number): Promise<FeedPosition> {
  const since = new Date(now - deps.settings.logRetentionDays * DAY_MS).toISOString();
  const oldest = await deps.feed.oldestSince(endpointId, since);
  const top = oldest?.seq ?? head.seq + 1;
  const floorMs = oldest ? Math.min(now, Date.parse(oldest.allocatedAt)) : now;
  const settledBefore = now - deps.settings.holeGraceMs;
  if (oldest && floorMs < settledBefore) return { next: top, floorMs };
  const low = Math.max(1, top - START_BACKTRACK);
  const below = top > low ? await deps.feed.slots(endpointId, low, top - 1, START_BACKTRACK) : [];
  const settled = below.filter((slot) => Date.parse(slot.allocatedAt) < settledBefore).at(-1);
  return { next: settled ? settled.seq + 1 : low, floorMs };
}

/** The slot, its entry dropped when the slot is past its expiresAt at `nowMs`. */
export function withoutExpiredEntry(slot: FeedSlot, nowMs: number): FeedSlot {
  if (slot.expiresAt === undefined || slot.expiresAt * 1000 > nowMs || !slot.entry) return slot;
  const { entry: _hidden, ...closed } = slot;
  return closed;
}
