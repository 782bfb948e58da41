import * as v from "valibot";
import type { ApiErrorCode } from "../../core/errors.ts";
import {
  AttemptStatusFilter,
  CreateApiKey,
  CreateEndpoint,
  CreatePortalSession,
  EmitBatch,
  EmitEvent,
  EVENT_TYPE,
  RecoverEndpoint,
  ReplayEvent,
  RotateSecret,
  TenantId,
  UpdateEndpoint,
} from "../../core/validation.ts";
import * as R from "./response-schemas.ts";

/** A parameter: its schema is a valibot schema the route parses with, or JSON Schema where the route checks by hand. */
export interface Parameter {
  name: string;
  in: "query" | "header";
  description: string;
  schema: v.GenericSchema | Record<string, unknown>;
}

/** One route of the API as the document shows it. Error responses are derived from these facts. */
export interface Operation {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  operationId: string;
  tag: "Endpoints" | "Events" | "API keys" | "Portal" | "Service";
  summary: string;
  description?: string;
  /** No key needed. */
  public?: boolean;
  /** Only the admin key may call it (403 for a tenant key). */
  adminOnly?: boolean;
  /** Names a tenant: a tenant key naming another one answers 403. */
  namesTenant?: boolean;
  parameters?: Parameter[];
  /** The JSON body the route parses with this schema; `optional` when an empty body is allowed. */
  body?: { schema: v.GenericSchema; optional?: boolean; example?: unknown };
  success: { status: number; description: string; schema?: v.GenericSchema; example?: unknown; headers?: Record<string, string> };
  /** Errors beyond the ones every route of its kind answers. */
  errors?: ApiErrorCode[];
}

/** The tenant a list reads (the admin key names it; a tenant key reads its own). */
const TENANT_QUERY: Parameter = {
  name: "tenantId",
  in: "query",
  description: "The tenant (admin key only; default `default`)",
  schema: TenantId,
};
/** The tenant of the event a route reads or replays: an event is named by its tenant and id. */
const EVENT_TENANT_QUERY: Parameter = {
  name: "tenantId",
  in: "query",
  description: "The tenant the event belongs to (admin key only; default `default`)",
  schema: TenantId,
};

/** The `limit` query parameter as `parseLimit` checks it (a unit test holds the two together). */
export const LIMIT_SCHEMA = { type: "integer", minimum: 1, maximum: 250, default: 50 } as const;
/** The `Idempotency-Key` header as the emit route checks it. */
export const IDEMPOTENCY_KEY_SCHEMA = { type: "string", minLength: 1, maxLength: 255 } as const;

const limit: Parameter = { name: "limit", in: "query", description: "Items per page", schema: LIMIT_SCHEMA };
const cursor: Parameter = {
  name: "cursor",
  in: "query",
  description: "The `nextCursor` of the previous page",
  schema: { type: "string" },
};
const paging = [limit, cursor];

/** The README's examples (a test holds them equal). */
export const EXAMPLES = {
  createEndpoint: {
    url: "https://customer.example/webhooks",
    eventTypes: ["invoice.paid", "invoice.voided"],
    tenantId: "acme",
    description: "Acme production",
    headers: { "x-acme-account": "42" },
  },
  emitEvent: { type: "invoice.paid", tenantId: "acme", payload: { invoice: "in_123", amount: 4200 } },
};

