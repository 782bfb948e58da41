import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { TENANT_STATUS_CACHE_SECONDS } from "../../functions/core/lifecycle/retention.ts";
import { runPendingDeletions, runTenantDeletion, SETTLE_SECONDS } from "../../functions/core/lifecycle/tenant-deletion.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { deliveryDeps, deliveryMessage } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";
import type { MemoryTenantEraser } from "../support/memory-tenant-eraser.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function setup() {
  const deps = memoryApiDeps();
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const call = async (method: string, path: string, options: { body?: unknown; key?: string; portal?: string } = {}) => {
    const headers = options.portal === undefined ? undefined : { authorization: `Portal ${options.portal}` };
    const response = await handler(apiEvent(method, path, { body: options.body, key: options.key, headers }), {} as Context);
    return { status: response.statusCode ?? 0, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return { deps, call };
}

/** A tenant with endpoints (one polling, with a feed entry), events, attempts and keys; another tenant beside it. */
async function populated(
  call: ReturnType<typeof setup>["call"],
  tenantId: string,
  size: { endpoints: number; events: number; keys: number },
) {
  for (let i = 0; i < size.endpoints; i++) await call("POST", "/v1/endpoints", { body: { tenantId, url: `https://e${i}.example/hook` } });
  for (let i = 0; i < size.events; i++) await call("POST", "/v1/events", { body: { tenantId, type: "a", payload: { i } } });
  const keys: string[] = [];
  for (let i = 0; i < size.keys; i++) keys.push((await call("POST", "/v1/api-keys", { body: { tenantId, name: `k${i}` } })).json.key);
  return keys;
}

/** Everything the fakes hold of the tenant, by store. */
function leftOf(deps: ReturnType<typeof setup>["deps"], tenantId: string) {
  const endpointIds = new Set([...deps.endpoints.items.values()].filter((e) => e.tenantId === tenantId).map((e) => e.id));
  return {
    endpoints: endpointIds.size,
    events: [...deps.events.items.values()].filter((e) => e.tenantId === tenantId).length,
    attempts: deps.attempts.items.filter((a) => a.tenantId === tenantId).length,
    keys: [...deps.apiKeys.items.values()].filter((k) => k.tenantId === tenantId).length,
    record: deps.tenants.items.has(tenantId) ? 1 : 0,
  };
}
const NOTHING = { endpoints: 0, events: 0, attempts: 0, keys: 0, record: 0 };
let ids = 0;
const received = (body: unknown): ReceivedMessage => ({
  messageId: `m${++ids}`,
  receiptHandle: "rh",
  body: JSON.stringify(body),
  receiveCount: 1,
});

describe("DELETE /v1/tenants/{id}", () => {
  it("answers 202 with a job, the same job on a repeat, shown at /deletion; admin only", async () => {
    const { call, deps } = setup();
    const [key] = await populated(call, "acme", { endpoints: 1, events: 1, keys: 1 });
    expect((await call("DELETE", "/v1/tenants/acme", { key })).status).toBe(403);
    expect((await call("GET", "/v1/tenants/acme/deletion")).status).toBe(404);
    const first = await call("DELETE", "/v1/tenants/acme");
    expect(first).toMatchObject({ status: 202, json: { tenantId: "acme", state: "removing", step: "events", removed: {} } });
    expect(Date.parse(first.json.notBefore) - deps.clock.time).toBe(SETTLE_SECONDS * 1000);
    deps.clock.advance(1000);
    expect(await call("DELETE", "/v1/tenants/acme")).toEqual(first);
    expect(await call("GET", "/v1/tenants/acme/deletion")).toEqual({ status: 200, json: first.json });
  });

  it("stops the tenant at its tombstone: keys within the cache bound, intake, new endpoints and keys, its record, at once", async () => {
    const { call, deps } = setup();
    const [key] = await populated(call, "acme", { endpoints: 1, events: 0, keys: 1 });
    expect((await call("GET", "/v1/endpoints", { key })).status).toBe(200);
    await call("DELETE", "/v1/tenants/acme");
    expect((await call("POST", "/v1/events", { body: { tenantId: "acme", type: "a", payload: {} } })).json.error.code).toBe(
      "tenant_deleted",
    );
    expect((await call("POST", "/v1/endpoints", { body: { tenantId: "acme", url: "https://x.example/h" } })).status).toBe(410);
    expect((await call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "again" } })).status).toBe(410);
    expect((await call("POST", "/v1/tenants", { body: { id: "acme" } })).status).toBe(410);
    expect((await call("POST", "/v1/portal-sessions", { body: { tenantId: "acme" } })).status).toBe(410);
    expect((await call("GET", "/v1/tenants/acme")).status).toBe(410);
    // The admin naming it in a query: lists and event reads.
    expect((await call("GET", "/v1/endpoints?tenantId=acme")).status).toBe(410);
    expect((await call("GET", "/v1/events?tenantId=acme")).status).toBe(410);
    deps.clock.advance(TENANT_STATUS_CACHE_SECONDS * 1000);
    expect((await call("GET", "/v1/endpoints", { key })).status).toBe(401);
    // Another tenant goes on.
    expect((await call("POST", "/v1/events", { body: { tenantId: "other", type: "a", payload: {} } })).status).toBe(202);
  });

  it("makes the worker drop a deleted tenant's queued messages: nothing sent, logged, appended or dead-lettered", async () => {
    const deps = deliveryDeps([60]);
    await deps.endpoints.put(endpointFixture({ id: "ep_a", tenantId: "acme" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_p", tenantId: "acme", kind: "polling" }));
    await deps.tenants.startDeletion({
      tenantId: "acme",
      state: "removing",
      requestedAt: "",
      updatedAt: "",
      notBefore: "",
      step: "events",
      removed: {},
    });
    const kept = await deliverBatch(deps, [
      received(deliveryMessage({ tenantId: "acme", endpointId: "ep_a" })),
      received(deliveryMessage({ tenantId: "acme", endpointId: "ep_p" })),
    ]);
    expect(kept).toEqual([]);
    expect(deps.http.requests).toEqual([]);
    expect(deps.attempts.items).toEqual([]);
    expect(deps.feed.feeds.get("ep_p")?.size ?? 0).toBe(0);
    expect(deps.queue.deadLetters).toEqual([]);
  });
});

describe("the deletion job", () => {
  it("waits out the settling time, then removes every item of the tenant and none of another's, resuming after a crash at any page", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          endpoints: fc.integer({ min: 0, max: 4 }),
          events: fc.integer({ min: 0, max: 5 }),
          keys: fc.integer({ min: 0, max: 3 }),
        }),
        fc.integer({ min: 1, max: 12 }),
        async (size, crashAt) => {
          const { call, deps } = setup();
          await populated(call, "acme", size);
          await populated(call, "other", { endpoints: 1, events: 2, keys: 1 });
          for (const e of deps.events.items.values()) {
            await deps.attempts.record({
              eventId: e.id,
              endpointId: e.endpointIds[0] ?? "ep_x",
              tenantId: e.tenantId,
              attempt: 1,
              trigger: "scheduled",
              status: "succeeded",
              url: "u",
              at: e.createdAt,
              durationMs: 1,
              expiresAt: e.expiresAt,
            });
          }
          const otherBefore = leftOf(deps, "other");
          await call("DELETE", "/v1/tenants/acme");
          const more = () => true;
          // Before the settling time: nothing is removed.
          await runPendingDeletions({ ...deps, eraser: deps.eraser }, more);
          expect(leftOf(deps, "acme").events).toBe(size.events);
          deps.clock.advance(SETTLE_SECONDS * 1000);
          // A run that dies at page `crashAt`, then another run from what was saved.
          const eraser = deps.eraser as MemoryTenantEraser;
          let pages = 0;
          const crashing = {
            steps: eraser.steps,
            erase: async (t: string, s: string, c: string | undefined) => {
              if (++pages === crashAt) throw new Error("crash");
              return eraser.erase(t, s, c);
            },
          };
          await runPendingDeletions({ ...deps, eraser: crashing }, more).catch(() => undefined);
          await runPendingDeletions({ ...deps, eraser: crashing }, more);
          expect(leftOf(deps, "acme")).toEqual(NOTHING);
          expect(leftOf(deps, "other")).toEqual(otherBefore);
          const job = (await call("GET", "/v1/tenants/acme/deletion")).json;
          expect(job).toMatchObject({ state: "done", step: "tenant", finishedAt: expect.any(String) });
          const removed = job.removed as Record<string, number>;
          expect(removed.keys).toBe(size.keys);
          expect(removed.endpoints).toBe(size.endpoints);
          expect(await deps.tenants.pendingDeletions(10)).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("stops a run whose progress another run moved, and lets that one finish", async () => {
    const { call, deps } = setup();
    await populated(call, "acme", { endpoints: 2, events: 2, keys: 0 });
    await call("DELETE", "/v1/tenants/acme");
    deps.clock.advance(SETTLE_SECONDS * 1000);
    const [stale] = await deps.tenants.pendingDeletions(1);
    if (!stale) throw new Error("no pending job");
    const moved = await runTenantDeletion({ ...deps }, stale, () => true);
    expect(moved.state).toBe("done");
    // The stale copy's first save is refused: it does not write over the finished job.
    const again = await runTenantDeletion({ ...deps }, stale, () => true);
    expect(again).toEqual(stale);
    expect((await deps.tenants.status("acme")).deletion?.state).toBe("done");
  });
});
