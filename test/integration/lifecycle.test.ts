import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoTenantEraser } from "../../functions/adapters/dynamo/dynamo-tenant-eraser.ts";
import { DynamoTenantStore } from "../../functions/adapters/dynamo/dynamo-tenant-store.ts";
import { keys } from "../../functions/adapters/dynamo/table-design.ts";
import { TENANT_STATUS_CACHE_SECONDS } from "../../functions/core/lifecycle/retention.ts";
import { runTenantDeletion, SETTLE_SECONDS } from "../../functions/core/lifecycle/tenant-deletion.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { FakeClock } from "../support/fakes.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * Data lifecycle on the local stack: expunge, reads past expiresAt, and a tenant's deletion, after
 * which a scan of the whole table finds nothing of the tenant but its tombstone. The deletion job
 * runs here through the same adapters the sweeper wires, on a clock past the settling time.
 */

type Item = Record<string, unknown>;
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startStack({ env: { RETRY_SCHEDULE: "1" } });
  // Each delivery's first try fails and every later one succeeds, whatever else arrives between them.
  const tried = new Set<string>();
  receiver = await startReceiver((r) => {
    const delivery = `${r.path} ${r.headers["webhook-id"]}`;
    const first = !tried.has(delivery);
    tried.add(delivery);
    return { status: first ? 500 : 204 };
  });
  const raw = new DynamoDBClient({
    endpoint: stack.dynamoUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  documents?.destroy();
  await receiver?.close();
  await stack?.stop();
});

