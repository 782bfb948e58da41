import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type ApiKeyDeps, createApiKey, deleteApiKey, listApiKeys } from "../core/access/api-keys.ts";
import { endpointScope } from "../core/access/endpoint-scope.ts";
import { actingTenant, confinedTenant, type Principal, requireAdmin } from "../core/access/principal.ts";
import { demotionsNow, exitSuccessesShown, type LaneExitRule } from "../core/delivery/lane-exit.ts";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointDeps,
  endpointView,
  getEndpoint,
  listEndpoints,
  listEndpointsAmong,
  updateEndpoint,
} from "../core/endpoints/endpoints.ts";
import { rotateSecret, secretView } from "../core/endpoints/secret-rotation.ts";
import { type EventTypeDeps, unknownTypeWarnings } from "../core/event-types/event-types.ts";
import { getEventView, listEndpointAttempts, listEventAttempts } from "../core/events/event-queries.ts";
import { getRecovery, startRecovery } from "../core/events/recovery.ts";
import { replayEvent } from "../core/events/replay.ts";
import type { FeedApiDeps } from "../core/feed/deps.ts";
import { parseCreateEndpoint } from "../core/feed/endpoint-kind.ts";
import { acceptEvents, type IntakeDeps, type IntakeResult } from "../core/intake/intake.ts";
import { ApiError, invalidField } from "../core/kernel/errors.ts";
import type { Endpoint, EndpointView } from "../core/kernel/model.ts";
import type { AttemptLog, EventStore, RecoveryStore, Requeue } from "../core/kernel/ports.ts";
import { circuitView } from "../core/policy/circuit-breaker.ts";
import {
  AttemptStatusFilter,
  CreateApiKey,
  EmitBatch,
  parse,
  parseLimit,
  RecoverEndpoint,
  ReplayEvent,
  RotateSecret,
  TenantId,
  UpdateEndpoint,
} from "../core/requests/validation.ts";
import { eventTypeRoutes } from "./event-type-routes.ts";
import { header, jsonBody, pathParam, query } from "./request.ts";
import { empty, errorBody, json, RETRY_AFTER_SECONDS } from "./response.ts";
import type { Route } from "./route.ts";

export interface ApiDeps extends EndpointDeps, Omit<IntakeDeps, "eventTypes">, ApiKeyDeps, EventTypeDeps, FeedApiDeps {
  events: EventStore;
  attempts: AttemptLog;
  maxBodyBytes: number;
  /** Recoveries (POST /v1/endpoints/{id}/recover) and the queue their steps go through. */
  recoveries: RecoveryStore;
  requeue: Requeue;
  /** PORTAL_FRAME_ANCESTORS: the origins that may frame the portal; unset, none may. */
  portalFrameAncestors?: string;
  /** API_ROUTES: which routes this function answers (`api`: long polls go elsewhere; `feed`: the feed only). */
  apiRoutes: ApiRoutes;
  /** FEED_URL: the feed function's own URL, when it has one; /v1/health tells it. */
  feedUrl?: string;
  /** The lane settings an endpoint's way back to the fast lane is shown by. */
  laneExit: LaneExitRule;
}

/** What one function of the API serves: every route (`all`, the local stack), all but long polls (`api`), or the feed (`feed`). */
export type ApiRoutes = "all" | "api" | "feed";

type Event = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

export type { Route } from "./route.ts";

