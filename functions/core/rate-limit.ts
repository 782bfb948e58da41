/**
 * The per-endpoint rate limit is a fixed one-second window counted across every worker (an atomic
 * ADD in DynamoDB, see functions/adapters/dynamo-rate-counter.ts). A delivery that finds its
 * window full waits for a later one: it is neither sent, dropped nor counted as a failed attempt.
 */

/** Most deliveries per second an endpoint may set: one DynamoDB partition takes about 1,000 writes a second. */
export const MAX_RATE_LIMIT_PER_SECOND = 1000;

/**
 * Seconds a delivery must wait when it was number `count` in a window that admits `limit`, or 0 when
 * it may go. The overflow spreads over the following windows, `limit` per second.
 */
export function rateLimitWaitSeconds(count: number, limit: number): number {
  if (count <= limit) return 0;
  return Math.max(1, Math.ceil((count - limit) / limit));
}
