import type { EventTypeRecord } from "../event-types/event-types.ts";
import { messageIdFor, webhookId } from "../kernel/ids.ts";
import type { AttemptRecord, Endpoint, EndpointView, EventRecord, RecoveryRecord, TenantRecord } from "../kernel/model.ts";
import type { Page } from "../kernel/ports.ts";
import { appIdOf, attemptIdOf, taskIdOf, uidOf } from "./svix-ids.ts";

/*
 * The core's records as Svix's SDKs read them (svix/svix-webhooks lib-openapi.json at
 * v2.0.0-9-g4fc0cfb8b; npm svix 1.99.1 and 2.5.0): every field those shapes require, times in
 * RFC 3339, statuses as Svix's integer enums. Nothing here reads a store.
 */

/** A page as Svix lists it. The iterator is the core's cursor; a page is never walked backwards here, so `prevIterator` is null. */
export function listOut<T, U>(page: Page<T>, map: (item: T) => U) {
  return { data: page.items.map(map), iterator: page.nextCursor ?? null, prevIterator: null, done: page.nextCursor === undefined };
}

/** ApplicationOut. */
export function appOut(tenant: TenantRecord) {
  return {
    id: appIdOf(tenant.id),
    uid: uidOf(tenant.id),
    name: tenant.name ?? tenant.id,
    metadata: tenant.metadata,
    throttleRate: null,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}

/** EndpointOut: `eventTypes` and its 1.x name `filterTypes` both shown. */
export function endpointOut(endpoint: Endpoint | EndpointView) {
  const types = endpoint.eventTypes ?? null;
  return {
    id: endpoint.id,
    uid: endpoint.uid ?? null,
    url: endpoint.url,
    description: endpoint.description ?? "",
    metadata: endpoint.metadata ?? {},
    disabled: !endpoint.enabled,
    eventTypes: types,
    filterTypes: types,
    channels: null,
    throttleRate: endpoint.rateLimitPerSecond ?? null,
    version: 1,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/** Event ids the dispatcher made (from an idempotency key, or new): Svix shows these messages without an `eventId`. */
const MADE_EVENT_ID = /^evt_[0-9a-f]{28}$/;

/** MessageOut; `withContent` false shows an empty payload, as Svix does. */
export function messageOut(event: EventRecord, withContent: boolean) {
  return {
    id: webhookId({ eventId: event.id, messageId: event.messageId }),
    eventId: MADE_EVENT_ID.test(event.id) ? null : event.id,
    eventType: event.type,
    // An expunged or expired payload shows as {}, as Svix shows one.
    payload: withContent && event.body && !event.expungedAt ? (JSON.parse(event.body) as unknown) : {},
    channels: null,
    tags: null,
    deliverAt: event.deliverAt ?? null,
    timestamp: event.createdAt,
  };
}

/** Svix's MessageStatus and its words: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled. */
const STATUS: Record<AttemptRecord["status"], [number, string]> = {
  succeeded: [0, "success"],
  failed: [2, "fail"],
  exhausted: [2, "fail"],
  // Not attempted (the endpoint was disabled or deleted, the queue refused the message): the delivery was called off.
  skipped: [4, "canceled"],
};

/** The Svix status (MessageStatus) an attempt shows. */
export function attemptStatus(attempt: Pick<AttemptRecord, "status">): number {
  return STATUS[attempt.status][0];
}

/** MessageAttemptOut. `msgId` is the event's message id, the `webhook-id` its deliveries carried. */
export function attemptOut(attempt: AttemptRecord) {
  const [status, statusText] = STATUS[attempt.status];
  return {
    id: attemptIdOf(attempt),
    msgId: messageIdFor(attempt.tenantId, attempt.eventId),
    endpointId: attempt.endpointId,
    url: attempt.url,
    response: attempt.responseBody ?? attempt.errorMessage ?? attempt.error ?? "",
    // No HTTP answer (a timeout, a refused connection, a skipped delivery) shows 0.
    responseStatusCode: attempt.statusCode ?? 0,
    responseDurationMs: Math.round(attempt.durationMs),
    status,
    statusText,
    triggerType: attempt.trigger === "manual" ? 1 : 0,
    timestamp: attempt.at,
  };
}

/** EventTypeOut: the catalog keeps one schema, shown as version "1". */
export function eventTypeOut(type: EventTypeRecord) {
  return {
    name: type.name,
    description: type.description,
    archived: type.archived,
    deprecated: false,
    schemas: type.schema === undefined ? null : { "1": type.schema },
    featureFlag: null,
    featureFlags: null,
    groupName: null,
    createdAt: type.createdAt,
    updatedAt: type.updatedAt,
  };
}

const TASK_STATUS: Record<RecoveryRecord["status"], string> = { running: "running", completed: "finished", failed: "failed" };

/** BackgroundTaskOut (and RecoverOut, the same without `data`) of a recovery. */
export function taskOut(recovery: Omit<RecoveryRecord, "expiresAt" | "cursor">) {
  return {
    id: taskIdOf(recovery.endpointId, recovery.id) as string,
    status: TASK_STATUS[recovery.status],
    task: "endpoint.recover",
    updatedAt: recovery.updatedAt,
    data: {
      endpointId: recovery.endpointId,
      since: recovery.since,
      until: recovery.until,
      resent: recovery.resent,
      scanned: recovery.scanned,
      ...(recovery.error !== undefined && { error: recovery.error }),
    },
  };
}
