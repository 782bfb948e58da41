import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoAttemptLog } from "../../functions/adapters/dynamo/dynamo-attempt-log.ts";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import { DynamoRateCounter } from "../../functions/adapters/dynamo/dynamo-rate-counter.ts";
import { shardOf } from "../../functions/adapters/dynamo/sharded-paging.ts";
import { ATTEMPT_SHARDS, keys, TENANT_EVENT_SHARDS } from "../../functions/adapters/dynamo/table-design.ts";
import { createDocumentClient } from "../../functions/adapters/lambda/aws-clients.ts";
import { realSleep } from "../../functions/adapters/lambda/persistent-call.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { DependencyError } from "../../functions/core/kernel/errors.ts";
import { eventIdForKey, newId } from "../../functions/core/kernel/ids.ts";
import type { AttemptRecord, EventRecord } from "../../functions/core/kernel/model.ts";
import type { Page } from "../../functions/core/kernel/ports.ts";
import { startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";

/*
 * The hot-key spreading of the DynamoDB adapters on dynalite: an endpoint's attempts on gsi1 shards
 * merged back newest first, the unsharded list of older items read with them, cursors that only
 * this endpoint's list accepts, and a rate window counted on several items that admits its limit.
 */

const TABLE = "hotkeys";
let stop: () => Promise<void>;
let client: DynamoDBDocumentClient;
let log: DynamoAttemptLog;

beforeAll(async () => {
  const dynamo = await startDynamo(undefined);
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", dynamo.url);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  await ensureTable(new DynamoDBClient({}), TABLE);
  client = createDocumentClient();
  log = new DynamoAttemptLog(client, TABLE, { clock: systemClock, sleep: realSleep, remainingMs: () => Number.POSITIVE_INFINITY });
  stop = async () => {
    vi.unstubAllEnvs();
    await dynamo.stop();
  };
});
afterAll(async () => {
  await stop?.();
});

const second = (n: number) => new Date(Date.UTC(2026, 11, 2, 1, 0, n)).toISOString();

function attempt(eventId: string, endpointId: string, at: string, status: AttemptRecord["status"] = "succeeded"): AttemptRecord {
  return {
    eventId,
    endpointId,
    tenantId: "t1",
    attempt: 1,
    trigger: "scheduled",
    status,
    url: "https://r.example/h",
    at,
    durationMs: 2,
    expiresAt: 1_900_000_000,
  };
}

async function allPages<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === undefined) return items;
  }
  throw new Error("the cursor never ended");
}

/** Every partition key the table holds for an endpoint's attempt list (base table), and whether any attempt has gsi1 keys. */
async function listKeys(endpointId: string): Promise<{ lists: Set<string>; indexed: number }> {
  const out = await client.send(new ScanCommand({ TableName: TABLE }));
  const items = out.Items ?? [];
  return {
    lists: new Set(items.map((i) => i.pk as string).filter((k) => k.startsWith(`EP#${endpointId}#AL#`))),
    indexed: items.filter((i) => (i.gsi1pk as string | undefined)?.startsWith(`EP#${endpointId}#AT`)).length,
  };
}