async function scan(): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await documents.send(new ScanCommand({ TableName: RESOURCE_NAMES.table, ExclusiveStartKey: start }));
    items.push(...((out.Items as Item[] | undefined) ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Every key pattern of table-design.ts, and how this test meets it: a pattern added there fails the
 * test until it is listed here. `made`: the scenario writes an item of it, and the scan must find it
 * before the deletion and not after. The others are named with the reason they hold nothing of a tenant
 * the scenario could write (global, or a part of another pattern's key).
 */
const PATTERNS: Record<keyof typeof keys, "made" | string> = {
  endpoint: "made",
  tenantEndpoints: "made",
  event: "made (the lookup item of an event whose id the caller chose)",
  legacyEvent: "written by versions before the tenant joined the event key; read, removed with the tenant's gsi2 list",
  eventPartition: "made",
  unsentEvents: "an index entry of an event whose intake failed midway: removed with the event",
  tenantEvents: "written by versions before the table became the event list (an event's gsi2 copy); removed as more shards",
  listedEvent: "made",
  tenantEventShard: "made",
  legacyTenantEvents: "written by versions before the shards; removed as one more shard",
  attemptChain: "made",
  attempt: "made",
  endpointAttempts: "written by versions before the per-batch attempt list; read, removed as one more shard",
  legacyEndpointAttempts: "written by versions before the shards; removed as one more shard",
  endpointAttemptList: "made",
  endpointAttemptSort: "made",
  apiKey: "made",
  apiKeyList: "made",
  deliveryAttempts: "made",
  manualAttempt: "made",
  manualAttemptSort: "made",
  rateWindow: "made",
  recovery: "made",
  recoveryStash:
    "an ordered endpoint's recovery's resends, in the endpoint's partition (EP#), removed with it as the recovery is; this scenario's endpoint is unordered",
  recoveryStashPrefix: "a part of recoveryStash's key",
  endpointCount: "made",
  tenant: "made",
  tenantList: "made",
  tenantDeletion: "the tombstone: kept, holding the id and counts only",
  tenantDeletionList: "the tombstone's index entry while unfinished",
  tenantPartition: "made",
  eventType: "the catalog is global, no tenant's",
  eventTypeList: "the catalog is global, no tenant's",
  feedHead: "made",
  feedSlots: "made",
  feedSlotSort: "made",
  pollLeases: "made",
  pollLeaseSort: "made",
  scheduled: "made",
  scheduleDue: "made",
  scheduleDueSort: "made",
  tenantScheduled: "made",
  tenantScheduledSort: "made",
  scheduledCount: "made",
  pushConnection:
    "a WebSocket connection's record and position: closed by the push's recheck once the tenant's endpoints are gone, removed on disconnect or by its TTL",
  pushEndpoint: "the index entry of a connection record (pushConnection)",
  pushConnections: "the index entry of a connection record (pushConnection)",
  svixMemo:
    "not found by tenant: each entry its own partition, kept 12 h (an idempotency key's answer) or as long as the event (a msg_ id's event id, which names no payload); docs/lifecycle.md says so",
};

describe("the data lifecycle on the local stack", () => {
  it("names every key pattern of the table design", () => {
    expect(Object.keys(PATTERNS).sort()).toEqual(Object.keys(keys).sort());
  });

  it("deletes a tenant: after the job nothing of it is left in the table, and another tenant is whole", async () => {
    const tenant = `gone-${Date.now().toString(36)}`;
    // Not a prefix of the other: the matcher below looks for the id inside keys.
    const otherTenant = `kept-${Date.now().toString(36)}`;
    await stack.api("POST", "/v1/tenants", { id: tenant, name: "To delete", metadata: { plan: "x" } });
    await stack.api("PATCH", `/v1/tenants/${tenant}`, { settings: { retentionDays: 10 } });
    const hook = (await stack.api("POST", "/v1/endpoints", { tenantId: tenant, url: `${receiver.url}/hook`, rateLimitPerSecond: 50 })).json;
    const poll = (await stack.api("POST", "/v1/endpoints", { tenantId: tenant, kind: "polling" })).json;
    const key = (await stack.api("POST", "/v1/api-keys", { tenantId: tenant, name: "k" })).json;
    // Deleted before the tenant: its attempt list items outlive it, and only the events name it.
    const dropped = (await stack.api("POST", "/v1/endpoints", { tenantId: tenant, url: `${receiver.url}/dropped` })).json;
    const other = (await stack.api("POST", "/v1/endpoints", { tenantId: otherTenant, url: `${receiver.url}/other` })).json;
    const events: string[] = [];
    for (let i = 0; i < 3; i++)
      events.push((await stack.api("POST", "/v1/events", { tenantId: tenant, type: "a", payload: { i } })).json.id);
    // An id the caller chose is not time-ordered: the event has a lookup item beside it.
    events.push((await stack.api("POST", "/v1/events", { id: `own-${tenant}`, tenantId: tenant, type: "a", payload: {} })).json.id);
    // Held in the table until a day from now (docs/scheduling.md): its item, due-index and list entries and the tenant's count.
    const deliverAt = new Date(Date.now() + 86_400_000).toISOString();
    const held = (await stack.api("POST", "/v1/events", { tenantId: tenant, type: "a", payload: { held: true }, deliverAt })).json;
    expect(held.id).toMatch(/^evt_/);
    events.push(held.id);
    const otherEvent = (await stack.api("POST", "/v1/events", { tenantId: otherTenant, type: "a", payload: {} })).json.id;
    // Delivered (the first try fails, the retry succeeds), appended to the feed, then replayed and recovered.
    await eventually(async () => {
      const view = (await stack.api("GET", `/v1/events/${events[2]}?tenantId=${tenant}`)).json;
      return view.deliveries.every((d: { status: string }) => d.status === "succeeded") || undefined;
    }, 30_000);
    await stack.api("POST", `/v1/events/${events[0]}/replay`, { tenantId: tenant, endpointId: hook.id });
    const recovery = (await stack.api("POST", `/v1/endpoints/${hook.id}/recover`, { since: "2020-01-01T00:00:00Z" })).json;
    await stack.api("GET", `/v1/endpoints/${poll.id}/feed?wait=1`, undefined, { authorization: `Bearer ${key.key}` });
    const mine = (item: Item) => {
      const text = JSON.stringify(item);
      return [tenant, hook.id, poll.id, dropped.id, key.id, ...events].some(
        (id) => text.includes(`"${id}"`) || text.includes(`#${id}`) || text.includes(`${id}#`),
      );
    };
    const before = (await eventually(async () => {
      const items = (await scan()).filter(mine);
      // The manual attempt of the replay is written once the worker took it.
      const listed = items.some((i) => String(i.pk).startsWith(`EP#${dropped.id}#AL#`));
      return listed && items.some((i) => String(i.sk).includes("#M#")) ? items : undefined;
    }, 30_000)) as Item[];
    const otherBefore = (await scan()).filter((i) => JSON.stringify(i).includes(other.id) || JSON.stringify(i).includes(otherEvent));
    // Every pattern the scenario makes was found (by its prefix) before the deletion.
    for (const prefix of ["EP#", "EV#", "KEY#", "TENANT#", "FEED#"]) expect(before.some((i) => String(i.pk).startsWith(prefix))).toBe(true);
    expect(before.some((i) => i.sk === keys.event(tenant, `own-${tenant}`).sk)).toBe(true);
    expect(before.some((i) => String(i.pk).startsWith(`TENANT#${tenant}#EVENTS#`))).toBe(true);
    for (const sk of ["ENDPOINT", "RECORD", "ENDPOINTS", "APIKEY", "HEAD", "SCHEDULED"]) expect(before.some((i) => i.sk === sk)).toBe(true);
    expect(before.some((i) => String(i.pk).startsWith("SCHED#") && String(i.gsi1pk).startsWith("SCHED#DUE#"))).toBe(true);
    expect(before.some((i) => String(i.sk).startsWith("RECOVERY#"))).toBe(true);
    expect(before.some((i) => String(i.sk).startsWith("RATE#"))).toBe(true);

    expect(before.some((i) => String(i.pk).startsWith(`EP#${dropped.id}#AL#`))).toBe(true);
    expect((await stack.api("DELETE", `/v1/endpoints/${dropped.id}`)).status).toBe(204);
    // The recovery has sent all it will, so no step of it runs after the removal.
    await eventually(async () => {
      const status = (await stack.api("GET", `/v1/endpoints/${hook.id}/recoveries/${recovery.id}`)).json.status;
      return status === "completed" || undefined;
    }, 30_000);

    const job = await stack.api("DELETE", `/v1/tenants/${tenant}`);
    expect(job).toMatchObject({ status: 202, json: { state: "removing" } });
    // The tombstone stops the tenant's key (this API container forgot its cache on the DELETE).
    expect((await stack.api("GET", "/v1/endpoints", undefined, { authorization: `Bearer ${key.key}` })).status).toBe(401);
    expect((await stack.api("POST", "/v1/events", { tenantId: tenant, type: "a", payload: {} })).status).toBe(410);

    // Removal waits SETTLE_SECONDS so that every container's tenant status has seen the tombstone; the
    // eraser below runs on a clock moved past that, so the workers' caches are let expire for real
    // first (a worker still reading the tenant as live would log a skipped attempt once its endpoint is gone).
    await new Promise((r) => setTimeout(r, (TENANT_STATUS_CACHE_SECONDS + 5) * 1000));
    const store = new DynamoTenantStore(documents, RESOURCE_NAMES.table);
    const clock = new FakeClock(Date.now() + SETTLE_SECONDS * 1000);
    const deps = { tenants: store, deletions: store, eraser: new DynamoTenantEraser(documents, RESOURCE_NAMES.table), clock };
    // A run stopped after two pages (a crash), then another that finishes.
    let pages = 0;
    const [pending] = (await store.pendingDeletions(10)).filter((d) => d.tenantId === tenant);
    if (!pending) throw new Error("the deletion is not listed as pending");
    await runTenantDeletion(deps, pending, () => pages++ < 2);
    const resumed = (await store.status(tenant)).deletion;
    if (!resumed) throw new Error("the tombstone is gone");
    const done = await runTenantDeletion(deps, resumed, () => true);
    expect(done.state).toBe("done");

    const left = (await scan()).filter(mine);
    expect(left).toEqual([expect.objectContaining({ ...keys.tenantDeletion(tenant), state: "done" })]);
    expect(Object.keys(left[0] as Item).sort()).toEqual(
      ["pk", "sk", "tenantId", "state", "requestedAt", "updatedAt", "notBefore", "step", "removed", "finishedAt", "expiresAt"].sort(),
    );
    const otherAfter = (await scan()).filter((i) => JSON.stringify(i).includes(other.id) || JSON.stringify(i).includes(otherEvent));
    expect(otherAfter.length).toBeGreaterThanOrEqual(otherBefore.length);
    expect((await stack.api("GET", `/v1/tenants/${tenant}/deletion`)).json).toMatchObject({ state: "done", removed: { keys: 1 } });
  }, 180_000);

  it("expunges a payload from the event and the feed, and hides an event past its expiresAt though the table holds it", async () => {
    const tenant = `exp-${Date.now().toString(36)}`;
    const poll = (await stack.api("POST", "/v1/endpoints", { tenantId: tenant, kind: "polling" })).json;
    const key = (await stack.api("POST", "/v1/api-keys", { tenantId: tenant, name: "k" })).json;
    const secret = `s-${Math.random()}`;
    const event = (await stack.api("POST", "/v1/events", { tenantId: tenant, type: "a", payload: { secret } })).json;
    const feed = () => stack.api("GET", `/v1/endpoints/${poll.id}/feed`, undefined, { authorization: `Bearer ${key.key}` });
    await eventually(async () => ((await feed()).json.items?.length ? true : undefined), 30_000);
    const expunged = await stack.api("DELETE", `/v1/events/${event.id}/payload`, undefined, { authorization: `Bearer ${key.key}` });
    expect(expunged).toMatchObject({ status: 200, json: { feedEntries: 1 } });
    expect((await stack.api("GET", `/v1/events/${event.id}?tenantId=${tenant}`)).json.payload).toBeNull();
    expect(JSON.stringify((await feed()).json)).not.toContain(secret);
    expect((await scan()).filter((i) => JSON.stringify(i).includes(secret))).toEqual([]);

    // An event whose expiresAt has passed, which TTL has not deleted (the emulator never does).
    const stored = (await scan()).find((i) => i.sk === `${event.createdAt}#${event.id}`) as Item;
    expect(stored).toMatchObject(keys.listedEvent(tenant, event.createdAt, event.id));
    await documents.send(
      new PutCommand({ TableName: RESOURCE_NAMES.table, Item: { ...stored, expiresAt: Math.floor(Date.now() / 1000) - 1 } }),
    );
    expect((await stack.api("GET", `/v1/events/${event.id}?tenantId=${tenant}`)).status).toBe(404);
    // Its id may be taken again: the put's condition lets a new event replace an expired one.
    expect((await stack.api("POST", "/v1/events", { id: event.id, tenantId: tenant, type: "b", payload: { n: 2 } })).status).toBe(202);
    expect((await stack.api("GET", `/v1/events/${event.id}?tenantId=${tenant}`)).json).toMatchObject({ type: "b", payload: { n: 2 } });
  }, 60_000);
});
