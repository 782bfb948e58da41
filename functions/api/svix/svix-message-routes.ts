import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { listEndpointAttempts, listEventAttempts } from "../../core/events/event-queries.ts";
import { replayEvent } from "../../core/events/replay.ts";
import { acceptEvents, type IntakeResult } from "../../core/intake/intake.ts";
import { expiresAt } from "../../core/kernel/clock.ts";
import { ApiError, invalidField, invalidFields } from "../../core/kernel/errors.ts";
import type { AttemptStatus, EventRecord } from "../../core/kernel/model.ts";
import { expungeEventPayload } from "../../core/lifecycle/expunge.ts";
import { parseLimit } from "../../core/requests/validation.ts";
import { MessageIn, type MessageInput } from "../../core/svix/svix-inputs.ts";
import { attemptOut, attemptStatus, listOut, messageOut } from "../../core/svix/svix-shapes.ts";
import type { ApiDeps } from "../api-deps.ts";
import { query } from "../request.ts";
import { empty, json } from "../response.ts";
import { ensureApp } from "./svix-app-routes.ts";
import { NotImplementedError } from "./svix-errors.ts";
import {
  appOf,
  endpointNamed,
  endpointOf,
  idempotent,
  messageEntry,
  messageOf,
  refuseFilters,
  svixBody,
  svixIdempotencyKey,
  withContent,
} from "./svix-request.ts";
import type { SvixRoute } from "./svix-route.ts";

/*
 * Messages are hookrelay events, accepted by the same intake as POST /v1/events (payload checks,
 * catalog schemas, limits, endpoint matching); attempts are the delivery log's records.
 */

/** Svix's field names for the core's: a refusal names what the caller sent. */
const FIELD_NAMES: Record<string, string> = { type: "eventType", id: "eventId" };

function renamed(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.details) return error;
  const details = error.details.map((d) => ({ ...d, path: FIELD_NAMES[d.path] ?? d.path }));
  return new ApiError(error.code, details.map((d) => `${d.path} ${d.message}`).join("; "), details);
}

export const createMessageRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app/{app_id}/msg",
  operationId: "v1.message.create",
  summary: "Send a message: `eventId` names it (a repeat is answered as the first), `idempotency-key` dedupes the request",
  body: "MessageIn",
  success: { status: 202, schema: "MessageOut" },
  handler: async (e, caller, deps) => {
    const input = svixBody(e, deps, MessageIn);
    refuseShorterRetention(input, deps.logRetentionDays);
    const app = input.application
      ? (await ensureApp(deps, caller, { ...input.application, uid: input.application.uid ?? e.pathParameters?.app_id })).record
      : await appOf(deps, caller, e);
    const event = {
      type: input.eventType,
      payload: input.payload,
      ...(input.eventId != null && { id: input.eventId }),
      // Held until then by hookrelay's scheduled delivery (docs/scheduling.md), as deliverAt on POST /v1/events.
      ...(input.deliverAt != null && { deliverAt: input.deliverAt }),
    };
    const [result] = await acceptEvents(deps, [event], svixIdempotencyKey(e), app.id);
    const outcome = result as IntakeResult;
    if (!outcome.ok) throw renamed(outcome.error);
    const { id, messageId, type, createdAt } = outcome.event;
    // The message id is a digest of the event id: remembered so that GET …/msg/{msg_…} finds the event.
    const now = deps.clock.now();
    await deps.svixMemo.remember(app.id, messageEntry(messageId), id, expiresAt(now, deps.logRetentionDays));
    const { deliverAt } = outcome.event;
    const record = { id, messageId, type, createdAt, deliverAt, body: JSON.stringify(input.payload) } as EventRecord;
    return json(202, messageOut(record, withContent(e)), outcome.replayed ? { "idempotent-replayed": "true" } : {});
  },
};

/**
 * A message asking its payload be kept less time than LOG_RETENTION_DAYS is refused: kept longer
 * than asked, it would outlive what its sender promised its customers.
 */
function refuseShorterRetention(input: MessageInput, days: number): void {
  const asked = input.payloadRetentionHours ?? (input.payloadRetentionPeriod == null ? undefined : input.payloadRetentionPeriod * 24);
  if (asked !== undefined && asked < days * 24) {
    const path = input.payloadRetentionHours != null ? "payloadRetentionHours" : "payloadRetentionPeriod";
    throw invalidFields([{ path, message: `asks for less than this deployment keeps payloads (LOG_RETENTION_DAYS, ${days} days)` }]);
  }
}

/** `event_types` as the SDKs send it: one name, or several joined by commas (repeated query parameters arrive joined). */
function eventTypes(e: APIGatewayProxyEventV2): Set<string> | undefined {
  const raw = query(e, "event_types");
  return raw === undefined ? undefined : new Set(raw.split(",").filter(Boolean));
}

/** An RFC 3339 time from the query, as an ISO string. */
function timeQuery(e: APIGatewayProxyEventV2, name: string): string | undefined {
  const raw = query(e, name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalidField(name, "must be an RFC 3339 time");
  return new Date(ms).toISOString();
}

export const listMessagesRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/msg",
  operationId: "v1.message.list",
  summary: "An application's messages, newest first (iterator, limit, before, after, event_types, with_content)",
  success: { status: 200, schema: "ListResponseMessageOut" },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    refuseFilters(e, ["channel", "tag"]);
    const [types, before, after] = [eventTypes(e), timeQuery(e, "before"), timeQuery(e, "after")];
    const only = types?.size === 1 ? [...types][0] : undefined;
    const page = await deps.events.listByTenant(
      app.id,
      { ...(only && { type: only }), ...(before && { before }) },
      parseLimit(query(e, "limit")),
      query(e, "iterator"),
    );
    // Newest first: the first event at or before `after` ends the list.
    const fresh = after === undefined ? page.items : page.items.filter((m) => m.createdAt > after);
    const ended = fresh.length < page.items.length;
    const items = fresh.filter((m) => types === undefined || types.has(m.type));
    const content = withContent(e);
    return json(
      200,
      listOut({ items, ...(!ended && page.nextCursor !== undefined && { nextCursor: page.nextCursor }) }, (m) => messageOut(m, content)),
    );
  },
};

