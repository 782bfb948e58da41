/**
 * The per-endpoint rate limit is a fixed one-second window counted across every worker (an atomic
 * ADD in DynamoDB, see functions/adapters/dynamo/dynamo-rate-counter.ts). A delivery that finds its
 * window full waits for a later one: it is neither sent, dropped nor counted as a failed attempt.
 * A window may be counted on several shards, so that no one counter takes every delivery's write;
 * each shard admits its share of the limit, and together they admit exactly the limit.
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

/** Fewest deliveries a second one shard of a window admits: a small share turns deliveries away below the limit. */
const MIN_SHARE_PER_SHARD = 8;

/** How many shards a window of `limit` is counted on: as many as `most`, each admitting at least 8 a second. */
export function rateShards(limit: number, most: number): number {
  return Math.max(1, Math.min(most, Math.floor(limit / MIN_SHARE_PER_SHARD)));
}

/**
 * A delivery's place in the whole window from its `count` on shard `shard` of `shards`. Shard s
 * admits ceil((limit - s) / shards) places within `limit`; summed over the shards that is `limit`,
 * so the shards together never admit more than one counter would.
 */
export function windowPlace(count: number, shard: number, shards: number): number {
  return (count - 1) * shards + shard + 1;
}
