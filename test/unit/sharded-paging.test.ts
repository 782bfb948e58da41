import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeNewestFirst, type ReadShard, shardOf } from "../../functions/adapters/dynamo/sharded-paging.ts";
import { rateShards, windowPlace } from "../../functions/core/policy/rate-limit.ts";

type Item = Record<string, unknown>;
const sortKey = (item: Item) => item.sk as string;

/**
 * Shards held in memory, read the way the DynamoDB adapter reads one: newest first below the
 * bound, keeping only items that pass `keep`, and looking at `perRead` items at most per read and
 * `reads` reads at most, so that a thinning filter leaves a frontier.
 */
function fakeShards(shards: Item[][], keep: (item: Item) => boolean = () => true, perRead = 1_000, reads = 10): ReadShard {
  return async (shard, before, want) => {
    const below = (shards[shard] ?? [])
      .filter((item) => before === undefined || sortKey(item) < before)
      .sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
    const items: Item[] = [];
    let evaluated = 0;
    for (let read = 0; read < reads && items.length < want; read++) {
      const slice = below.slice(evaluated, evaluated + perRead);
      evaluated += slice.length;
      items.push(...slice.filter(keep));
      if (evaluated >= below.length) return { items };
    }
    return { items, frontier: sortKey(below[evaluated - 1] as Item) };
  };
}

async function allPages(read: ReadShard, shards: number, limit: number): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let before: string | undefined;
  for (let pages = 1; pages < 10_000; pages++) {
    const page = await mergeNewestFirst(shards, read, sortKey, limit, before);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.next === undefined) return { items, pages };
    before = page.next;
  }
  throw new Error("the bound never ended");
}

const item = (sk: string, extra: Item = {}): Item => ({ sk, ...extra });

describe("merging shards newest first", () => {
  it("interleaves the shards by sort key and pages on with a bound", async () => {
    const shards = [
      [item("01"), item("04"), item("07")],
      [item("02"), item("05")],
      [item("03"), item("06"), item("08")],
    ];
    const first = await mergeNewestFirst(3, fakeShards(shards), sortKey, 3);
    expect(first.items.map(sortKey)).toEqual(["08", "07", "06"]);
    expect(first.next).toBe("06");
    const second = await mergeNewestFirst(3, fakeShards(shards), sortKey, 3, first.next);
    expect(second.items.map(sortKey)).toEqual(["05", "04", "03"]);
    const last = await mergeNewestFirst(3, fakeShards(shards), sortKey, 3, second.next);
    expect(last).toEqual({ items: [item("02"), item("01")] });
  });

  it("ends without a bound when every shard was read to its end", async () => {
    expect(await mergeNewestFirst(4, fakeShards([[item("1")], [], [item("2")]]), sortKey, 5)).toEqual({ items: [item("2"), item("1")] });
  });

  it("reads on past a shard a filter thinned out, to fill the page with what lies below it", async () => {
    // Shard 0 holds 30 failures above one success; shard 1 holds an older success.
    const shards = [
      [item("00", { ok: true }), ...Array.from({ length: 30 }, (_, i) => item(`5${String(i).padStart(2, "0")}`))],
      [item("01", { ok: true })],
    ];
    const read = fakeShards(shards, (i) => i.ok === true, 5, 2);
    expect(await mergeNewestFirst(2, read, sortKey, 10)).toEqual({ items: [item("01", { ok: true }), item("00", { ok: true })] });
  });

  it("ends a short page at the frontier when a few more reads do not get past it, and shows what lies beyond on the next", async () => {
    const shards = [
      [item("00", { ok: true }), ...Array.from({ length: 300 }, (_, i) => item(String(500 + i)))],
      [item("01", { ok: true })],
    ];
    const read = fakeShards(shards, (i) => i.ok === true, 5, 2);
    // Each read looks at 10 items: the first and four more leave shard 0 stopped at its 50th, 750.
    expect(await mergeNewestFirst(2, read, sortKey, 10)).toEqual({ items: [], next: "750" });
    expect((await allPages(read, 2, 10)).items.map(sortKey)).toEqual(["01", "00"]);
  });

  it("returns every item exactly once, newest first, whatever the shards, page size and filter (property)", async () => {
    const scenario = fc.record({
      keys: fc.uniqueArray(fc.integer({ min: 0, max: 99_999 }), { maxLength: 200 }),
      shards: fc.integer({ min: 1, max: 17 }),
      limit: fc.integer({ min: 1, max: 25 }),
      perRead: fc.integer({ min: 1, max: 30 }),
      keepEvery: fc.integer({ min: 1, max: 4 }),
      // Skewed: most items on one shard, which the first reads (about twice a shard's share) cannot cover.
      skewed: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ keys, shards, limit, perRead, keepEvery, skewed }) => {
        const all = keys.map((k) => item(String(k).padStart(5, "0"), { n: k }));
        const spread: Item[][] = Array.from({ length: shards }, () => []);
        for (const i of all) spread[skewed && (i.n as number) % 7 !== 0 ? 0 : shardOf(sortKey(i), shards)]?.push(i);
        const keep = (i: Item) => (i.n as number) % keepEvery === 0;
        const { items } = await allPages(fakeShards(spread, keep, perRead, 3), shards, limit);
        const expected = all.filter(keep).sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
        expect(items).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("choosing a shard", () => {
  it("puts a key on the same shard every time, within range", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, shards) => {
        const shard = shardOf(key, shards);
        expect(shard).toBe(shardOf(key, shards));
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(shards);
      }),
    );
  });

  it("spreads one endpoint's attempt keys so that no shard of 16 holds more than a tenth of them", () => {
    const counts = new Array<number>(16).fill(0);
    const start = Date.UTC(2026, 11, 2);
    for (let i = 0; i < 10_000; i++) {
      const at = new Date(start + Math.floor(i / 10)).toISOString();
      const shard = shardOf(`${at}#evt_${i.toString(36)}#000001`, 16);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    expect(Math.max(...counts)).toBeLessThan(1_000);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });
});

describe("a rate window counted on shards", () => {
  it("admits exactly the limit when every shard is full, whatever the limit (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), (limit) => {
        const shards = rateShards(limit, 16);
        let admitted = 0;
        for (let shard = 0; shard < shards; shard++) {
          for (let count = 1; count <= limit; count++) if (windowPlace(count, shard, shards) <= limit) admitted++;
        }
        expect(admitted).toBe(limit);
      }),
    );
  });

  it("counts a small limit on one shard and gives each shard at least 8 places", () => {
    expect(rateShards(1, 16)).toBe(1);
    expect(rateShards(15, 16)).toBe(1);
    expect(rateShards(16, 16)).toBe(2);
    expect(rateShards(1_000, 16)).toBe(16);
    for (let limit = 1; limit <= 1_000; limit++)
      expect(Math.floor(limit / rateShards(limit, 16))).toBeGreaterThanOrEqual(Math.min(limit, 8));
  });

  it("places one shard's takes as one counter would", () => {
    expect([1, 2, 3].map((count) => windowPlace(count, 0, 1))).toEqual([1, 2, 3]);
  });
});
