import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoEndpointStore } from "../../functions/adapters/dynamo/dynamo-endpoint-store.ts";
import { keys } from "../../functions/adapters/dynamo/table-design.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { endpointFixture } from "../support/fakes.ts";

/*
 * MAX_ENDPOINTS_PER_TENANT on the DynamoDB emulator: creates racing for the last places of a tenant
 * never let it past its limit, and deletes give places back.
 */
const TABLE = "quota";
let dynamo: Emulator;
let client: DynamoDBDocumentClient;
let store: DynamoEndpointStore;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoEndpointStore(client, TABLE);
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

let serial = 0;
const endpoint = (tenantId: string) => endpointFixture({ id: `ep_${tenantId}_${serial++}`, tenantId });
const counted = async (tenantId: string) =>
  (await client.send(new GetCommand({ TableName: TABLE, Key: keys.endpointCount(tenantId), ConsistentRead: true }))).Item?.endpoints;

describe("endpoints per tenant on DynamoDB", () => {
  it("lets exactly the limit through when 40 creates race, and no more after", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => store.create(endpoint("race"), 7)));
    expect(results.filter(Boolean)).toHaveLength(7);
    expect(await store.subscriptionsOf("race")).toHaveLength(7);
    expect(await counted("race")).toBe(7);
    expect(await store.create(endpoint("race"), 7)).toBe(false);
  });

  it("lets every one of a new tenant's first creates through when they race below the limit", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => store.create(endpoint("fresh"), 1000)));
    expect(results.every(Boolean)).toBe(true);
    expect(await counted("fresh")).toBe(30);
  });

  it("keeps the limit while deletes and creates race: each delete frees exactly one place", async () => {
    const held: string[] = [];
    for (let i = 0; i < 5; i++) {
      const e = endpoint("churn");
      expect(await store.create(e, 5)).toBe(true);
      held.push(e.id);
    }
    const racing = await Promise.all([
      ...held.slice(0, 2).map((id) => store.delete(id)),
      ...Array.from({ length: 20 }, () => store.create(endpoint("churn"), 5)),
    ]);
    expect(racing.slice(0, 2)).toEqual([true, true]);
    // Two places were freed: whichever creates ran after the deletes took them, never more.
    const created = racing.slice(2).filter(Boolean).length;
    expect(created).toBeLessThanOrEqual(2);
    const now = await store.subscriptionsOf("churn");
    expect(now.length).toBe(3 + created);
    expect(await counted("churn")).toBe(now.length);
    // Once every race is over, the count is exact: the tenant fills up to the limit again, and no further.
    const fill = await Promise.all(Array.from({ length: 10 }, () => store.create(endpoint("churn"), 5)));
    expect(fill.filter(Boolean)).toHaveLength(5 - now.length);
    expect(await store.subscriptionsOf("churn")).toHaveLength(5);
  });

  it("counts the endpoints a tenant held before counting began, even when the first creates race", async () => {
    for (let i = 0; i < 4; i++) await store.put(endpoint("legacy"));
    expect(await counted("legacy")).toBeUndefined();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.create(endpoint("legacy"), 6)));
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(await store.subscriptionsOf("legacy")).toHaveLength(6);
    expect(await counted("legacy")).toBe(6);
  });

  it("never counts below zero when an endpoint from before counting is deleted", async () => {
    const old = endpoint("uncounted");
    await store.put(old);
    expect(await store.delete(old.id)).toBe(true);
    expect(await store.delete(old.id)).toBe(false);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.create(endpoint("uncounted"), 2)));
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(await counted("uncounted")).toBe(2);
  });
});
