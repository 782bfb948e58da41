import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { withoutExpiredEntry } from "../../functions/core/feed/read.ts";
import type { AttemptRecord, DeliveryMessage, EventRecord } from "../../functions/core/kernel/model.ts";
import { hidingExpired, withoutExpired } from "../../functions/core/lifecycle/hide-expired.ts";
import {
  MAX_RETENTION_DAYS,
  minRetentionDays,
  TENANT_STATUS_CACHE_SECONDS,
  TenantStatusCache,
} from "../../functions/core/lifecycle/retention.ts";
import { queueRetentionSeconds, scheduleWindowSeconds } from "../../functions/core/policy/retry-schedule.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { deliveryDeps, deliveryMessage } from "../support/delivery-deps.ts";
import { endpointFixture, FakeClock } from "../support/fakes.ts";
import { MemoryTenantStore } from "../support/memory-tenants.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
const DAY = 86_400;
const CACHE_MS = TENANT_STATUS_CACHE_SECONDS * 1000;

function setup() {
  const base = memoryApiDeps();
  // Reads hide what is past its expiresAt, as the runtime wires the stores.
  const deps = { ...base, events: hidingExpired(base.events, base.clock), attempts: hidingExpired(base.attempts, base.clock) };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const call = async (...args: Parameters<typeof apiEvent>) => {
    const response = await handler(apiEvent(...args), {} as Context);
    return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return { deps, base, call };
}

const nowSeconds = (clock: FakeClock) => Math.floor(clock.time / 1000);
let ids = 0;
const received = (m: DeliveryMessage): ReceivedMessage => ({
  messageId: `m${++ids}`,
  receiptHandle: "rh",
  body: JSON.stringify(m),
  receiveCount: 1,
});

describe("a tenant's retention", () => {
  it("is at least the longest retry window an endpoint may have plus a day, and at most LOG_RETENTION_DAYS' maximum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4 * DAY, max: 14 * DAY }), (queueRetention) => {
        const min = minRetentionDays(queueRetention);
        // An endpoint's window plus a day fits in the queue's retention: the retention covers it.
        expect(min * DAY).toBeGreaterThanOrEqual(queueRetention);
        expect((min - 1) * DAY).toBeLessThan(queueRetention);
      }),
    );
    expect(minRetentionDays() * DAY).toBeGreaterThan(scheduleWindowSeconds([5, 300, 1800, 7200, 18000, 36000, 36000]) + DAY);
    expect(MAX_RETENTION_DAYS).toBe(3650);
  });

  it("is refused outside its range with a 422 naming settings.retentionDays, and kept inside it", async () => {
    const { call } = setup();
    await call("POST", "/v1/tenants", { body: { id: "acme" } });
    const min = minRetentionDays();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: -1000, max: min - 1 }), fc.integer({ min: MAX_RETENTION_DAYS + 1, max: 1e6 })),
        async (days) => {
          const refused = await call("PATCH", "/v1/tenants/acme", { body: { settings: { retentionDays: days } } });
          expect(refused.status).toBe(422);
          expect(refused.json.error).toMatchObject({
            code: "validation_failed",
            details: [{ path: "settings.retentionDays", min, max: MAX_RETENTION_DAYS }],
          });
        },
      ),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min, max: MAX_RETENTION_DAYS }), async (days) => {
        const kept = await call("PATCH", "/v1/tenants/acme", { body: { settings: { retentionDays: days } } });
        expect(kept).toMatchObject({ status: 200, json: { settings: { retentionDays: days } } });
      }),
      { numRuns: 30 },
    );
    const cleared = await call("PATCH", "/v1/tenants/acme", { body: { settings: { retentionDays: null } } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.settings).toBeUndefined();
    expect((await call("PATCH", "/v1/tenants/acme", { body: { settings: { retentionDays: 1.5 } } })).status).toBe(422);
  });

  it("dates events accepted after the change (within the cache bound), and leaves earlier ones as they were", async () => {
    const { call, base } = setup();
    await call("POST", "/v1/tenants", { body: { id: "acme" } });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: minRetentionDays(), max: MAX_RETENTION_DAYS }), async (days) => {
        const before = await call("POST", "/v1/events", { body: { type: "a", payload: {}, tenantId: "acme" } });
        const oldExpiry = base.events.of("acme", before.json.id)?.expiresAt;
        await call("PATCH", "/v1/tenants/acme", { body: { settings: { retentionDays: days } } });
        base.clock.advance(CACHE_MS);
        const after = await call("POST", "/v1/events", { body: { type: "a", payload: {}, tenantId: "acme" } });
        expect(base.events.of("acme", after.json.id)?.expiresAt).toBe(nowSeconds(base.clock) + days * DAY);
        expect(base.events.of("acme", before.json.id)?.expiresAt).toBe(oldExpiry);
        // Another tenant keeps LOG_RETENTION_DAYS.
        const other = await call("POST", "/v1/events", { body: { type: "a", payload: {}, tenantId: "other" } });
        expect(base.events.of("other", other.json.id)?.expiresAt).toBe(nowSeconds(base.clock) + base.logRetentionDays * DAY);
      }),
      { numRuns: 15 },
    );
  });

  it("is read once per tenant per cache bound, however many events intake takes", async () => {
    const { call, base } = setup();
    await call("POST", "/v1/tenants", { body: { id: "acme" } });
    const reads = base.tenants.statusReads;
    for (let i = 0; i < 20; i++) await call("POST", "/v1/events", { body: { type: "a", payload: { i }, tenantId: "acme" } });
    expect(base.tenants.statusReads - reads).toBe(1);
    base.clock.advance(CACHE_MS);
    await call("POST", "/v1/events", { body: { type: "a", payload: {}, tenantId: "acme" } });
    expect(base.tenants.statusReads - reads).toBe(2);
  });

  it("dates the attempts and feed items delivery writes, per message's tenant", async () => {
    const days = minRetentionDays() + 3;
    const deps = deliveryDeps([60]);
    await deps.tenants.create({ id: "short", metadata: {}, createdAt: "", updatedAt: "", revision: 0, settings: { retentionDays: days } });
    await deps.endpoints.put(endpointFixture({ id: "ep_s", tenantId: "short" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_p", tenantId: "short", kind: "polling" }));
    await deps.endpoints.put(endpointFixture());
    deps.http.answer = () => ({ kind: "response", statusCode: 200, body: "", durationMs: 1 });
    await deliverBatch(deps, [
      received(deliveryMessage({ tenantId: "short", endpointId: "ep_s" })),
      received(deliveryMessage({ tenantId: "short", endpointId: "ep_p" })),
      received(deliveryMessage()),
    ]);
    const now = nowSeconds(deps.clock);
    const byEndpoint = (id: string) => deps.attempts.items.find((a: AttemptRecord) => a.endpointId === id)?.expiresAt;
    expect(byEndpoint("ep_s")).toBe(now + days * DAY);
    expect(byEndpoint("ep_p")).toBe(now + days * DAY);
    expect(byEndpoint("ep_1")).toBe(now + 30 * DAY);
    const [slot] = await deps.feed.slots("ep_p", 1, 1, 1);
    expect(slot?.expiresAt).toBe(now + (days + 1) * DAY);
  });

  it("dates a recovery by its tenant's retention", async () => {
    const { call, base } = setup();
    const days = minRetentionDays() + 1;
    await call("POST", "/v1/tenants", { body: { id: "acme", name: "a" } });
    await call("PATCH", "/v1/tenants/acme", { body: { settings: { retentionDays: days } } });
    const endpoint = await call("POST", "/v1/endpoints", { body: { tenantId: "acme", url: "https://a.example/hook" } });
    const started = await call("POST", `/v1/endpoints/${endpoint.json.id}/recover`, { body: { since: "2026-10-31T00:00:00Z" } });
    expect(started.status).toBe(202);
    const stored = await base.recoveries.get(endpoint.json.id, started.json.id);
    expect(stored?.expiresAt).toBe(nowSeconds(base.clock) + days * DAY);
  });
});

describe("reads after expiresAt", () => {
  it("hide the event, its attempts and its place in the list, though the store still holds them", async () => {
    const { call, base } = setup();
    const endpoint = await call("POST", "/v1/endpoints", { body: { tenantId: "acme", url: "https://a.example/hook" } });
    const event = await call("POST", "/v1/events", { body: { type: "a", payload: {}, tenantId: "acme" } });
    const stored = base.events.of("acme", event.json.id) as EventRecord;
    await base.attempts.record({
      eventId: stored.id,
      endpointId: endpoint.json.id,
      tenantId: "acme",
      attempt: 1,
      trigger: "scheduled",
      status: "failed",
      url: "https://a.example/hook",
      at: stored.createdAt,
      durationMs: 1,
      expiresAt: stored.expiresAt,
    });
    expect((await call("GET", `/v1/events/${stored.id}?tenantId=acme`)).status).toBe(200);
    base.clock.time = stored.expiresAt * 1000 - 1000;
    expect((await call("GET", `/v1/events/${stored.id}?tenantId=acme`)).json.deliveries[0].attempts).toBe(1);
    base.clock.time = stored.expiresAt * 1000;
    expect((await call("GET", `/v1/events/${stored.id}?tenantId=acme`)).status).toBe(404);
    expect((await call("GET", "/v1/events?tenantId=acme")).json.items).toEqual([]);
    expect((await call("GET", `/v1/endpoints/${endpoint.json.id}/attempts`)).json.items).toEqual([]);
    expect(base.events.of("acme", stored.id)).toBeDefined();
    // Its id may be taken again by a new event.
    const again = await call("POST", "/v1/events", { body: { id: stored.id, type: "b", payload: {}, tenantId: "acme" } });
    expect(again.status).toBe(202);
    expect((await call("GET", `/v1/events/${stored.id}?tenantId=acme`)).json).toMatchObject({ type: "b" });
  });

  it("leave out exactly the records whose expiresAt has passed, in every answer shape", () => {
    const record = fc.record({ id: fc.string(), expiresAt: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(record), fc.integer({ min: 0, max: 100 }), (records, now) => {
        const live = records.filter((r) => r.expiresAt > now);
        expect(withoutExpired(records, now)).toEqual(live);
        expect([...withoutExpired(new Map(records.map((r, i) => [i, r])), now).values()]).toEqual(live);
        expect(withoutExpired({ items: records, nextCursor: "c" }, now)).toEqual({ items: live, nextCursor: "c" });
        for (const r of records) expect(withoutExpired(r, now)).toBe(r.expiresAt > now ? r : undefined);
      }),
    );
  });

  it("close a feed slot past its expiresAt: its entry is not served", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (expiresAt, nowSeconds) => {
        const slot = { seq: 1, allocatedAt: "t", expiresAt, entry: { id: "fi", eventId: "e", eventType: "a", timestamp: "t", body: "{}" } };
        expect(withoutExpiredEntry(slot, nowSeconds * 1000).entry === undefined).toBe(expiresAt <= nowSeconds);
      }),
    );
  });

  it("come from a cache that answers a change of retention within its bound", async () => {
    const clock = new FakeClock();
    const store = new MemoryTenantStore();
    const cache = new TenantStatusCache(store, clock, 30);
    await store.create({ id: "t", metadata: {}, createdAt: "", updatedAt: "", revision: 0 });
    expect((await cache.statusOf("t")).retentionDays).toBe(30);
    await store.replace({ id: "t", metadata: {}, createdAt: "", updatedAt: "", revision: 0, settings: { retentionDays: 9 } });
    clock.advance(CACHE_MS - 1);
    expect((await cache.statusOf("t")).retentionDays).toBe(30);
    clock.advance(1);
    expect((await cache.statusOf("t")).retentionDays).toBe(9);
    expect(queueRetentionSeconds([5])).toBe(4 * DAY);
  });
});
