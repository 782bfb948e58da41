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
 * The fewest items the first read asks of a shard: a query is billed at least half a read unit,
 * 4 KB, about five attempt or event items, so asking fewer saves nothing and costs more reads on.
 */
const SMALLEST_SHARE = 5;

/**
 * One page of at most `limit` items, newest first, merged from `shards` shards. Each shard is first
 * asked for about twice its share of the page (at least SMALLEST_SHARE); the shard whose frontier (where it stopped reading)
 * is highest is then read on, one at a time, until the items above the highest frontier fill the
 * page: below that frontier a shard is unread, and an older item of another shard could come before
 * its unread ones. A page that still falls short after a few such reads ends at that frontier, so
 * a page may be short, never out of order.
 */
export async function mergeNewestFirst(
  shards: number,
  read: ReadShard,
  sortKey: (item: Item) => string,
  limit: number,
  before?: string,
): Promise<MergedPage> {
  const share = Math.min(limit + 1, Math.max(SMALLEST_SHARE, Math.ceil((2 * (limit + 1)) / shards) + 1));
  const reads = await Promise.all(Array.from({ length: shards }, (_, shard) => read(shard, before, share)));
  const items = reads.flatMap((r) => r.items);
  const frontiers = reads.map((r) => r.frontier);
  let cutoff = highest(frontiers);
  for (let refills = 0; cutoff !== undefined && refills < 2 * shards; refills++) {
    const above = items.filter((item) => sortKey(item) >= (cutoff as string)).length;
    if (above > limit) break;
    const shard = frontiers.indexOf(cutoff);
    const more = await read(shard, cutoff, limit + 1 - above);
    items.push(...more.items);
    frontiers[shard] = more.frontier;
    cutoff = highest(frontiers);
  }
  const merged = items
    .filter((item) => cutoff === undefined || sortKey(item) >= cutoff)
    .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
  const page = merged.slice(0, limit);
  if (merged.length > limit) return { items: page, next: sortKey(page.at(-1) as Item) };
  return cutoff === undefined ? { items: page } : { items: page, next: cutoff };
}

/** The highest of the shards' frontiers, if any shard has more to read. */
function highest(frontiers: (string | undefined)[]): string | undefined {
  return frontiers.reduce<string | undefined>((a, b) => (b !== undefined && (a === undefined || b > a) ? b : a), undefined);
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
