import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { latestOfChain } from "../../functions/core/delivery/history.ts";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { FakeClock } from "../support/fakes.ts";
import { expectScoped, type ProbeWorld, portalRoute, routeTable, type Send } from "../support/portal-probe.ts";

/*
 * A portal session limited to some endpoints, on random tenants: every route of the route table,
 * called with every id there is, shows nothing of the tenant's other endpoints (ids, URLs,
 * descriptions, secrets), of the events with no delivery to its endpoints (ids, payloads), nor of
 * the other deliveries and attempts of the events it sees (URLs, receivers' answers); and it shows
 * what the tenant key shows of its own part, in the same order.
 */

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
const TYPES = ["order.paid", "order.sent", "user.made"] as const;
const START = Date.parse("2026-12-01T12:00:00Z");

const scenario = fc.record({
  /** Endpoints of tenant "a": the types each takes (undefined: every type). */
  endpoints: fc.array(fc.option(fc.subarray([...TYPES], { minLength: 1 }), { nil: undefined }), { minLength: 2, maxLength: 5 }),
  /** Events of "a" (and of "b", which has one catch-all endpoint): a type each. */
  events: fc.array(fc.record({ tenant: fc.constantFrom("a", "a", "b"), type: fc.constantFrom(...TYPES) }), { minLength: 1, maxLength: 8 }),
  /** Attempts each queued delivery gets before the probe (0: still pending). */
  attempts: fc.array(fc.nat(3), { minLength: 20, maxLength: 20 }),
  /** Replays by the tenant key: an event and an endpoint, by index. */
  replays: fc.array(fc.record({ event: fc.nat(), endpoint: fc.nat() }), { maxLength: 3 }),
  /** The session's endpoints, by index into "a"'s. */
  scope: fc.uniqueArray(fc.nat(4), { minLength: 1, maxLength: 3 }),
  pageSize: fc.integer({ min: 1, max: 3 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Builds the scenario through the API (the admin key), stands in for the worker, and opens the session. */
async function build(spec: Scenario) {
  const deps = { ...memoryApiDeps(), clock: new FakeClock(START) };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const sender =
    (headers: Record<string, string>): Send =>
    async (method, path, body) => {
      const response = await handler(apiEvent(method, path, { body, headers }), {} as Context);
      return { status: response.statusCode ?? 0, text: String(response.body ?? "") };
    };
  const admin = sender({});
  const json = async (method: string, path: string, body?: unknown) => {
    const reply = await admin(method, path, body);
    expect(reply.status, `${method} ${path}: ${reply.text}`).toBeLessThan(300);
    return JSON.parse(reply.text);
  };
  // Strings each resource shows, to find them in answers that should not show them.
  const marks = new Map<string, string[]>();
  const mark = (id: string, ...texts: string[]) => marks.set(id, [...(marks.get(id) ?? []), id, ...texts]);
  const endpointsOf: Record<string, string[]> = { a: [], b: [] };
  const endpointSpecs: [string, string[] | undefined][] = [
    ...spec.endpoints.map((types): [string, string[] | undefined] => ["a", types]),
    ["b", undefined],
  ];
  for (const [i, [tenantId, eventTypes]] of endpointSpecs.entries()) {
    const url = `https://h${i}-x.example/hook`;
    const created = await json("POST", "/v1/endpoints", { tenantId, url, description: `desc-${i}-x`, ...(eventTypes && { eventTypes }) });
    endpointsOf[tenantId]?.push(created.id);
    mark(created.id, url, `desc-${i}-x`, created.secret);
  }
  const eventsOf: Record<string, string[]> = { a: [], b: [] };
  for (const [i, { tenant, type }] of spec.events.entries()) {
    deps.clock.advance(1000);
    const emitted = await json("POST", "/v1/events", { tenantId: tenant, type, payload: { marker: `payload-${i}-x` } });
    eventsOf[tenant]?.push(emitted.id);
    mark(emitted.id, `payload-${i}-x`);
  }
  const own = spec.scope.map((i) => endpointsOf.a?.[i % (endpointsOf.a?.length ?? 1)] as string);
  for (const r of spec.replays) {
    const [event, endpoint] = [eventsOf.a?.[r.event % eventsOf.a.length], endpointsOf.a?.[r.endpoint % endpointsOf.a.length]];
    // Refused when the endpoint does not take the event's type: that is no delivery.
    if (event && endpoint) await admin("POST", `/v1/events/${event}/replay`, { tenantId: "a", endpointId: endpoint });
  }
  // Stands in for the worker: each queued delivery gets its attempts, each with an answer of its own.
  for (const [n, m] of deps.queue.sent.entries()) {
    for (let k = 0; k < (spec.attempts[n % spec.attempts.length] ?? 0); k++) {
      deps.clock.advance(10);
      const last = latestOfChain(await deps.attempts.ofDelivery(m.eventId, m.endpointId), m.chain);
      const answer = `answer-${n}-${k}-x`;
      const record: AttemptRecord = {
        eventId: m.eventId,
        endpointId: m.endpointId,
        tenantId: m.tenantId,
        attempt: (last?.attempt ?? 0) + 1,
        trigger: m.chain === undefined ? "scheduled" : "manual",
        ...(m.chain !== undefined && { chain: m.chain }),
        status: k === 2 ? "succeeded" : "failed",
        url: (await deps.endpoints.get(m.endpointId))?.url ?? "",
        at: deps.clock.now().toISOString(),
        durationMs: 1,
        statusCode: k === 2 ? 200 : 500,
        responseBody: answer,
        expiresAt: 0,
      };
      await deps.attempts.record(record);
      mark(`${m.eventId}>${m.endpointId}`, answer);
    }
  }
  // The oracle: an event's deliveries are the endpoints its messages went to (intake's and replays').
  const deliveries = new Map<string, Set<string>>();
  for (const m of deps.queue.sent) deliveries.set(m.eventId, (deliveries.get(m.eventId) ?? new Set()).add(m.endpointId));
  const visible = (eventId: string) => (eventsOf.a?.includes(eventId) ?? false) && own.some((e) => deliveries.get(eventId)?.has(e));
  const forbidden = [...marks.entries()].flatMap(([key, texts]) => {
    const [eventId, endpointId] = key.split(">") as [string, string | undefined];
    if (endpointId !== undefined) return own.includes(endpointId) && visible(eventId) ? [] : texts;
    return own.includes(key) || visible(key) ? [] : texts;
  });
  const recoveries = [];
  for (const endpointId of [...(endpointsOf.a ?? []), ...(endpointsOf.b ?? [])]) {
    const started = await json("POST", `/v1/endpoints/${endpointId}/recover`, { since: new Date(START).toISOString() });
    recoveries.push({ endpointId, id: started.id as string });
    if (!own.includes(endpointId)) forbidden.push(started.id);
  }
  const tenantKey = (await json("POST", "/v1/api-keys", { tenantId: "a", name: "a" })).key as string;
  const session = await json("POST", "/v1/portal-sessions", { tenantId: "a", endpointIds: own });
  const world: ProbeWorld = {
    tenantId: "a",
    endpoints: [...(endpointsOf.a ?? []), ...(endpointsOf.b ?? [])],
    events: [...(eventsOf.a ?? []), ...(eventsOf.b ?? [])],
    recoveries,
    since: new Date(START).toISOString(),
  };
  return {
    deps,
    world,
    own,
    forbidden,
    visible,
    deliveredTo: (eventId: string) => deliveries.get(eventId) ?? new Set<string>(),
    tenantEvents: eventsOf.a ?? [],
    asTenant: sender({ authorization: `Bearer ${tenantKey}` }),
    asSession: sender({ authorization: `Portal ${session.token}` }),
  };
}

describe("a portal session limited to some endpoints", () => {
  it("shows nothing outside its endpoints on any route of the table, and what the tenant key shows of them", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (spec) => {
        const s = await build(spec);
        const others = [...s.deps.endpoints.items.values()].filter((e) => !s.own.includes(e.id));
        const sentBefore = s.deps.queue.sent.length;
        await expectScoped(s, spec.pageSize);
        // Nothing the session did changed another endpoint or sent anything to one.
        expect([...s.deps.endpoints.items.values()].filter((e) => !s.own.includes(e.id))).toEqual(others);
        expect(s.deps.queue.sent.slice(sentBefore).every((m) => s.own.includes(m.endpointId))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("calls every route of the table a portal may use, and finds every other one refused", () => {
    const routes = routeTable().map((r) => `${r.method} ${r.path}`);
    // The probe covers the whole table; the portal's set names only routes that exist.
    expect(routes.filter(portalRoute).length).toBeGreaterThan(10);
    expect(routes.filter((r) => !portalRoute(r))).toEqual(
      expect.arrayContaining([
        "POST /v1/events",
        "GET /v1/endpoints/{id}/feed",
        "POST /v1/endpoints/{id}/send-example",
        "GET /v1/event-types",
      ]),
    );
  });
});
