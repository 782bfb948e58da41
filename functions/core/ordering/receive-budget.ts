import { MAX_VISIBILITY_SECONDS } from "../policy/retry-schedule.ts";

/*
 * How many receives an ordered delivery may take, and why. On SQS FIFO a waiting head stays in
 * flight (ChangeMessageVisibility) rather than going back as a copy, which would join the back of
 * its group; each wait is one more receive of the head and of every delivery of its batch held
 * back behind it. So one delivery is received at most once per attempt and per wait of each
 * delivery ahead of it in its batch window, and its own:
 *
 *   receives ≤ BATCH × (attempts + waits per delivery)
 *
 * With the default schedule (8 attempts) that is 10 × 8 = 80 plus waits; a wait for an open circuit
 * lasts a cool-down (at least seconds, growing to CIRCUIT_MAX_COOLDOWN_SECONDS), a rate-limit wait
 * one second, and a Retry-After is clamped to twice the scheduled delay, so waits are few between
 * attempts. SQS caps maxReceiveCount at 1,000: we take all of it, and the consumer itself gives a
 * head up (dead-lettered, recorded exhausted, announced) a few receives before SQS would move it
 * silently to the ordered dead-letter queue, so that the next delivery goes and the log says why.
 */

/** SQS's own ceiling for a redrive policy's maxReceiveCount, which the ordered queue uses. */
export const ORDERED_MAX_RECEIVE_COUNT = 1_000;
/** Messages per batch of the ordered event source: one group's deliveries go in order, at most this many per receive. */
export const ORDERED_BATCH_SIZE = 10;
/** The consumer gives a head up at this receive count, before SQS's redrive takes it unannounced. */
export const ORDERED_GIVE_UP_RECEIVES = ORDERED_MAX_RECEIVE_COUNT - ORDERED_BATCH_SIZE;
/** The ordered queue keeps messages as long as SQS allows: a held-back delivery may wait for days. */
export const ORDERED_RETENTION_SECONDS = 14 * 86_400;
/** A delivery this close to the queue's retention disables its endpoint, so that the rest are recorded skipped before SQS deletes them. */
export const STUCK_MARGIN_SECONDS = 2 * 86_400;
/** How long a line waits after a failure of our own (DynamoDB or SQS unreachable) before it is tried again: 1,000 receives last about 8 hours of outage. */
export const OUR_FAILURE_HOLD_SECONDS = 30;

/** The visibility to hold a line for a wait until `untilMs`: whole seconds, at least 1, within SQS's limit. */
export function holdSeconds(untilMs: number, nowMs: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil((untilMs - nowMs) / 1000)));
}

/** Whether a delivery sent to the queue at `sentAtMs` has waited so long that its endpoint must be disabled. */
export function isStuck(sentAtMs: number, nowMs: number, retentionSeconds: number): boolean {
  return nowMs - sentAtMs >= (retentionSeconds - STUCK_MARGIN_SECONDS) * 1000;
}
