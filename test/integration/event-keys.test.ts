import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardOf } from "../../functions/adapters/dynamo/sharded-paging.ts";
import { keys, TENANT_EVENT_SHARDS } from "../../functions/adapters/dynamo/table-design.ts";
import { requestHash } from "../../functions/core/kernel/ids.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * The table as the tenant's event list (table-design.ts), through the API of the local stack: events
 * of every id kind (made by hookrelay, an Idempotency-Key's, a caller's) are found by id, keep their
 * idempotency, list newest first across the shards, and carry a lookup item only when their id is not
 * time-ordered; events written in the formats before (the EV# item with its gsi2 copy, sk EVENT) are
 * still read by id and merged into the list.
 */
let stack: RunningStack;
let documents: DynamoDBDocumentClient;
let run = 0;

beforeAll(async () => {
  stack = await startStack();
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoUrl, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } }),
  );
});

afterAll(async () => {
  await stack.stop();
});

type Listed = { id: string; createdAt: string; type: string };

/** Every page of the tenant's event list, `limit` a page, optionally of one type. */
async function list(tenantId: string, limit: number, type?: string): Promise<Listed[]> {
  const items: Listed[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const query = `tenantId=${tenantId}&limit=${limit}${type ? `&type=${type}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = (await stack.api("GET", `/v1/events?${query}`)).json as { items: Listed[]; nextCursor?: string | null };
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (cursor === undefined) return items;
  }
  throw new Error("the list did not end");
}

const newestFirst = (events: Listed[]) =>
  [...events].sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1));

describe("events kept in their tenant's list on the table", () => {
  it("finds every event by id, keeps idempotency, lists them newest first, and writes a lookup item only for ids without their time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("generated", "idempotency", "caller"), { minLength: 4, maxLength: 10 }), async (kinds) => {
        const tenantId = `keys-${run++}-${Date.now().toString(36)}`;
        const made: (Listed & { kind: string; i: number })[] = [];
        for (const [i, kind] of kinds.entries()) {
          const body = { tenantId, type: i % 2 ? "a" : "b", payload: { i }, ...(kind === "caller" && { id: `order-${i}` }) };
          const headers: Record<string, string> = kind === "idempotency" ? { "idempotency-key": `key-${i}` } : {};
          const answer = await stack.api("POST", "/v1/events", body, headers);
          expect(answer.status).toBe(202);
          made.push({ id: answer.json.id, createdAt: answer.json.createdAt, type: body.type, kind, i });
          if (kind !== "generated") {
            // The same request again is a replay of the first; another payload under the id is a conflict.
            const again = await stack.api("POST", "/v1/events", body, headers);
            expect([again.json.id, again.headers.get("idempotent-replayed")]).toEqual([answer.json.id, "true"]);
            expect((await stack.api("POST", "/v1/events", { ...body, payload: { other: i } }, headers)).status).toBe(409);
          }
        }
        for (const e of made) {
          const read = await stack.api("GET", `/v1/events/${e.id}?tenantId=${tenantId}`);
          expect(read.json).toMatchObject({ id: e.id, payload: { i: e.i }, createdAt: e.createdAt });
          expect((await stack.api("GET", `/v1/events/${e.id}?tenantId=${tenantId}-other`)).status).toBe(404);
          const lookup = await documents.send(new GetCommand({ TableName: RESOURCE_NAMES.table, Key: keys.event(tenantId, e.id) }));
          expect(lookup.Item === undefined).toBe(e.kind === "generated");
          const item = await documents.send(
            new GetCommand({ TableName: RESOURCE_NAMES.table, Key: keys.listedEvent(tenantId, e.createdAt, e.id) }),
          );
          expect([item.Item?.id, item.Item?.gsi2pk]).toEqual([e.id, undefined]);
        }
        expect((await list(tenantId, 3)).map((e) => e.id)).toEqual(newestFirst(made).map((e) => e.id));
        expect((await list(tenantId, 2, "a")).map((e) => e.id)).toEqual(newestFirst(made.filter((e) => e.type === "a")).map((e) => e.id));
      }),
      { numRuns: 3 },
    );
  }, 240_000);

  it("reads events written in the formats before by id and merges them into the list, in time order", async () => {
    const tenantId = `old-${Date.now().toString(36)}`;
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const old = (id: string, createdAt: string) => ({
      id,
      tenantId,
      type: "a",
      body: `{"old":"${id}"}`,
      createdAt,
      requestHash: requestHash(tenantId, "a", `{"old":"${id}"}`),
      endpointIds: [],
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    // The EV# item with its copy on a gsi2 shard, as the version before the list wrote it.
    const sharded = old("evt_00000000000000000000000a0001", at(30));
    const sort = `${sharded.createdAt}#${sharded.id}`;
    const copy = { gsi2pk: keys.tenantEvents(tenantId, shardOf(sort, TENANT_EVENT_SHARDS)), gsi2sk: sort };
    await documents.send(
      new PutCommand({ TableName: RESOURCE_NAMES.table, Item: { ...keys.event(tenantId, sharded.id), ...copy, ...sharded } }),
    );
    // Older still: sk EVENT, the tenant only in the item, on the unsharded list.
    const legacy = old("old-legacy", at(20));
    const legacyCopy = { gsi2pk: keys.legacyTenantEvents(tenantId), gsi2sk: `${legacy.createdAt}#${legacy.id}` };
    await documents.send(
      new PutCommand({ TableName: RESOURCE_NAMES.table, Item: { ...keys.legacyEvent(legacy.id), ...legacyCopy, ...legacy } }),
    );
    const first = (await stack.api("POST", "/v1/events", { tenantId, type: "a", payload: { n: 1 } })).json;
    const last = (await stack.api("POST", "/v1/events", { tenantId, type: "a", payload: { n: 2 } }, { "idempotency-key": "k" })).json;

    expect((await stack.api("GET", `/v1/events/${sharded.id}?tenantId=${tenantId}`)).json).toMatchObject({ payload: { old: sharded.id } });
    expect((await stack.api("GET", `/v1/events/${legacy.id}?tenantId=${tenantId}`)).json).toMatchObject({ payload: { old: legacy.id } });
    expect((await list(tenantId, 1)).map((e) => e.id)).toEqual([last.id, first.id, legacy.id, sharded.id]);
    // An old event's id is still the tenant's: the same event again is a replay, another a conflict.
    const repeat = await stack.api("POST", "/v1/events", { id: sharded.id, tenantId, type: "a", payload: { old: sharded.id } });
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect((await stack.api("POST", "/v1/events", { id: sharded.id, tenantId, type: "a", payload: { n: 3 } })).status).toBe(409);
    // Expunged where it is kept.
    expect((await stack.api("DELETE", `/v1/events/${sharded.id}/payload?tenantId=${tenantId}`)).status).toBe(200);
    expect((await stack.api("GET", `/v1/events/${sharded.id}?tenantId=${tenantId}`)).json.payload).toBeNull();
  }, 120_000);
});
