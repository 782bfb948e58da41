import type { AttemptRecord, EventRecord } from "../kernel/model.ts";

/*
 * The order a resend (a recovery) puts one endpoint's deliveries in. An ordered line took each
 * delivery once, in emission order, when it first attempted (or skipped) it on its scheduled chain:
 * that first record's time is the delivery's place, which also puts a scheduled delivery where it
 * entered the line (when due) rather than where it was accepted. A delivery with no scheduled record
 * (only manual chains) falls back on its first record. Ties (one millisecond) go by the event's
 * acceptance time, then its id. Ids alone would not do: a caller names its events (an
 * Idempotency-Key's id is a hash), so ids need not sort as emitted.
 */

/** The key that sorts one endpoint's deliveries, as strings, in the order its line first took them. */
export function emissionKey(event: Pick<EventRecord, "id" | "createdAt">, history: readonly AttemptRecord[]): string {
  const scheduled = history.filter((a) => a.chain === undefined);
  const firsts = (scheduled.length > 0 ? scheduled : history).map((a) => a.at).sort();
  return `${firsts[0] ?? event.createdAt}#${event.createdAt}#${event.id}`;
}

/** Compares two emission keys (plain string order: ISO times of one format sort as strings). */
export function byEmission(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
