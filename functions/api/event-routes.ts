import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { endpointScope } from "../core/access/endpoint-scope.ts";
import { confinedTenant } from "../core/access/principal.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { getEventView, listEndpointAttempts, listEventAttempts } from "../core/events/event-queries.ts";
import { acceptEvents, type IntakeResult } from "../core/intake/intake.ts";
import { ApiError, invalidField } from "../core/kernel/errors.ts";
import { expungeEventPayload } from "../core/lifecycle/expunge.ts";
import { AttemptStatusFilter, EmitBatch, EmitEvent, parse, parseLimit } from "../core/requests/validation.ts";
import { withSchedule } from "../core/scheduling/scheduled-messages.ts";
import { EVENT_TENANT_QUERY, EXAMPLES, IDEMPOTENCY_KEY_SCHEMA, paging } from "./openapi/operation.ts";
import { header, jsonBody, pathParam, queriedTenant, query } from "./request.ts";
import { errorBody, json, page, RETRY_AFTER_SECONDS } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * Events: emit one or a batch, read one, and the attempts of an event or of an endpoint.
 */

export const emitEventRoute: Route = {
  method: "POST",
  path: "/v1/events",
  doc: (R) => {
    DOC: return {
      operationId: "emitEvent",
      tag: "Events",
      summary: "Emit one event",
      description:
        "`202` means the queue has accepted one message per matching endpoint and the event is recorded. An `Idempotency-Key` header or an `id` field makes the call idempotent: a repeat answers the first result with `idempotent-replayed: true`. `deliverAt` holds the deliveries until that time (docs/scheduling.md): more than SCHEDULE_LEAD_SECONDS (180 s) ahead the message is held (listed by `GET /v1/scheduled`, cancellable), nearer it is queued hidden until then, a past time sends now; past SCHEDULE_HORIZON_HOURS it answers 422 naming `deliverAt`.",
      namesTenant: true,
      parameters: [
        {
          name: "idempotency-key",
          in: "header",
          description: "Makes the call idempotent for as long as the event is kept; scoped to the tenant",
          schema: IDEMPOTENCY_KEY_SCHEMA,
        },
      ],
      // Intake checks each event with this schema itself, so that a batch's items are checked one by one.
      body: { schema: EmitEvent, example: EXAMPLES.emitEvent },
      success: {
        status: 202,
        description: "Accepted",
        schema: R.AcceptedEvent,
        headers: { "idempotent-replayed": "`true` when this answers a repeat of an earlier call" },
      },
      errors: ["invalid_request", "idempotency_conflict", "schema_validation_failed", "event_type_archived", "too_many_scheduled"],
    };
  },
  handler: async (e, caller, deps) => {
    const [result] = await acceptEvents(deps, [jsonBody(e, deps.maxBodyBytes)], idempotencyKey(e), confinedTenant(caller));
    const outcome = result as IntakeResult;
    if (!outcome.ok) throw outcome.error;
    return json(202, outcome.event, outcome.replayed ? { "idempotent-replayed": "true" } : {});
  },
};

export const emitEventsRoute: Route = {
  method: "POST",
  path: "/v1/events/batch",
  doc: (R) => {
    DOC: return {
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
    };
  },
  handler: async (e, caller, deps) => {
    const { events } = parse(EmitBatch, jsonBody(e, deps.maxBodyBytes));
    const results = await acceptEvents(deps, events, undefined, confinedTenant(caller));
    const items = results.map((r) => (r.ok ? { status: 202, event: r.event } : { status: statusOf(r.error), ...errorBody(r.error) }));
    const busy = items.some((i) => i.status === 503);
    return json(202, { items }, busy ? { "retry-after": RETRY_AFTER_SECONDS } : {});
  },
};

export const getEventRoute: Route = {
  method: "GET",
  path: "/v1/events/{id}",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getEvent",
      tag: "Events",
      summary: "An event, its payload and where each delivery stands",
      namesTenant: true,
      parameters: [EVENT_TENANT_QUERY],
      success: { status: 200, description: "The event", schema: R.EventView },
    };
  },
  handler: async (e, caller, deps) =>
    json(
      200,
      await withSchedule(deps.scheduling, await getEventView(deps, queriedTenant(e, caller), pathParam(e, "id"), endpointScope(caller))),
    ),
};

export const expungeEventPayloadRoute: Route = {
  method: "DELETE",
  path: "/v1/events/{id}/payload",
  doc: (R) => {
    DOC: return {
      operationId: "expungeEventPayload",
      tag: "Events",
      summary: "Remove an event's payload from storage (not portal sessions)",
      description:
        "The event keeps its id, type, times and delivery log; its payload becomes null in the event and in the feed entries of polling endpoints. A delivery already in the queue carries its own copy and is still delivered; replays are refused with `event_expunged`, recoveries skip it. See docs/lifecycle.md.",
      namesTenant: true,
      parameters: [EVENT_TENANT_QUERY],
      success: { status: 200, description: "The payload is gone", schema: R.ExpungedPayload },
    };
  },
  handler: async (e, caller, deps) => json(200, await expungeEventPayload(deps, queriedTenant(e, caller), pathParam(e, "id"))),
};

export const listEventAttemptsRoute: Route = {
  method: "GET",
  path: "/v1/events/{id}/attempts",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "listEventAttempts",
      tag: "Events",
      summary: "Every attempt of the event, newest first",
      namesTenant: true,
      parameters: [EVENT_TENANT_QUERY, ...paging],
      success: { status: 200, description: "A page of attempts", schema: R.pageOf(R.Attempt) },
    };
  },
  handler: async (e, caller, deps) => {
    const [tenantId, limit, cursor] = [queriedTenant(e, caller), parseLimit(query(e, "limit")), query(e, "cursor")];
    return json(200, page(await listEventAttempts(deps, tenantId, pathParam(e, "id"), limit, cursor, endpointScope(caller))));
  },
};

export const listEndpointAttemptsRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}/attempts",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "listEndpointAttempts",
      tag: "Endpoints",
      summary: "Attempts to this endpoint, newest first",
      parameters: [{ name: "status", in: "query", description: "Only attempts of this status", schema: AttemptStatusFilter }, ...paging],
      success: { status: 200, description: "A page of attempts", schema: R.pageOf(R.Attempt) },
    };
  },
  handler: async (e, caller, deps) => {
    const endpoint = await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
    const status = query(e, "status");
    const limit = parseLimit(query(e, "limit"));
    const filter = status === undefined ? undefined : parse(AttemptStatusFilter, status, "status");
    return json(200, page(await listEndpointAttempts(deps, endpoint.id, limit, query(e, "cursor"), filter)));
  },
};

function idempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const key = header(event, "idempotency-key");
  if (key === undefined) return undefined;
  if (key.length < IDEMPOTENCY_KEY_SCHEMA.minLength || key.length > IDEMPOTENCY_KEY_SCHEMA.maxLength) {
    throw invalidField("idempotency-key", "must be 1 to 255 characters");
  }
  return key;
}

function statusOf(error: Error): number {
  return error instanceof ApiError ? error.status : 503;
}
