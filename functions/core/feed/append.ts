import type { Clock } from "../kernel/clock.ts";
import { DependencyError } from "../kernel/errors.ts";
import { ENTRY_SLACK_DAYS, type FeedAppender, type FeedEntry } from "./deps.ts";

/** Numbers taken at most for one append: each loss is a reader that closed the slot first, which takes a writer slower than the grace period. */
const APPEND_TRIES = 5;

/**
 * Appends the entry: allocates the next number, then fills its slot only if it is still empty. A
 * reader that waited out the grace period may have closed the slot with a tombstone; the entry then
 * takes a new number. A fill refused because this writer's own earlier try landed (an SDK retry
 * after a lost answer) is recognised by the entry's id. Returns the number the entry got.
 */
export async function appendToFeed(
  deps: { feed: FeedAppender; clock: Clock; logRetentionDays: number },
  endpointId: string,
  entry: FeedEntry,
): Promise<number> {
  for (let tries = 0; tries < APPEND_TRIES; tries++) {
    const seq = await deps.feed.allocate(endpointId);
    // Read after the counter answered: an upper bound of when the number was allocated, which is what a reader's grace needs.
    const at = deps.clock.now();
    const expiresAt = Math.floor(at.getTime() / 1000) + (deps.logRetentionDays + ENTRY_SLACK_DAYS) * 86_400;
    if (await deps.feed.fill(endpointId, { seq, allocatedAt: at.toISOString(), entry }, expiresAt)) return seq;
    if ((await deps.feed.slot(endpointId, seq))?.entry?.id === entry.id) return seq;
  }
  throw new DependencyError("dynamodb", `Feed of ${endpointId}: ${APPEND_TRIES} numbers were closed before their entry was written`);
}