/** Every route of the HTTP API, each a few lines from request to core call to response. */
export function routes(deps: ApiDeps): Route[] {
  const body = (event: Event) => jsonBody(event, deps.maxBodyBytes);
  const id = (event: Event) => pathParam(event, "id");
  const page = <T>(p: { items: T[]; nextCursor?: string }) => ({ items: p.items, nextCursor: p.nextCursor ?? null });
  const optionalBody = (event: Event) => (event.body ? body(event) : {});
  // The tenant a request acts in, for the admin named by `?tenantId=` (default "default").
  const queriedTenant = (event: Event, caller: Principal) => {
    const requested = query(event, "tenantId");
    return actingTenant(caller, requested === undefined ? undefined : parse(TenantId, requested, "tenantId"));
  };
  const show = (endpoint: Endpoint | EndpointView, withSecret: boolean) =>
    endpointJson(endpoint, withSecret, deps.clock.now(), deps.laneExit);
  return [
    // feedUrl: where long polls go (null: this same URL), so that clients and the console find the feed.
    { method: "GET", path: "/v1/health", handler: async () => json(200, { status: "ok", feedUrl: deps.feedUrl ?? null }) },
    {
      method: "POST",
      path: "/v1/endpoints",
      handler: async (e, caller) => {
        const input = parseCreateEndpoint(body(e));
        const endpoint = await createEndpoint(deps, { ...input, tenantId: actingTenant(caller, input.tenantId) });
        return json(201, { ...show(endpoint, true), warnings: await unknownTypeWarnings(deps, input.eventTypes) });
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints",
      handler: async (e, caller) => {
        const [tenantId, limit, cursor] = [queriedTenant(e, caller), parseLimit(query(e, "limit")), query(e, "cursor")];
        const scope = endpointScope(caller);
        // A portal session limited to some endpoints lists those, read by id.
        const found = scope
          ? await listEndpointsAmong(deps, tenantId, scope, limit, cursor)
          : await listEndpoints(deps, tenantId, limit, cursor);
        return json(200, page({ ...found, items: found.items.map((v) => show(v, false)) }));
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}",
      handler: async (e, caller) => json(200, show(await getEndpoint(deps, id(e), confinedTenant(caller)), false)),
    },
    {
      method: "PATCH",
      path: "/v1/endpoints/{id}",
      handler: async (e, caller) => {
        const input = parse(UpdateEndpoint, body(e));
        const updated = show(await updateEndpoint(deps, id(e), input, confinedTenant(caller)), false);
        return json(200, { ...updated, warnings: await unknownTypeWarnings(deps, input.eventTypes) });
      },
    },
    {
      method: "DELETE",
      path: "/v1/endpoints/{id}",
      handler: async (e, caller) => {
        await deleteEndpoint(deps, id(e), confinedTenant(caller));
        return empty(204);
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}/secret",
      handler: async (e, caller) => json(200, secretView(await getEndpoint(deps, id(e), confinedTenant(caller)), deps.clock.now())),
    },
    {
      method: "POST",
      path: "/v1/endpoints/{id}/secret/rotate",
      handler: async (e, caller) => {
        const input = parse(RotateSecret, optionalBody(e));
        const rotated = await rotateSecret(deps, id(e), input, confinedTenant(caller));
        return json(200, secretView(rotated, deps.clock.now()));
      },
    },
    {
      method: "POST",
      path: "/v1/endpoints/{id}/recover",
      handler: async (e, caller) => {
        const input = parse(RecoverEndpoint, body(e));
        return json(202, await startRecovery(deps, id(e), input, confinedTenant(caller)));
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}/recoveries/{recoveryId}",
      handler: async (e, caller) => json(200, await getRecovery(deps, id(e), pathParam(e, "recoveryId"), confinedTenant(caller))),
    },
    {
      method: "POST",
      path: "/v1/events/{id}/replay",
      handler: async (e, caller) => {
        const input = parse(ReplayEvent, optionalBody(e));
        return json(202, await replayEvent(deps, actingTenant(caller, input.tenantId), id(e), input.endpointId, endpointScope(caller)));
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}/attempts",
      handler: async (e, caller) => {
        const endpoint = await getEndpoint(deps, id(e), confinedTenant(caller));
        const status = query(e, "status");
        const limit = parseLimit(query(e, "limit"));
        const filter = status === undefined ? undefined : parse(AttemptStatusFilter, status, "status");
        return json(200, page(await listEndpointAttempts(deps, endpoint.id, limit, query(e, "cursor"), filter)));
      },
    },
    {
      method: "POST",
      path: "/v1/events",
      handler: async (e, caller) => {
        const [result] = await acceptEvents(deps, [body(e)], idempotencyKey(e), confinedTenant(caller));
        const outcome = result as IntakeResult;
        if (!outcome.ok) throw outcome.error;
        return json(202, outcome.event, outcome.replayed ? { "idempotent-replayed": "true" } : {});
      },
    },
    {
      method: "POST",
      path: "/v1/events/batch",
      handler: async (e, caller) => {
        const { events } = parse(EmitBatch, body(e));
        const results = await acceptEvents(deps, events, undefined, confinedTenant(caller));
        const items = results.map((r) => (r.ok ? { status: 202, event: r.event } : { status: statusOf(r.error), ...errorBody(r.error) }));
        const busy = items.some((i) => i.status === 503);
        return json(202, { items }, busy ? { "retry-after": RETRY_AFTER_SECONDS } : {});
      },
    },
    {
      method: "GET",
      path: "/v1/events/{id}",
      handler: async (e, caller) => json(200, await getEventView(deps, queriedTenant(e, caller), id(e), endpointScope(caller))),
    },
    {
      method: "GET",
      path: "/v1/events/{id}/attempts",
      handler: async (e, caller) => {
        const [tenantId, limit, cursor] = [queriedTenant(e, caller), parseLimit(query(e, "limit")), query(e, "cursor")];
        return json(200, page(await listEventAttempts(deps, tenantId, id(e), limit, cursor, endpointScope(caller))));
      },
    },
    {
      method: "POST",
      path: "/v1/api-keys",
      handler: async (e, caller) => {
        requireAdmin(caller);
        const input = parse(CreateApiKey, body(e));
        const { view, key } = await createApiKey(deps, input.tenantId, input.name);
        return json(201, { ...view, key });
      },
    },
    {
      method: "GET",
      path: "/v1/api-keys",
      handler: async (e, caller) => {
        requireAdmin(caller);
        return json(200, page(await listApiKeys(deps, parseLimit(query(e, "limit")), query(e, "cursor"))));
      },
    },
    {
      method: "DELETE",
      path: "/v1/api-keys/{id}",
      handler: async (e, caller) => {
        requireAdmin(caller);
        await deleteApiKey(deps, id(e));
        return empty(204);
      },
    },
    ...eventTypeRoutes({ ...deps, apiDocument: async () => String((await apiDocument()).body) }),
    {
      method: "GET",
      path: "/v1/openapi.json",
      handler: async () => {
        const served = await apiDocument();
        return { ...served, headers: { ...served.headers } };
      },
    },
  ];
}

let document: Promise<Response> | undefined;

/**
 * The API document, unpacked on its first request. `npm run openapi` generates it from the schemas
 * into a gzipped copy (about 7 KB of bundle against 30 KB for the converter); a test holds the copy
 * equal to what the code generates.
 */
function apiDocument(): Promise<Response> {
  document ??= Promise.all([import("node:zlib"), import("./openapi/served-document.ts")]).then(([zlib, served]) => ({
    statusCode: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    body: zlib.gunzipSync(Buffer.from(served.DOCUMENT_GZIP_BASE64, "base64")).toString("utf8"),
  }));
  return document;
}

function idempotencyKey(event: Event): string | undefined {
  const key = header(event, "idempotency-key");
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 255) {
    throw invalidField("idempotency-key", "must be 1 to 255 characters");
  }
  return key;
}

