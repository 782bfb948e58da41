import { expect } from "vitest";
import { apiRoutes, PUBLIC_PATHS } from "../../functions/api/handler.ts";
import { PORTAL_ROUTES } from "../../functions/api/routes.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { memoryApiDeps } from "./api-deps.ts";

/*
 * Probes every route of the API as a portal session limited to some endpoints would, with every id
 * there is in each path parameter, and finds what an answer shows that the session may not see.
 * The unit test runs it on fakes and the integration test on the local stack.
 */

/** One answer: its status and body as sent. */
export interface Reply {
  status: number;
  text: string;
}

/** Calls the API as one caller. */
export type Send = (method: string, path: string, body?: unknown) => Promise<Reply>;

/** One request made, the route it was for ("METHOD /template") and what it answered. */
export interface Probed extends Reply {
  route: string;
  method: string;
  path: string;
  body?: unknown;
}

/** What the session's tenant and the others hold. */
export interface ProbeWorld {
  tenantId: string;
  /** Every endpoint id of every tenant. */
  endpoints: string[];
  /** Every event id of every tenant. */
  events: string[];
  /** Recoveries, each with its endpoint. */
  recoveries: { endpointId: string; id: string }[];
  /** A time the recoveries may start from. */
  since: string;
}

/** Every route of the API as "METHOD /path/{param}", read from the route table the router serves. */
export function routeTable(): { method: string; path: string }[] {
  const deps = memoryApiDeps();
  return apiRoutes(deps, async () => new Authenticator("unused", deps.apiKeys)).map(({ method, path }) => ({ method, path }));
}

/** True for a route a portal session may call at all: the portal's set, and the public routes every caller may. */
export const portalRoute = (route: string): boolean => PORTAL_ROUTES.has(route) || PUBLIC_PATHS.has(route.replace(/^GET /, ""));

/** Bodies that make each write route do its work; other routes get `{}`. */
function bodiesFor(route: string, world: ProbeWorld): unknown[] {
  if (route === "POST /v1/endpoints") return [{ url: "https://created.example/hook" }];
  if (route === "PATCH /v1/endpoints/{id}") return [{ description: "changed by the session" }];
  if (route === "POST /v1/endpoints/{id}/recover") return [{ since: world.since }];
  if (route === "POST /v1/events/{id}/replay") return [{}, ...world.endpoints.map((endpointId) => ({ endpointId }))];
  if (route === "POST /v1/endpoints/{id}/send-example") return [{ eventType: "order.paid" }];
  if (route === "POST /v1/portal-sessions") return [{ tenantId: world.tenantId }];
  return [{}];
}

/** The paths of a route template with every id there is in `{id}`, a recovery of that endpoint in `{recoveryId}`. */
function pathsOf(template: string, world: ProbeWorld): string[] {
  const ids = [...world.endpoints, ...world.events, "evt_never_used"];
  const withIds = template.includes("{id}") ? ids.map((id) => template.replace("{id}", encodeURIComponent(id))) : [template];
  return withIds.flatMap((path) => {
    if (!path.includes("{recoveryId}")) return [path.replace("{name}", "order.paid")];
    return world.recoveries.map((r) => path.replace("{recoveryId}", r.id)).concat(path.replace("{recoveryId}", "rcv_never_used"));
  });
}

/**
 * Calls every route with every id and body, lists page by page (`pageSize` at a time, following
 * each cursor to the end), and the DELETEs last so the rest finds everything still there.
 */
export async function probeAll(send: Send, world: ProbeWorld, pageSize: number): Promise<Probed[]> {
  const requests = routeTable().flatMap(({ method, path: template }): { route: string; method: string; path: string; body?: unknown }[] => {
    const route = `${method} ${template}`;
    return pathsOf(template, world).flatMap((path) =>
      method === "GET" || method === "DELETE"
        ? [{ route, method, path: method === "GET" ? `${path}?limit=${pageSize}` : path }]
        : bodiesFor(route, world).map((body) => ({ route, method, path, body })),
    );
  });
  requests.sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
  const probed: Probed[] = [];
  for (const request of requests) {
    let reply = await send(request.method, request.path, request.body);
    probed.push({ ...request, ...reply });
    // A list: follow its cursor; a list that never ends is a failure the caller sees as a thrown error.
    for (let pages = 1; request.method === "GET" && reply.status === 200; pages++) {
      const next = (JSON.parse(reply.text) as { nextCursor?: unknown }).nextCursor;
      if (typeof next !== "string") break;
      if (pages > 200) throw new Error(`${request.path} gave a cursor on page ${pages}`);
      const path = `${request.path}&cursor=${encodeURIComponent(next)}`;
      reply = await send("GET", path);
      probed.push({ ...request, path, ...reply });
    }
  }
  return probed;
}

/**
 * The forbidden strings an answer shows: in its text, or in any base64url string of it decoded (a
 * cursor is base64url JSON, and one naming another endpoint's event leaks that event's id).
 */
