import { beforeEach, describe, expect, it } from "vitest";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import type { FeedPosition } from "../../functions/core/feed/cursor.ts";
import { type FeedEntry, type FeedReadDeps, HOLE_GRACE_MS } from "../../functions/core/feed/deps.ts";
import { readFeed, START_BACKTRACK } from "../../functions/core/feed/read.ts";
import { FakeClock } from "../support/fakes.ts";
import { MemoryFeed } from "../support/memory-feed.ts";

const entry = (n: number): FeedEntry => ({
  id: `fi_${n}`,
  eventId: `evt_${n}`,
  eventType: "invoice.paid",
  timestamp: "2026-11-01T00:00:00.000Z",
  body: JSON.stringify({ n }),
});

describe("reading a feed", () => {
  let feed: MemoryFeed;
  let clock: FakeClock;
  let deps: FeedReadDeps;
  // A slot's TTL well past the test's clock: a slot past its expiresAt is read as closed.
  const KEPT = Date.parse("2030-01-01T00:00:00Z") / 1000;
  const append = (n: number) => appendToFeed({ feed, clock, logRetentionDays: 30 }, "ep_1", entry(n));
  const read = (from: FeedPosition | undefined, limit = 50) => readFeed(deps, "ep_1", from, limit);

  beforeEach(() => {
    feed = new MemoryFeed();
    clock = new FakeClock();
    deps = { feed, clock, settings: { logRetentionDays: 30, holeGraceMs: HOLE_GRACE_MS } };
  });

  it("hands out entries in the order their numbers were allocated, a page at a time", async () => {
    for (let n = 1; n <= 5; n++) await append(n);
    const first = await read(undefined, 3);
    expect(first.entries.map((e) => e.eventId)).toEqual(["evt_1", "evt_2", "evt_3"]);
    const second = await read(first.position, 3);
    expect(second.entries.map((e) => e.eventId)).toEqual(["evt_4", "evt_5"]);
    const third = await read(second.position, 3);
    expect(third).toEqual({ entries: [], position: second.position });
  });

  it("stops before a number allocated but not filled yet, then hands it out once filled", async () => {
    await append(1);
    const two = await feed.allocate("ep_1");
    await append(3);
    const before = await read(undefined);
    expect(before.entries.map((e) => e.seq)).toEqual([1]);
    await feed.fill("ep_1", { seq: two, allocatedAt: clock.now().toISOString(), entry: entry(2) }, KEPT);
    const after = await read(before.position);
    expect(after.entries.map((e) => e.seq)).toEqual([2, 3]);
  });

  it("waits at a hole until a later number is older than the grace period, then closes it for good", async () => {
    await append(1);
    const crashed = await feed.allocate("ep_1");
    await append(3);
    const first = await read(undefined);
    clock.advance(HOLE_GRACE_MS - 1);
    expect((await read(first.position)).entries).toEqual([]);
    clock.advance(2);
    const after = await read(first.position);
    expect(after.entries.map((e) => e.seq)).toEqual([3]);
    expect((await feed.slot("ep_1", crashed))?.entry).toBeUndefined();
    // The writer that was this slow finds its slot closed and appends under a new number.
    const late = await appendToFeed({ feed, clock, logRetentionDays: 30 }, "ep_1", entry(2));
    expect(late).toBe(4);
    expect((await read(after.position)).entries.map((e) => e.eventId)).toEqual(["evt_2"]);
  });

  it("does not pass a hole at the head of the feed, which no later number dates", async () => {
    await append(1);
    await feed.allocate("ep_1");
    const first = await read(undefined);
    clock.advance(10 * HOLE_GRACE_MS);
    const again = await read(first.position);
    expect(again).toEqual({ entries: [], position: first.position });
  });

  it("starts a cursorless read below a recent oldest entry, so appends in flight are not skipped", async () => {
    const inFlight = await feed.allocate("ep_1");
    await append(2);
    const start = await read(undefined);
    expect(start.entries).toEqual([]);
    await feed.fill("ep_1", { seq: inFlight, allocatedAt: clock.now().toISOString(), entry: entry(1) }, KEPT);
    expect((await read(start.position)).entries.map((e) => e.seq)).toEqual([1, 2]);
  });

  it("starts a cursorless read at the oldest entry kept, and looks back at most a bounded number of slots", async () => {
    for (let n = 1; n <= 3; n++) await append(n);
    clock.advance(31 * 86_400_000);
    feed.expire("ep_1", clock.time / 1000 + 2 * 86_400);
    for (let n = 4; n <= 5; n++) await append(n);
    clock.advance(HOLE_GRACE_MS + 1);
    expect((await read(undefined)).entries.map((e) => e.seq)).toEqual([4, 5]);
  });

  it("looks back at most START_BACKTRACK numbers below a recent oldest entry", async () => {
    for (let n = 1; n <= START_BACKTRACK + 5; n++) await feed.allocate("ep_1");
    await append(START_BACKTRACK + 6);
    const start = await read(undefined);
    expect(start.position.next).toBe(6);
  });

  it("answers cursor_expired when the next slot may have been deleted by the retention", async () => {
    await append(1);
    await append(2);
    const first = await read(undefined, 1);
    clock.advance(32 * 86_400_000);
    feed.expire("ep_1", clock.time / 1000);
    await expect(read(first.position)).rejects.toMatchObject({ code: "cursor_expired", status: 410 });
  });

  it("keeps an idle follower's cursor valid past the retention when nothing was appended", async () => {
    await append(1);
    const first = await read(undefined);
    clock.advance(90 * 86_400_000);
    feed.expire("ep_1", clock.time / 1000);
    expect(await read(first.position)).toEqual({ entries: [], position: first.position });
    await append(2);
    expect((await read(first.position)).entries.map((e) => e.eventId)).toEqual(["evt_2"]);
  });

  it("recognises its own earlier fill after a lost answer instead of taking a new number", async () => {
    let calls = 0;
    const flaky = {
      ...feed,
      allocate: (id: string) => feed.allocate(id),
      slot: (id: string, seq: number) => feed.slot(id, seq),
      fill: async (id: string, slot: Parameters<MemoryFeed["fill"]>[1], expiresAt: number) => {
        calls++;
        await feed.fill(id, slot, expiresAt);
        // The write landed but the answer said it had not (a retried request found its own item).
        return false;
      },
    };
    expect(await appendToFeed({ feed: flaky, clock, logRetentionDays: 30 }, "ep_1", entry(1))).toBe(1);
    expect(calls).toBe(1);
  });
});
