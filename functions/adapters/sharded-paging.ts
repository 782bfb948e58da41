/**
 * Newest-first paging over a list spread across several partitions (shards). Each shard is sorted
 * by the same sort key, and a sort key lives on one shard only, so the merged list is every
 * shard's items ordered by sort key. The cursor is a sort-key bound: the next page is every shard
 * read below it, so it needs no per-shard state and stays small.
 */

type Item = Record<string, unknown>;

/** One shard's answer: its newest items below the bound, and where it stopped when more may follow. */
export interface ShardRead {
  items: Item[];
  /** The sort key of the last item the shard evaluated when it has more (a filter may have dropped that item). */
  frontier?: string;
}

/** Reads one shard: items with a sort key below `before` (all when undefined), newest first, at least `want` if it has them. */
export type ReadShard = (shard: number, before: string | undefined, want: number) => Promise<ShardRead>;

/** One merged page and the bound the next page starts below, if there is more. */
export interface MergedPage {
  items: Item[];
  next?: string;
}

/**
 * One page of at most `limit` items, newest first, merged from `shards` shards. A shard that has
 * more than it returned stops the page at its frontier: an older item of another shard could
 * otherwise come before that shard's unread ones. So a page may be short, never out of order.
 */
export async function mergeNewestFirst(
  shards: number,
  read: ReadShard,
  sortKey: (item: Item) => string,
  limit: number,
  before?: string,
): Promise<MergedPage> {
  const reads = await Promise.all(Array.from({ length: shards }, (_, shard) => read(shard, before, limit + 1)));
  const frontiers = reads.flatMap((r) => (r.frontier === undefined ? [] : [r.frontier]));
  // Below the highest frontier some shard is unread: nothing under it may be shown yet.
  const cutoff = frontiers.length > 0 ? frontiers.reduce((a, b) => (a > b ? a : b)) : undefined;
  const merged = reads
    .flatMap((r) => r.items)
    .filter((item) => cutoff === undefined || sortKey(item) >= cutoff)
    .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
  const items = merged.slice(0, limit);
  if (merged.length > limit) return { items, next: sortKey(items.at(-1) as Item) };
  return cutoff === undefined ? { items } : { items, next: cutoff };
}

/** A shard for a sort key: FNV-1a, so an endpoint's attempts spread evenly and a key always lands on the same shard. */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