describe("an endpoint's attempt list on shards", () => {
  it("spreads one endpoint's attempts over the shards and reads them back newest first, each once", async () => {
    const written = Array.from({ length: 120 }, (_, i) =>
      attempt(`evt_${i}`, "ep_hot", second(i % 60), i % 3 === 0 ? "failed" : "succeeded"),
    );
    for (const a of written) await log.record(a);
    const spread = await listKeys("ep_hot");
    expect(spread.lists.size).toBeGreaterThan(ATTEMPT_SHARDS / 2);
    expect([...spread.lists].every((k) => /^EP#ep_hot#AL#\d+$/.test(k))).toBe(true);
    // The attempt item has no index copy: one write unit.
    expect(spread.indexed).toBe(0);
    const newestFirst = (a: AttemptRecord, b: AttemptRecord) => b.at.localeCompare(a.at) || b.eventId.localeCompare(a.eventId);
    const read = await allPages((cursor) => log.byEndpoint("ep_hot", 7, cursor));
    expect(read.map((a) => a.eventId).sort()).toEqual(written.map((a) => a.eventId).sort());
    expect(read.map((a) => a.at)).toEqual([...read].sort(newestFirst).map((a) => a.at));
    const failed = await allPages((cursor) => log.byEndpoint("ep_hot", 5, cursor, "failed"));
    expect(failed.map((a) => a.eventId).sort()).toEqual(
      written
        .filter((a) => a.status === "failed")
        .map((a) => a.eventId)
        .sort(),
    );
    const window = await allPages((cursor) => log.byEndpointBetween("ep_hot", second(10), second(20), 4, cursor));
    expect(window.map((a) => a.eventId).sort()).toEqual(
      written
        .filter((a) => a.at >= second(10) && a.at < second(20))
        .map((a) => a.eventId)
        .sort(),
    );
    expect(window.map((a) => a.at)).toEqual(
      window
        .map((a) => a.at)
        .sort()
        .reverse(),
    );
  });

  it("lists attempts written under the unsharded key before the shards, merged in time order", async () => {
    const old = [1, 3, 5].map((n) => attempt(`evt_old_${n}`, "ep_legacy", second(n)));
    for (const a of old) {
      const item = {
        ...keys.attempt(a.eventId, a.endpointId, 1),
        gsi1pk: keys.legacyEndpointAttempts("ep_legacy"),
        gsi1sk: keys.endpointAttemptSort(a.at, a.eventId, 1),
        ...a,
      };
      await client.send(new PutCommand({ TableName: TABLE, Item: item }));
    }
    for (const n of [2, 4, 6]) await log.record(attempt(`evt_new_${n}`, "ep_legacy", second(n)));
    const read = await allPages((cursor) => log.byEndpoint("ep_legacy", 2, cursor));
    expect(read.map((a) => a.eventId)).toEqual(["evt_new_6", "evt_old_5", "evt_new_4", "evt_old_3", "evt_new_2", "evt_old_1"]);
    const window = await log.byEndpointBetween("ep_legacy", second(2), second(5), 10);
    expect(window.items.map((a) => a.eventId)).toEqual(["evt_new_4", "evt_old_3", "evt_new_2"]);
  });

  it("takes a cursor from this endpoint's list only, and one given out before the shards", async () => {
    for (const n of [1, 2, 3]) await log.record(attempt(`evt_c${n}`, "ep_cursor", second(n)));
    const first = await log.byEndpoint("ep_cursor", 1);
    expect(first.items.map((a) => a.eventId)).toEqual(["evt_c3"]);
    await expect(log.byEndpoint("ep_other", 1, first.nextCursor)).rejects.toMatchObject({ code: "invalid_request" });
    await expect(log.byEndpoint("ep_cursor", 1, "not-a-cursor")).rejects.toMatchObject({ code: "invalid_request" });
    const before = {
      gsi1pk: "EP#ep_cursor#AT",
      gsi1sk: keys.endpointAttemptSort(second(3), "evt_c3", 1),
      pk: "EV#evt_c3",
      sk: "AT#ep_cursor#000001",
    };
    const oldCursor = Buffer.from(JSON.stringify(before)).toString("base64url");
    expect((await log.byEndpoint("ep_cursor", 5, oldCursor)).items.map((a) => a.eventId)).toEqual(["evt_c2", "evt_c1"]);
  });
});

describe("an endpoint's attempt list written per batch", () => {
  it("lists a batch's attempts in one item per endpoint at the flush; until then only the worker's own newest read shows them", async () => {
    const worker = new DynamoAttemptLog(
      client,
      TABLE,
      { clock: systemClock, sleep: realSleep, remainingMs: () => Number.POSITIVE_INFINITY },
      { listPerBatch: true },
    );
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 2, 2, 0, 0, ms)).toISOString();
    const written = Array.from({ length: 10 }, (_, i) => ({
      ...attempt(`evt_b${i}`, "ep_batch", at(37 * i), i % 2 ? "failed" : "succeeded"),
      responseBody: `answer ${i}`,
    }));
    const other = attempt("evt_b_other", "ep_batch_other", at(5));
    for (const a of [...written, other]) await worker.record(a);
    const newestFirst = [...written].reverse();
    expect((await listKeys("ep_batch")).lists.size).toBe(0);
    expect((await worker.byEndpoint("ep_batch", 4)).items).toEqual(newestFirst.slice(0, 4));
    expect((await log.byEndpoint("ep_batch", 20)).items).toEqual([]);
    // The breaker's count: this container's unlisted records count before the flush.
    expect((await worker.recentOfEndpoint("ep_batch", 4)).map((a) => a.eventId)).toEqual(newestFirst.slice(0, 4).map((a) => a.eventId));
    await worker.flushLists();
    const stored = (await client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
    expect(stored.filter((i) => (i.pk as string).startsWith("EP#ep_batch#AL#"))).toHaveLength(1);
    expect(stored.filter((i) => (i.pk as string).startsWith("EP#ep_batch_other#AL#"))).toHaveLength(1);
    // Pages of full records (their responses read from the attempt items), cursors inside the one list item.
    expect(await allPages((cursor) => log.byEndpoint("ep_batch", 3, cursor))).toEqual(newestFirst);
    expect(await allPages((cursor) => log.byEndpoint("ep_batch", 2, cursor, "failed"))).toEqual(
      newestFirst.filter((a) => a.status === "failed"),
    );
    const summaries = await allPages((cursor) => log.byEndpointBetween("ep_batch", at(37), at(37 * 9), 4, cursor));
    expect(summaries).toEqual(
      newestFirst.filter((a) => a.at >= at(37) && a.at < at(37 * 9)).map(({ url: _url, responseBody: _body, ...summary }) => summary),
    );
    expect((await worker.byEndpoint("ep_batch", 20)).items).toEqual(newestFirst);
    expect(await log.recentOfEndpoint("ep_batch", 3)).toEqual(
      newestFirst.slice(0, 3).map(({ url: _url, responseBody: _body, ...summary }) => summary),
    );
  });

  it("keeps a batch's records for the next flush when the list write fails", async () => {
    let down = true;
    const flaky = {
      send: (command: unknown) =>
        down && command instanceof BatchWriteCommand ? Promise.reject(new Error("throttled")) : client.send(command as never),
    } as unknown as DynamoDBDocumentClient;
    const worker = new DynamoAttemptLog(
      flaky,
      TABLE,
      { clock: systemClock, sleep: realSleep, remainingMs: () => 0 },
      { listPerBatch: true },
    );
    const a = attempt("evt_f1", "ep_flaky", second(40));
    await worker.record(a);
    await expect(worker.flushLists()).rejects.toBeInstanceOf(DependencyError);
    expect((await log.byEndpoint("ep_flaky", 5)).items).toEqual([]);
    down = false;
    await worker.flushLists();
    expect((await log.byEndpoint("ep_flaky", 5)).items).toEqual([a]);
  });

  it("pages any mix of list items and gsi1 items newest first, each attempt once (generated)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 4_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 7 }),
        async (offsets, old, batches, limit) => {
          const endpointId = `ep_gen${run++}`;
          const written = offsets.map((ms, i) =>
            attempt(`evt_g${i}`, endpointId, new Date(Date.UTC(2026, 11, 3, 0, 0, 0, ms)).toISOString(), i % 3 ? "succeeded" : "failed"),
          );
          const before = written.slice(0, old);
          for (const a of before) {
            const sort = keys.endpointAttemptSort(a.at, a.eventId, 1);
            const item = {
              ...keys.attempt(a.eventId, endpointId, 1),
              gsi1pk: keys.endpointAttempts(endpointId, shardOf(sort, ATTEMPT_SHARDS)),
              gsi1sk: sort,
              ...a,
            };
            await client.send(new PutCommand({ TableName: TABLE, Item: item }));
          }
          const worker = new DynamoAttemptLog(
            client,
            TABLE,
            { clock: systemClock, sleep: realSleep, remainingMs: () => 1_000 },
            { listPerBatch: true },
          );
          for (const [i, a] of written.slice(old).entries()) {
            await worker.record(a);
            if (i % batches === 0) await worker.flushLists();
          }
          await worker.flushLists();
          const newestFirst = [...written].sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : x.eventId < y.eventId ? 1 : -1));
          expect(await allPages((cursor) => log.byEndpoint(endpointId, limit, cursor))).toEqual(newestFirst);
          expect((await allPages((cursor) => log.byEndpoint(endpointId, limit, cursor, "failed"))).map((a) => a.eventId)).toEqual(
            newestFirst.filter((a) => a.status === "failed").map((a) => a.eventId),
          );
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe("a tenant's events on gsi2 shards", () => {
  it("lists events written on the shards and under the unsharded key, newest first, by type and before a time", async () => {
    const events = new DynamoEventStore(client, TABLE);
    const event = (id: string, at: string, type: string): EventRecord => ({
      id,
      tenantId: "t_list",
      type,
      body: `{"id":"${id}"}`,
      createdAt: at,
      requestHash: `h-${id}`,
      endpointIds: [],
      expiresAt: 1_900_000_000,
    });
    const old = [1, 4].map((n) => event(`evt_old_${n}`, second(n), n === 1 ? "a" : "b"));
    for (const e of old) {
      const item = { ...keys.event(e.tenantId, e.id), gsi2pk: keys.legacyTenantEvents(e.tenantId), gsi2sk: `${e.createdAt}#${e.id}`, ...e };
      await client.send(new PutCommand({ TableName: TABLE, Item: item }));
    }
    await events.putNew(Array.from({ length: 40 }, (_, i) => event(`evt_${i}`, second(i + 5), i % 2 ? "a" : "b")));
    const all = await allPages((cursor) => events.listByTenant("t_list", {}, 6, cursor));
    expect(all).toHaveLength(42);
    expect(all.map((e) => e.createdAt)).toEqual(
      all
        .map((e) => e.createdAt)
        .sort()
        .reverse(),
    );
    expect(all.slice(-2).map((e) => e.id)).toEqual(["evt_old_4", "evt_old_1"]);
    const typed = await allPages((cursor) => events.listByTenant("t_list", { type: "a", before: second(10) }, 2, cursor));
    // Type "a" is every odd event; before second 10 leaves evt_0 to evt_4 and both old ones.
    expect(typed.map((e) => e.id)).toEqual(["evt_3", "evt_1", "evt_old_1"]);
  });
});

describe("a tenant's event list on the table", () => {
  it("lists events of every id kind and key format newest first across shards, finds each by id, and writes a lookup item only for ids without their time", async () => {
    const events = new DynamoEventStore(client, TABLE);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 600 }),
            kind: fc.constantFrom("generated", "caller", "idempotency", "gsi2", "legacy"),
            type: fc.constantFrom("a", "b"),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (specs) => {
          const tenantId = `t_mix_${run++}`;
          const made = specs.map((spec, i) => {
            const ms = Date.parse(second(spec.at)) + i;
            const id =
              spec.kind === "generated" ? newId("evt", ms) : spec.kind === "idempotency" ? eventIdForKey(tenantId, `key-${i}`) : `own-${i}`;
            const e: EventRecord = {
              id,
              tenantId,
              type: spec.type,
              body: `{"i":${i}}`,
              createdAt: new Date(ms).toISOString(),
              requestHash: `h-${i}`,
              endpointIds: [],
              expiresAt: 1_900_000_000,
            };
            return { spec, e };
          });
          for (const { spec, e } of made) {
            const sort = `${e.createdAt}#${e.id}`;
            // As older versions wrote them: the EV# item with its gsi2 copy on a shard, or sk EVENT on the unsharded list.
            if (spec.kind === "gsi2") {
              const copy = { gsi2pk: keys.tenantEvents(tenantId, shardOf(sort, TENANT_EVENT_SHARDS)), gsi2sk: sort };
              await client.send(new PutCommand({ TableName: TABLE, Item: { ...keys.event(tenantId, e.id), ...copy, ...e } }));
            } else if (spec.kind === "legacy") {
              const copy = { gsi2pk: keys.legacyTenantEvents(tenantId), gsi2sk: sort };
              await client.send(
                new PutCommand({
                  TableName: TABLE,
                  Item: { ...keys.legacyEvent(`${tenantId}-${e.id}`), ...copy, ...e, id: `${tenantId}-${e.id}` },
                }),
              );
            }
          }
          const fresh = made.filter((m) => !["gsi2", "legacy"].includes(m.spec.kind)).map((m) => m.e);
          await events.putNew(fresh);
          const ids = made.map(({ spec, e }) => (spec.kind === "legacy" ? `${tenantId}-${e.id}` : e.id));
          const newestFirst = made
            .map((m, i) => ({ at: m.e.createdAt, id: ids[i] as string, type: m.e.type }))
            .sort((x, y) => (x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1));
          const listed = await allPages((cursor) => events.listByTenant(tenantId, {}, 4, cursor));
          expect(listed.map((e) => e.id)).toEqual(newestFirst.map((e) => e.id));
          const typed = await allPages((cursor) => events.listByTenant(tenantId, { type: "a" }, 3, cursor));
          expect(typed.map((e) => e.id)).toEqual(newestFirst.filter((e) => e.type === "a").map((e) => e.id));
          const found = await events.getMany(tenantId, ids);
          expect(ids.map((id) => found.get(id)?.id)).toEqual(ids);
          expect((await events.getMany("someone-else", ids)).size).toBe(0);
          // Updates reach each event where it is kept, whatever its format, and only its tenant's.
          for (const id of ids) {
            await events.addEndpoint(tenantId, id, "ep_added");
            expect(await events.expunge(tenantId, id, second(0))).toBe(true);
            expect(await events.expunge("someone-else", id, second(0))).toBe(false);
          }
          const updated = await events.getMany(tenantId, ids);
          expect(ids.map((id) => [updated.get(id)?.endpointIds, updated.get(id)?.body])).toEqual(ids.map(() => [["ep_added"], "null"]));
          // The new events: one item each in the list, plus a lookup item for a caller's or an Idempotency-Key's id.
          for (const { spec, e } of made.filter((m) => ["generated", "caller", "idempotency"].includes(m.spec.kind))) {
            const lookup = await client.send(new GetCommand({ TableName: TABLE, Key: keys.event(tenantId, e.id) }));
            expect(lookup.Item === undefined).toBe(spec.kind === "generated");
            const item = await client.send(new GetCommand({ TableName: TABLE, Key: keys.listedEvent(tenantId, e.createdAt, e.id) }));
            expect(item.Item?.gsi2pk).toBeUndefined();
            expect(item.Item?.id).toBe(e.id);
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe("a rate window counted on shards", () => {
  it("admits exactly the limit in a window of 1,000 however many take a place, over 16 items", async () => {
    const counter = new DynamoRateCounter(client, TABLE);
    const places: number[] = [];
    for (let batch = 0; batch < 40; batch++) {
      places.push(...(await Promise.all(Array.from({ length: 50 }, () => counter.take("ep_rated", 1_800_000_000, 1_000)))));
    }
    expect(places.filter((p) => p <= 1_000)).toHaveLength(1_000);
    expect(new Set(places).size).toBe(places.length);
    const out = await client.send(new ScanCommand({ TableName: TABLE }));
    const windows = (out.Items ?? []).filter((i) => (i.pk as string).startsWith("EP#ep_rated#R"));
    expect(windows).toHaveLength(16);
    expect(Math.max(...windows.map((w) => w.count as number))).toBe(2_000 / 16);
  });
});
