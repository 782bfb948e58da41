import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import type { FeedPosition } from "../../functions/core/feed/cursor.ts";
import { type FeedEntry, type FeedReadDeps, HOLE_GRACE_MS } from "../../functions/core/feed/deps.ts";
import { feedItems } from "../../functions/core/feed/items.ts";
import { MAX_PAGE_BYTES, pageBytes, readFeed } from "../../functions/core/feed/read.ts";
import { endpointFixture, FakeClock } from "../support/fakes.ts";
import { MemoryFeed } from "../support/memory-feed.ts";

/** Lambda's limit on a response (the whole invocation result), which the gateway turns into a 5xx. */
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

/** A body of about `size` bytes: plain letters, characters escaped in a JSON string, or two-byte ones. */
const body = (size: number, kind: "plain" | "quotes" | "accents"): string => {
  if (kind === "quotes") return JSON.stringify({ s: '"\\'.repeat(Math.floor(size / 4)) });
  if (kind === "accents") return JSON.stringify({ s: "é".repeat(Math.floor(size / 2)) });
  return JSON.stringify({ s: "a".repeat(size) });
};

const entry = (n: number, text: string): FeedEntry => ({
  id: `fi_${n}`,
  eventId: `evt_${n}`,
  eventType: "invoice.paid",
  timestamp: "2026-11-01T00:00:00.000Z",
  body: text,
});

describe("a feed page's bytes", () => {
  it("keep the answer, as the API function returns it, under Lambda's 6 MB, and a follower reads every entry in order (generated)", async () => {
    const endpoint = endpointFixture({ id: "ep_1", kind: "polling" });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            size: fc.integer({ min: 2, max: 250_000 }),
            kind: fc.constantFrom("plain", "quotes", "accents") as fc.Arbitrary<"plain" | "quotes" | "accents">,
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 1, max: 100 }),
        async (sizes, limit) => {
          const feed = new MemoryFeed();
          const clock = new FakeClock();
          const deps: FeedReadDeps = { feed, clock, settings: { logRetentionDays: 30, holeGraceMs: HOLE_GRACE_MS } };
          const bodies = sizes.map(({ size, kind }) => body(size, kind));
          for (const [i, text] of bodies.entries()) await appendToFeed({ feed, clock, logRetentionDays: 30 }, "ep_1", entry(i, text));
          const seen: string[] = [];
          let from: FeedPosition | undefined;
          for (let pages = 0; seen.length < bodies.length; pages++) {
            expect(pages).toBeLessThan(bodies.length);
            const page = await readFeed(deps, "ep_1", from, limit);
            // Every page moves the reader on.
            expect(page.entries.length).toBeGreaterThan(0);
            const answer = JSON.stringify({ items: feedItems(page.entries, endpoint, clock.now()), cursor: "c".repeat(300) });
            const response = JSON.stringify({ statusCode: 200, headers: { "content-type": "application/json" }, body: answer });
            expect(Buffer.byteLength(response)).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
            // A short page stops only where the next entry would pass the budget.
            const taken = page.entries.reduce((sum, e) => sum + pageBytes(e.body), 0);
            expect(taken).toBeLessThanOrEqual(Math.max(MAX_PAGE_BYTES, pageBytes(page.entries[0]?.body ?? "")));
            const nextBody = bodies[seen.length + page.entries.length];
            if (page.entries.length < limit && nextBody !== undefined) expect(taken + pageBytes(nextBody)).toBeGreaterThan(MAX_PAGE_BYTES);
            seen.push(...page.entries.map((e) => e.eventId));
            from = page.position;
          }
          expect(seen).toEqual(bodies.map((_, i) => `evt_${i}`));
          expect((await readFeed(deps, "ep_1", from, limit)).entries).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("hands out one entry alone when it is bigger than the budget, so the reader still moves on", async () => {
    const feed = new MemoryFeed();
    const clock = new FakeClock();
    const deps: FeedReadDeps = { feed, clock, settings: { logRetentionDays: 30, holeGraceMs: HOLE_GRACE_MS } };
    for (let n = 1; n <= 3; n++) await appendToFeed({ feed, clock, logRetentionDays: 30 }, "ep_1", entry(n, body(1000, "plain")));
    const first = await readFeed(deps, "ep_1", undefined, 50, undefined, 10);
    expect(first.entries.map((e) => e.eventId)).toEqual(["evt_1"]);
    const second = await readFeed(deps, "ep_1", first.position, 50, undefined, 10);
    expect(second.entries.map((e) => e.eventId)).toEqual(["evt_2"]);
  });
});