function statusOf(error: Error): number {
  return error instanceof ApiError ? error.status : 503;
}

/** An endpoint as the API shows it; `null` where a field is unset, the secret only when asked. */
function endpointJson(endpoint: Endpoint | EndpointView, withSecret: boolean, now: Date, laneExit: LaneExitRule) {
  const view = "secret" in endpoint ? endpointView(endpoint) : endpoint;
  return {
    id: view.id,
    kind: view.kind ?? "webhook",
    // A polling endpoint has no URL: its deliveries are read from its feed.
    ...(view.kind !== "polling" && { url: view.url }),
    eventTypes: view.eventTypes ?? null,
    tenantId: view.tenantId,
    description: view.description ?? null,
    enabled: view.enabled,
    headers: view.headers,
    ...(withSecret && "secret" in endpoint && { secret: endpoint.secret }),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    retrySchedule: view.retrySchedule ?? null,
    rateLimitPerSecond: view.rateLimitPerSecond ?? null,
    disabledReason: view.disabledReason ?? null,
    disabledAt: view.disabledAt ?? null,
    failingSince: view.failingSince ?? null,
    circuit: circuitView(view.circuit, now),
    lane: view.lane ?? "fast",
    laneSince: view.laneSince ?? null,
    laneFastSuccesses: view.laneFastSuccesses ?? 0,
    laneFastSuccessesNeeded: exitSuccessesShown(laneExit, view, now),
    laneDemotions: demotionsNow(laneExit, view, now),
  };
}
