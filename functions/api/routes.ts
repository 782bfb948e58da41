import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Clock } from "../core/clock.ts";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointDeps,
  endpointView,
  getEndpoint,
  listEndpoints,
  updateEndpoint,
} from "../core/endpoints.ts";
import { ApiError } from "../core/errors.ts";
import { getEventView, listEndpointAttempts, listEventAttempts } from "../core/event-queries.ts";
import { acceptEvents, type IntakeDeps, type IntakeResult } from "../core/intake.ts";
import type { Endpoint, EndpointView } from "../core/model.ts";
import type { AttemptLog, EventStore } from "../core/ports.ts";
import { AttemptStatusFilter, CreateEndpoint, EmitBatch, parse, parseLimit, TenantId, UpdateEndpoint } from "../core/validation.ts";
import { header, jsonBody, pathParam, query } from "./request.ts";
import { empty, errorBody, json, RETRY_AFTER_SECONDS } from "./response.ts";

export interface ApiDeps extends EndpointDeps, IntakeDeps {
  events: EventStore;
  attempts: AttemptLog;
  clock: Clock;
  maxBodyBytes: number;
}

type Route = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
};

/** Every route of the HTTP API, each a few lines from request to core call to response. */
export function routes(deps: ApiDeps): Route[] {
  const body = (event: APIGatewayProxyEventV2) => jsonBody(event, deps.maxBodyBytes);
  const id = (event: APIGatewayProxyEventV2) => pathParam(event, "id");
  return [
    { method: "GET", path: "/v1/health", handler: async () => json(200, { status: "ok" }) },
    {
      method: "POST",
      path: "/v1/endpoints",
      handler: async (e) => json(201, endpointJson(await createEndpoint(deps, parse(CreateEndpoint, body(e))), true)),
    },
    {
      method: "GET",
      path: "/v1/endpoints",
      handler: async (e) => {
        const tenantId = parse(TenantId, query(e, "tenantId") ?? "default");
        const page = await listEndpoints(deps, tenantId, parseLimit(query(e, "limit")), query(e, "cursor"));
        return json(200, { items: page.items.map((v) => endpointJson(v, false)), nextCursor: page.nextCursor ?? null });
      },
    },
    { method: "GET", path: "/v1/endpoints/{id}", handler: async (e) => json(200, endpointJson(await getEndpoint(deps, id(e)), false)) },
    {
      method: "PATCH",
      path: "/v1/endpoints/{id}",
      handler: async (e) => json(200, endpointJson(await updateEndpoint(deps, id(e), parse(UpdateEndpoint, body(e))), false)),
    },
    {
      method: "DELETE",
      path: "/v1/endpoints/{id}",
      handler: async (e) => {
        await deleteEndpoint(deps, id(e));
        return empty(204);
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}/secret",
      handler: async (e) => json(200, { secret: (await getEndpoint(deps, id(e))).secret }),
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}/attempts",
      handler: async (e) => {
        const endpoint = await getEndpoint(deps, id(e));
        const status = query(e, "status");
        const page = await listEndpointAttempts(
          deps,
          endpoint.id,
          parseLimit(query(e, "limit")),
          query(e, "cursor"),
          status === undefined ? undefined : parse(AttemptStatusFilter, status),
        );
        return json(200, { items: page.items, nextCursor: page.nextCursor ?? null });
      },
    },
    {
      method: "POST",
      path: "/v1/events",
      handler: async (e) => {
        const [result] = await acceptEvents(deps, [body(e)], idempotencyKey(e));
        const outcome = result as IntakeResult;
        if (!outcome.ok) throw outcome.error;
        return json(202, outcome.event, outcome.replayed ? { "idempotent-replayed": "true" } : {});
      },
    },
    {
      method: "POST",
      path: "/v1/events/batch",
      handler: async (e) => {
        const { events } = parse(EmitBatch, body(e));
        const results = await acceptEvents(deps, events);
        const items = results.map((r) => (r.ok ? { status: 202, event: r.event } : { status: statusOf(r.error), ...errorBody(r.error) }));
        const busy = items.some((i) => i.status === 503);
        return json(202, { items }, busy ? { "retry-after": RETRY_AFTER_SECONDS } : {});
      },
    },
    { method: "GET", path: "/v1/events/{id}", handler: async (e) => json(200, await getEventView(deps, id(e))) },
    {
      method: "GET",
      path: "/v1/events/{id}/attempts",
      handler: async (e) => {
        const page = await listEventAttempts(deps, id(e), parseLimit(query(e, "limit")), query(e, "cursor"));
        return json(200, { items: page.items, nextCursor: page.nextCursor ?? null });
      },
    },
  ];
}

function idempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const key = header(event, "idempotency-key");
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 255) {
    throw new ApiError("invalid_request", "Idempotency-Key must be 1 to 255 characters", { header: "idempotency-key" });
  }
  return key;
}

function statusOf(error: Error): number {
  return error instanceof ApiError ? error.status : 503;
}

/** An endpoint as the API shows it; `null` where a field is unset, the secret only when asked. */
function endpointJson(endpoint: Endpoint | EndpointView, withSecret: boolean) {
  const view = "secret" in endpoint ? endpointView(endpoint) : endpoint;
  return {
    id: view.id,
    url: view.url,
    eventTypes: view.eventTypes ?? null,
    tenantId: view.tenantId,
    description: view.description ?? null,
    enabled: view.enabled,
    headers: view.headers,
    ...(withSecret && "secret" in endpoint && { secret: endpoint.secret }),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}