export const getMessageRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/msg/{msg_id}",
  operationId: "v1.message.get",
  summary: "One message, by its msg_ id or its eventId",
  success: { status: 200, schema: "MessageOut" },
  handler: async (e, caller, deps) => json(200, messageOut(await messageOf(deps, (await appOf(deps, caller, e)).id, e), withContent(e))),
};

export const expungeContentRoute: SvixRoute = {
  method: "DELETE",
  path: "/api/v1/app/{app_id}/msg/{msg_id}/content",
  operationId: "v1.message.expunge-content",
  summary: "Delete a message's payload: hookrelay's payload expunge (DELETE /v1/events/{id}/payload), from the event and its feed entries",
  success: { status: 204 },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const event = await messageOf(deps, app.id, e);
    await expungeEventPayload(deps, app.id, event.id);
    return empty(204);
  },
};

export const expungeAllRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app/{app_id}/msg/expunge-all-contents",
  operationId: "v1.message.expunge-all-contents",
  summary: "Delete every payload of an application: needs payload expunge (501 until it is wired)",
  success: { status: 202, schema: "ExpungeAllContentsOut" },
  gap: "payload expunge for a whole tenant",
  handler: async (e, caller, deps) => {
    await appOf(deps, caller, e);
    throw new NotImplementedError(
      "Expunging an application's contents needs hookrelay's payload expunge, which this deployment does not have yet",
    );
  },
};

/** Filters of Svix's attempt lists this face does not apply. */
const ATTEMPT_FILTERS = ["channel", "tag", "status_code_class", "before", "after", "event_types"] as const;

/** Svix's `status` filter (MessageStatus) as the delivery log's statuses: 1 (pending) and 3 (sending) are never recorded. */
function statusFilter(e: APIGatewayProxyEventV2): number | undefined {
  const raw = query(e, "status");
  if (raw === undefined) return undefined;
  if (!/^[0-4]$/.test(raw)) throw invalidField("status", "must be 0 (success), 1 (pending), 2 (fail), 3 (sending) or 4 (canceled)");
  return Number(raw);
}

export const attemptsByMessageRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/attempt/msg/{msg_id}",
  operationId: "v1.message-attempt.list-by-msg",
  summary: "A message's attempts, newest first (status and endpoint_id narrow a page, which may then come back short)",
  success: { status: 200, schema: "ListResponseMessageAttemptOut" },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const event = await messageOf(deps, app.id, e);
    refuseFilters(e, ATTEMPT_FILTERS);
    const status = statusFilter(e);
    // Its id or its uid, as in a path; one the app does not have is a 404, never an empty page.
    const named = query(e, "endpoint_id");
    const endpointId = named === undefined ? undefined : (await endpointNamed(deps, app.id, named)).id;
    const page = await listEventAttempts(deps, app.id, event.id, parseLimit(query(e, "limit")), query(e, "iterator"));
    // A delivery to an endpoint without a URL (a polling endpoint's feed) is not an attempt Svix could show.
    const items = page.items.filter(
      (a) =>
        a.url !== "" && (status === undefined || attemptStatus(a) === status) && (endpointId === undefined || a.endpointId === endpointId),
    );
    return json(200, listOut({ ...page, items }, attemptOut));
  },
};

/** The log's status for a Svix status: success and canceled have one; fail is failed (exhausted attempts are filtered in after the read). */
const LOG_STATUS: Partial<Record<number, AttemptStatus>> = { 0: "succeeded", 4: "skipped" };

export const attemptsByEndpointRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}",
  operationId: "v1.message-attempt.list-by-endpoint",
  summary: "An endpoint's attempts, newest first",
  success: { status: 200, schema: "ListResponseMessageAttemptOut" },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const endpoint = await endpointOf(deps, app.id, e);
    refuseFilters(e, ATTEMPT_FILTERS);
    const status = statusFilter(e);
    const page = await listEndpointAttempts(
      deps,
      endpoint.id,
      parseLimit(query(e, "limit")),
      query(e, "iterator"),
      status === undefined ? undefined : LOG_STATUS[status],
    );
    const items = page.items.filter((a) => status === undefined || attemptStatus(a) === status);
    return json(200, listOut({ ...page, items }, attemptOut));
  },
};

export const resendRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend",
  operationId: "v1.message-attempt.resend",
  summary: "Send a message to an endpoint again, now (a manual attempt)",
  success: { status: 202, schema: "EmptyResponse" },
  handler: idempotent(async (e, caller, deps: ApiDeps) => {
    const app = await appOf(deps, caller, e);
    const [event, endpoint] = await Promise.all([messageOf(deps, app.id, e), endpointOf(deps, app.id, e)]);
    const result = await replayEvent(deps, app.id, event.id, endpoint.id);
    if (result.skipped.length > 0)
      throw invalidFields([{ path: "endpoint_id", message: `cannot be sent to: ${result.skipped[0]?.reason}` }], "endpoint_disabled");
    return json(202, {});
  }),
};