export function leaks(text: string, forbidden: readonly string[]): string[] {
  const decoded = (text.match(/[A-Za-z0-9_-]{16,}/g) ?? []).map((s) => Buffer.from(s, "base64url").toString("latin1"));
  const all = [text, ...decoded].join("\n");
  return forbidden.filter((f) => all.includes(f));
}

/** Every item of a list, page by page. */
export async function allItems<T>(send: Send, path: string, pageSize: number): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes("?") ? "&" : "?";
  let cursor: string | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const reply = await send("GET", `${path}${join}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${reply.text}`);
    const page = JSON.parse(reply.text) as { items: T[]; nextCursor: string | null };
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error(`${path}: the cursor never ended`);
}

/** A tenant, a session limited to some of its endpoints, and what the test knows of who got what. */
export interface ScopedWorld {
  world: ProbeWorld;
  asTenant: Send;
  asSession: Send;
  /** The session's endpoints. */
  own: string[];
  /** The tenant's events. */
  tenantEvents: string[];
  /** The endpoints an event was delivered to, as the test saw it happen (not as the API says). */
  deliveredTo: (eventId: string) => ReadonlySet<string>;
  /** True for an event of the tenant with a delivery to one of the session's endpoints. */
  visible: (eventId: string) => boolean;
  /** Strings of everything else: other endpoints' ids, URLs, descriptions, secrets and answers, other events' ids and payloads. */
  forbidden: string[];
}

type Delivery = { endpointId: string };
type Attempt = { endpointId: string };
type Summary = { id: string; endpoints: number };

/**
 * The session sees, page by page, exactly the tenant key's view of its part (the same events in the
 * same order, each counting only its deliveries; their payloads, deliveries and attempts; its
 * endpoints); then every route of the table, with every id and body, answers nothing forbidden,
 * never a 5xx, 403 outside the portal's routes and 403 or 404 for what lies outside the session.
 */
export async function expectScoped(s: ScopedWorld, pageSize: number): Promise<Probed[]> {
  const tenantEvents = await allItems<Summary>(s.asTenant, "/v1/events", 100);
  const tenantText = JSON.stringify(tenantEvents);
  // The tenant key sees every event of its tenant: the forbidden ids are really there to find.
  expect(s.tenantEvents.every((id) => tenantText.includes(id))).toBe(true);
  const listed = await allItems<Summary>(s.asSession, "/v1/events", pageSize);
  const expected = tenantEvents
    .filter((e) => s.visible(e.id))
    .map((e) => ({ ...e, endpoints: [...s.deliveredTo(e.id)].filter((id) => s.own.includes(id)).length }));
  expect(listed).toEqual(expected);
  for (const id of s.tenantEvents.filter(s.visible)) {
    const tenantView = JSON.parse((await s.asTenant("GET", `/v1/events/${id}`)).text) as { deliveries: Delivery[]; payload: unknown };
    const view = JSON.parse((await s.asSession("GET", `/v1/events/${id}`)).text) as { deliveries: Delivery[]; payload: unknown };
    expect(view.payload).toEqual(tenantView.payload);
    expect(view.deliveries).toEqual(tenantView.deliveries.filter((d) => s.own.includes(d.endpointId)));
    const tenantAttempts = await allItems<Attempt>(s.asTenant, `/v1/events/${id}/attempts`, 100);
    const attempts = await allItems<Attempt>(s.asSession, `/v1/events/${id}/attempts`, pageSize);
    expect(attempts).toEqual(tenantAttempts.filter((a) => s.own.includes(a.endpointId)));
  }
  const endpoints = await allItems<{ id: string }>(s.asSession, "/v1/endpoints", pageSize);
  const tenantEndpoints = await allItems<{ id: string }>(s.asTenant, "/v1/endpoints", 100);
  expect(endpoints.map((e) => e.id)).toEqual(tenantEndpoints.map((e) => e.id).filter((id) => s.own.includes(id)));

  const probed = await probeAll(s.asSession, s.world, pageSize);
  for (const p of probed) {
    // An answer may repeat what the request named (a 404 says which id it did not find), nothing more.
    const named = [p.path, JSON.stringify(p.body ?? {})].join(" ");
    const forbidden = s.forbidden.filter((f) => !named.includes(f));
    expect(leaks(p.text, forbidden), `${p.method} ${named}`).toEqual([]);
    expect(p.status, `${p.method} ${p.path}`).toBeLessThan(500);
    if (!portalRoute(p.route)) expect(p.status, `${p.route} is not the portal's`).toBe(403);
    const outside = s.world.endpoints.some((id) => !s.own.includes(id) && named.includes(id));
    const hidden = s.world.events.some((id) => !s.visible(id) && p.path.includes(id));
    if (outside || hidden) expect([403, 404], `${p.method} ${named}`).toContain(p.status);
  }
  return probed;
}
