import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { latestOfChain } from "../../functions/core/delivery/history.ts";
import { eventIdForKey } from "../../functions/core/kernel/ids.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { endpointFixture } from "../support/fakes.ts";
import { type Answer, normalize, perform, type TenantCall, tenantOps } from "../support/tenant-scenario.ts";

/*
 * Event ids and idempotency keys are private to their tenant: whatever another tenant did before
 * (emit the same ids, the same keys, or the ids this tenant's keys stand for; replay them; have them
 * delivered), a tenant gets exactly the answers a fresh, empty stack would give it.
 */

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
const KEYS = ["k1", "k2", "k3"];
/** The ids callers choose: plain ones, and the ids every tenant's keys stand for (anyone can compute them). */
const IDS = ["order-1", "order-2", "op_1", ...["a", "b", "default"].flatMap((t) => KEYS.map((k) => eventIdForKey(t, k)))];
const KEEP = new Set(IDS);

/** The API on in-memory fakes, with one catch-all endpoint and one key per tenant; "admin" calls with the admin key. */
async function stack(tenants: string[]) {
  const deps = memoryApiDeps();
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const callWith =
    (key: string): TenantCall =>
    async (method, path, body, headers) => {
      const response = await handler(apiEvent(method, path, { body, headers, key }), {} as Context);
      const json = response.body ? JSON.parse(response.body) : undefined;
      return { status: response.statusCode ?? 0, json, replayed: response.headers?.["idempotent-replayed"] === "true" };
    };
  const as: Record<string, TenantCall> = { admin: callWith("admin-key") };
  for (const tenantId of tenants) {
    await deps.endpoints.put(endpointFixture({ id: `ep_${tenantId}`, tenantId }));
    const created = await as.admin?.("POST", "/v1/api-keys", { tenantId, name: tenantId });
    as[tenantId] = callWith((created?.json as { key: string }).key);
  }
  // Stands in for the worker: every message sent so far gets one successful attempt in its chain.
  let delivered = 0;
  const deliver = async () => {
    for (const m of deps.queue.sent.slice(delivered)) {
      const last = latestOfChain(await deps.attempts.ofDelivery(m.eventId, m.endpointId), m.chain);
      await deps.attempts.record({
        eventId: m.eventId,
        endpointId: m.endpointId,
        tenantId: m.tenantId,
        attempt: (last?.attempt ?? 0) + 1,
        trigger: m.chain === undefined ? "scheduled" : "manual",
        ...(m.chain !== undefined && { chain: m.chain }),
        status: "succeeded",
        url: "https://receiver.example/hook",
        at: deps.clock.now().toISOString(),
        durationMs: 1,
        statusCode: 200,
        expiresAt: 0,
      });
    }
    delivered = deps.queue.sent.length;
  };
  return { as: (who: string) => as[who] as TenantCall, deliver };
}

describe("tenant privacy of event ids and idempotency keys", () => {
  it("gives a tenant the answers of a fresh stack, whatever another tenant did first", async () => {
    // The other tenant calls with its own key ("b"), or is the admin key acting in "default".
    const other = fc.constantFrom({ tenant: "b", who: "b" }, { tenant: "default", who: "admin" });
    await fc.assert(
      fc.asyncProperty(other, tenantOps(IDS, KEYS), tenantOps(IDS, KEYS), async ({ tenant, who }, theirs, mine) => {
        const shared = await stack(["a", tenant]);
        await perform(shared.as(who), theirs, shared.deliver);
        const afterOthers = await perform(shared.as("a"), mine, shared.deliver);
        const fresh = await stack(["a"]);
        const alone = await perform(fresh.as("a"), mine, fresh.deliver);
        expect(normalize(afterOthers, KEEP)).toEqual(normalize(alone, KEEP));
      }),
      { numRuns: 150 },
    );
  });

  it("answers another tenant's reads and replays of an event exactly as for an id never used", async () => {
    const { as, deliver } = await stack(["a", "b"]);
    const derived = eventIdForKey("a", "k1");
    const emitted = await as("a")("POST", "/v1/events", { type: "order.paid", payload: 1 }, { "idempotency-key": "k1" });
    expect(emitted).toMatchObject({ status: 202, json: { id: derived } });
    const plain = await as("a")("POST", "/v1/events", { type: "order.paid", payload: 2 });
    expect(plain.status).toBe(202);
    await deliver();
    const idsOfA = [derived, (plain.json as { id: string }).id];
    const probes: [string, string, unknown?][] = [
      ["GET", "/v1/events/{id}"],
      ["GET", "/v1/events/{id}/attempts"],
      ["POST", "/v1/events/{id}/replay", {}],
    ];
    const askAs = async (call: TenantCall, id: string, [method, path, body]: (typeof probes)[number], query = "") => {
      const answer: Answer = await call(method, path.replace("{id}", id) + query, body);
      return JSON.parse(JSON.stringify(answer).replaceAll(id, "<id>"));
    };
    for (const probe of probes) {
      for (const id of idsOfA) {
        const unknown = await askAs(as("b"), "evt_never_used", probe);
        expect(unknown).toMatchObject({ status: 404, json: { error: { code: "not_found" } } });
        expect(await askAs(as("b"), id, probe)).toEqual(unknown);
        // The admin acts in the tenant it names: in "b" (or "default") A's events are unknown too.
        const named = probe[0] === "GET" ? "?tenantId=b" : "";
        const adminBody = probe[2] === undefined ? undefined : { tenantId: "b" };
        const adminAsk = (x: string) => askAs(as("admin"), x, [probe[0], probe[1], adminBody], named);
        expect(await adminAsk(id)).toEqual(await adminAsk("evt_never_used"));
        expect(await askAs(as("admin"), id, probe)).toEqual(await askAs(as("admin"), "evt_never_used", probe));
      }
    }
    // In its own tenant the event is there, for its key and for the admin naming the tenant.
    expect((await as("a")("GET", `/v1/events/${derived}`)).json).toMatchObject({ id: derived, tenantId: "a", payload: 1 });
    expect((await as("admin")("GET", `/v1/events/${derived}?tenantId=a`)).json).toMatchObject({ id: derived, tenantId: "a" });
    expect((await as("admin")("GET", `/v1/events/${derived}/attempts?tenantId=a`)).json).toMatchObject({ items: [{ eventId: derived }] });
    expect(await as("admin")("POST", `/v1/events/${derived}/replay`, { tenantId: "a" })).toMatchObject({ status: 202 });
    expect(await as("b")("GET", `/v1/events/${derived}?tenantId=a`)).toMatchObject({ status: 403 });
  });

  it("keeps one id of two tenants as two events in one batch of the admin", async () => {
    const { as } = await stack(["a", "b"]);
    const events = [
      { id: "order-1", tenantId: "a", type: "order.paid", payload: 1 },
      { id: "order-1", tenantId: "b", type: "order.paid", payload: 2 },
      { id: "order-1", tenantId: "a", type: "order.paid", payload: 1 },
    ];
    const answer = await as("admin")("POST", "/v1/events/batch", { events });
    const items = (answer.json as { items: { status: number; event: { tenantId: string } }[] }).items;
    expect(items.map((i) => [i.status, i.event.tenantId])).toEqual([
      [202, "a"],
      [202, "b"],
      [202, "a"],
    ]);
    expect((await as("a")("GET", "/v1/events/order-1")).json).toMatchObject({ payload: 1 });
    expect((await as("b")("GET", "/v1/events/order-1")).json).toMatchObject({ payload: 2 });
  });
});
