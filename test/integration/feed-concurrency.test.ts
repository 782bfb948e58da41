import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoFeed } from "../../functions/adapters/dynamo/dynamo-feed.ts";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import type { FeedPosition } from "../../functions/core/feed/cursor.ts";
import type { FeedAppender, FeedReadDeps } from "../../functions/core/feed/deps.ts";
import { readFeed } from "../../functions/core/feed/read.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";

/*
 * The feed's guarantee on the DynamoDB emulator: many writers append concurrently, each pausing a
 * random while between taking its number and writing its slot (so slots land out of order), and
 * one follower that passes back every position it was given sees every entry, in number order,
 * with no number skipped. Some writers die between their two writes: the follower waits out the
 * grace period, closes the hole, and still misses no entry, because the dead writer's message is
 * appended again (as SQS redelivers it).
 */
const TABLE = "feed";
let dynamo: Emulator;
let client: DynamoDBDocumentClient;
let feed: DynamoFeed;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  feed = new DynamoFeed(client, TABLE);
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The feed as one writer sees it: a random pause before each fill, and (when `dies`) no fill at all for the first number. */
function writerFeed(dies: boolean): FeedAppender {
  let died = false;
  return {
    allocate: (id) => feed.allocate(id),
    slot: (id, seq) => feed.slot(id, seq),
    fill: async (id, slot, expiresAt) => {
      await sleep(Math.random() * 40);
      if (dies && !died) {
        died = true;
        throw new Error("the writer died between its two writes");
      }
      return feed.fill(id, slot, expiresAt);
    },
  };
}

/** Appends `ids`, one after another; a failed append is appended again, as a redelivered message is. */
async function writer(endpointId: string, ids: string[], dies: boolean): Promise<void> {
  const own = writerFeed(dies);
  for (const id of ids) {
    const entry = { id, eventId: `evt_${id}`, eventType: "t", timestamp: new Date().toISOString(), body: JSON.stringify({ id }) };
    for (;;) {
      try {
        await appendToFeed({ feed: own, clock: systemClock, logRetentionDays: 30 }, endpointId, entry);
        break;
      } catch {
        await sleep(20);
      }
    }
  }
}

/** Follows the feed, passing back each position, until `expected` entries were seen or the rounds run out. */
async function follow(deps: FeedReadDeps, endpointId: string, expected: number) {
  const seen: { seq: number; id: string }[] = [];
  let position: FeedPosition | undefined;
  for (let round = 0; round < 3_000 && seen.length < expected; round++) {
    const page = await readFeed(deps, endpointId, position, 25);
    seen.push(...page.entries.map((e) => ({ seq: e.seq, id: e.id })));
    position = page.position;
    if (page.entries.length === 0) await sleep(10);
  }
  return seen;
}

describe("the feed under concurrent writers, on DynamoDB", () => {
  it("hands one follower every entry of 8 writers racing, in number order, none skipped", async () => {
    const ids = Array.from({ length: 8 }, (_, w) => Array.from({ length: 25 }, (_, i) => `w${w}-${i}`));
    const deps: FeedReadDeps = { feed, clock: systemClock, settings: { logRetentionDays: 30, holeGraceMs: 5_000 } };
    const [seen] = await Promise.all([follow(deps, "ep_race", 200), Promise.all(ids.map((mine) => writer("ep_race", mine, false)))]);
    expect(seen.map((s) => s.id).sort()).toEqual(ids.flat().sort());
    // No writer died, so no number was closed: the follower saw 1, 2, 3, … with no gap.
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  }, 180_000);

  it("closes the holes of writers that died between their two writes, and still misses no entry", async () => {
    const ids = Array.from({ length: 6 }, (_, w) => Array.from({ length: 20 }, (_, i) => `d${w}-${i}`));
    const deps: FeedReadDeps = { feed, clock: systemClock, settings: { logRetentionDays: 30, holeGraceMs: 2_000 } };
    const [seen] = await Promise.all([
      follow(deps, "ep_dying", 120),
      Promise.all(ids.map((mine, w) => writer("ep_dying", mine, w % 2 === 0))),
    ]);
    expect(seen.map((s) => s.id).sort()).toEqual(ids.flat().sort());
    const numbers = seen.map((s) => s.seq);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    // Three writers died once each: three numbers were closed with a tombstone and never handed out.
    const closed = [];
    for (let seq = 1; seq <= (await feed.head("ep_dying")).seq; seq++) if (!numbers.includes(seq)) closed.push(seq);
    expect(closed).toHaveLength(3);
    for (const seq of closed) expect((await feed.slot("ep_dying", seq))?.entry).toBeUndefined();
  }, 180_000);
});