/** Every route of functions/api/routes.ts, in its order (a unit test holds the two lists equal). */
export const OPERATIONS: Operation[] = [
  {
    method: "GET",
    path: "/v1/health",
    operationId: "getHealth",
    tag: "Service",
    summary: "Health check",
    public: true,
    success: { status: 200, description: "The API answers", schema: R.Health, example: { status: "ok" } },
  },
  {
    method: "POST",
    path: "/v1/endpoints",
    operationId: "createEndpoint",
    tag: "Endpoints",
    summary: "Register an endpoint",
    description:
      "`eventTypes` absent means every type; `tenantId` defaults to `default`; `enabled` to `true`. The answer carries the signing secret.",
    namesTenant: true,
    body: { schema: CreateEndpoint, example: EXAMPLES.createEndpoint },
    success: { status: 201, description: "The endpoint, with its secret", schema: R.CreatedEndpoint },
    errors: ["destination_not_allowed", "quota_exceeded"],
  },
  {
    method: "GET",
    path: "/v1/endpoints",
    operationId: "listEndpoints",
    tag: "Endpoints",
    summary: "List a tenant's endpoints",
    namesTenant: true,
    parameters: [TENANT_QUERY, ...paging],
    success: { status: 200, description: "A page of endpoints", schema: R.pageOf(R.Endpoint) },
  },
  {
    method: "GET",
    path: "/v1/endpoints/{id}",
    operationId: "getEndpoint",
    tag: "Endpoints",
    summary: "One endpoint (no secret)",
    success: { status: 200, description: "The endpoint", schema: R.Endpoint },
  },
  {
    method: "PATCH",
    path: "/v1/endpoints/{id}",
    operationId: "updateEndpoint",
    tag: "Endpoints",
    summary: "Change an endpoint",
    description: "`null` for `eventTypes` means every type; for `retrySchedule` and `rateLimitPerSecond`, the default.",
    body: { schema: UpdateEndpoint, example: { enabled: false } },
    success: { status: 200, description: "The endpoint as changed", schema: R.Endpoint },
    errors: ["destination_not_allowed", "concurrent_update"],
  },
  {
    method: "DELETE",
    path: "/v1/endpoints/{id}",
    operationId: "deleteEndpoint",
    tag: "Endpoints",
    summary: "Remove an endpoint",
    success: { status: 204, description: "Removed" },
  },
  {
    method: "GET",
    path: "/v1/endpoints/{id}/secret",
    operationId: "getEndpointSecret",
    tag: "Endpoints",
    summary: "The endpoint's signing secret",
    description: "The only place besides creation that shows it; `previous` lists when rotated-out secrets stop signing.",
    success: { status: 200, description: "The secret", schema: R.Secret },
  },
  {
    method: "POST",
    path: "/v1/endpoints/{id}/secret/rotate",
    operationId: "rotateEndpointSecret",
    tag: "Endpoints",
    summary: "Rotate the signing secret",
    description: "The old secret keeps signing for the grace period (default 86400 s, at most 7 days).",
    body: { schema: RotateSecret, optional: true, example: { gracePeriodSeconds: 3600 } },
    success: { status: 200, description: "The new secret", schema: R.Secret },
    errors: ["concurrent_update"],
  },
  {
    method: "POST",
    path: "/v1/endpoints/{id}/recover",
    operationId: "recoverEndpoint",
    tag: "Endpoints",
    summary: "Resend the failed deliveries of a window",
    description: "Resends every failed, exhausted or skipped delivery whose latest attempt is in [since, until).",
    body: { schema: RecoverEndpoint, example: { since: "2026-11-30T00:00:00Z" } },
    success: { status: 202, description: "A recovery to poll", schema: R.Recovery },
    errors: ["endpoint_disabled"],
  },
  {
    method: "GET",
    path: "/v1/endpoints/{id}/recoveries/{recoveryId}",
    operationId: "getRecovery",
    tag: "Endpoints",
    summary: "Where a recovery stands",
    success: { status: 200, description: "The recovery", schema: R.Recovery },
  },
  {
    method: "POST",
    path: "/v1/events/{id}/replay",
    operationId: "replayEvent",
    tag: "Events",
    summary: "Send an event again now",
    description:
      "A new manual attempt chain, to one endpoint (`endpointId`) or to every endpoint the event went to. The admin key names the event's tenant with `tenantId` (default `default`).",
    namesTenant: true,
    body: { schema: ReplayEvent, optional: true, example: {} },
    success: { status: 202, description: "The chains started, and the endpoints left out", schema: R.ReplayResult },
    errors: ["endpoint_disabled"],
  },
  {
    method: "GET",
    path: "/v1/endpoints/{id}/attempts",
    operationId: "listEndpointAttempts",
    tag: "Endpoints",
    summary: "Attempts to this endpoint, newest first",
    parameters: [{ name: "status", in: "query", description: "Only attempts of this status", schema: AttemptStatusFilter }, ...paging],
    success: { status: 200, description: "A page of attempts", schema: R.pageOf(R.Attempt) },
  },
  {
    method: "POST",
    path: "/v1/events",
    operationId: "emitEvent",
    tag: "Events",
    summary: "Emit one event",
    description:
      "`202` means the queue has accepted one message per matching endpoint and the event is recorded. An `Idempotency-Key` header or an `id` field makes the call idempotent: a repeat answers the first result with `idempotent-replayed: true`.",
    namesTenant: true,
    parameters: [
      {
        name: "idempotency-key",
        in: "header",
        description: "Makes the call idempotent for as long as the event is kept; scoped to the tenant",
        schema: IDEMPOTENCY_KEY_SCHEMA,
      },
    ],
    body: { schema: EmitEvent, example: EXAMPLES.emitEvent },
    success: {
      status: 202,
      description: "Accepted",
      schema: R.AcceptedEvent,
      headers: { "idempotent-replayed": "`true` when this answers a repeat of an earlier call" },
    },
    errors: ["invalid_request", "idempotency_conflict"],
  },
  {
    method: "POST",
    path: "/v1/events/batch",
    operationId: "emitEvents",
    tag: "Events",
    summary: "Emit up to 100 events",
    description:
      "One result per event, in order: `{status: 202, event}` or `{status, error}`. Items that hit a dependency failure say 503, and the response then carries `Retry-After`.",
    body: { schema: EmitBatch, example: { events: [EXAMPLES.emitEvent] } },
    success: {
      status: 202,
      description: "One result per event",
      schema: R.BatchResult,
      headers: { "retry-after": "Seconds to wait before repeating the items that answered 503" },
    },
  },
  {
    method: "GET",
    path: "/v1/events",
    operationId: "listEvents",
    tag: "Events",
    summary: "A tenant's events, newest first, without payloads",
    namesTenant: true,
    parameters: [
      TENANT_QUERY,
      { name: "type", in: "query", description: "Only events of this type", schema: EVENT_TYPE },
      {
        name: "before",
        in: "query",
        description: "Only events created before this RFC 3339 time",
        schema: { type: "string", format: "date-time" },
      },
      ...paging,
    ],
    success: { status: 200, description: "A page of events", schema: R.pageOf(R.AcceptedEvent) },
  },
  {
    method: "GET",
    path: "/v1/endpoints/{id}/stats",
    operationId: "getEndpointStats",
    tag: "Endpoints",
    summary: "Success rate and latency per hour over the last 24 hours",
    description: "Computed from the attempts already in the delivery log: no write per delivery. Reads at most the newest 5,000 attempts.",
    success: { status: 200, description: "The endpoint's last 24 hours", schema: R.EndpointStats },
  },
  {
    method: "GET",
    path: "/v1/events/{id}",
    operationId: "getEvent",
    tag: "Events",
    summary: "An event, its payload and where each delivery stands",
    namesTenant: true,
    parameters: [EVENT_TENANT_QUERY],
    success: { status: 200, description: "The event", schema: R.EventView },
  },
  {
    method: "GET",
    path: "/v1/events/{id}/attempts",
    operationId: "listEventAttempts",
    tag: "Events",
    summary: "Every attempt of the event, newest first",
    namesTenant: true,
    parameters: [EVENT_TENANT_QUERY, ...paging],
    success: { status: 200, description: "A page of attempts", schema: R.pageOf(R.Attempt) },
  },
  {
    method: "POST",
    path: "/v1/api-keys",
    operationId: "createApiKey",
    tag: "API keys",
    summary: "Create a tenant key (admin only)",
    adminOnly: true,
    body: { schema: CreateApiKey, example: { tenantId: "acme", name: "acme billing service" } },
    success: { status: 201, description: "The key, shown once", schema: R.CreatedApiKey },
  },
  {
    method: "GET",
    path: "/v1/api-keys",
    operationId: "listApiKeys",
    tag: "API keys",
    summary: "List tenant keys (admin only)",
    adminOnly: true,
    parameters: paging,
    success: { status: 200, description: "A page of keys (never the key itself)", schema: R.pageOf(R.ApiKey) },
  },
  {
    method: "DELETE",
    path: "/v1/api-keys/{id}",
    operationId: "deleteApiKey",
    tag: "API keys",
    summary: "Revoke a tenant key (admin only)",
    adminOnly: true,
    success: { status: 204, description: "Revoked" },
  },
  {
    method: "POST",
    path: "/v1/portal-sessions",
    operationId: "createPortalSession",
    tag: "Portal",
    summary: "Open a customer portal session for one tenant",
    description:
      "A signed token, good for `expiresIn` seconds (default 3600, at most 86400), that acts in `tenantId` on its endpoints (only `endpointIds` when given), their deliveries and the tenant's events; never on API keys, portal sessions or another tenant. Rotating the admin key revokes every session.",
    namesTenant: true,
    body: { schema: CreatePortalSession, example: { tenantId: "acme", expiresIn: 3600 } },
    success: { status: 201, description: "The session", schema: R.PortalSession },
    errors: ["not_found"],
  },
  {
    method: "GET",
    path: "/v1/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Service",
    summary: "This document",
    public: true,
    success: { status: 200, description: "The OpenAPI 3.1 document of this API", schema: v.looseObject({ openapi: v.string() }) },
  },
];
