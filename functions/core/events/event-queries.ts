import { type EndpointScope, scopedAttempts, scopedEvent } from "../access/endpoint-scope.ts";
import { ApiError, invalidField } from "../kernel/errors.ts";
import { eventSummary } from "../kernel/event-summary.ts";
import type { AttemptRecord, AttemptStatus, DeliveryStatus, EventRecord } from "../kernel/model.ts";
import type { AttemptLog, EventStore, Page } from "../kernel/ports.ts";

export interface QueryDeps {
  events: Pick<EventStore, "get">;
  attempts: Pick<AttemptLog, "allOfEvent" | "byEndpoint">;
}

/** Where one delivery (event × endpoint) stands. */
export interface DeliveryView {
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode?: number;
  lastError?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
}

/**
 * GET /v1/events/{id}: the tenant's event, its payload and where each matched delivery stands; for a
 * limited scope only its deliveries to the scope's endpoints, and "not found" when it has none.
 */
export async function getEventView(deps: QueryDeps, tenantId: string, id: string, scope?: EndpointScope) {
  const { event, attempts } = await scopedRead(deps, tenantId, id, scope);
  return {
    ...eventSummary(event),
    payload: JSON.parse(event.body) as unknown,
    ...(event.expungedAt !== undefined && { expungedAt: event.expungedAt }),
    deliveries: deliveryViews(event, attempts),
  };
}

/**
 * The 404 for an event the caller cannot read. It names the tenant looked in (events are kept per
 * tenant: the admin key reads `default` unless `tenantId` names another), except to a portal
 * session, which is shown nothing of the tenant.
 */
export function noSuchEvent(tenantId: string, id: string, scope?: EndpointScope): ApiError {
  return new ApiError("not_found", scope ? `No event ${id}` : `No event ${id} in tenant ${tenantId} (name another with tenantId)`);
}

/** The event and its attempts as the scope shows them, or a 404 alike for a missing event and one outside the scope. */
async function scopedRead(deps: QueryDeps, tenantId: string, id: string, scope: EndpointScope) {
  const [stored, attempts] = await Promise.all([deps.events.get(tenantId, id), deps.attempts.allOfEvent(tenantId, id)]);
  const event = stored && scopedEvent(scope, stored);
  if (!event) throw noSuchEvent(tenantId, id, scope);
  return { event, attempts: scopedAttempts(scope, attempts) };
}

/**
 * The status of each matched endpoint's delivery, from its newest record across the scheduled chain
 * and any manual chain (replay, recovery); `attempts` counts the requests actually sent in all of them.
 */
export function deliveryViews(event: EventRecord, attempts: AttemptRecord[]): DeliveryView[] {
  return event.endpointIds.map((endpointId) => {
    const chain = attempts.filter((a) => a.endpointId === endpointId);
    const latest = latestRecord(chain);
    if (!latest) return { endpointId, status: "pending", attempts: 0 };
    const sent = chain.filter((a) => a.trigger !== "dead-letter" && a.status !== "skipped").sort((a, b) => a.at.localeCompare(b.at));
    const lastSent = sent.at(-1);
    return {
      endpointId,
      status: latest.status,
      attempts: sent.length,
      lastStatusCode: lastSent?.statusCode,
      lastError: latest.error,
      lastAttemptAt: lastSent?.at,
      nextAttemptAt: latest.status === "failed" ? latest.nextAttemptAt : undefined,
    };
  });
}

/** GET /v1/events/{id}/attempts: every attempt of the tenant's event (for a limited scope, those to its endpoints), newest first. */
export async function listEventAttempts(
  deps: QueryDeps,
  tenantId: string,
  id: string,
  limit: number,
  cursor?: string,
  scope?: EndpointScope,
): Promise<Page<AttemptRecord>> {
  const { attempts } = await scopedRead(deps, tenantId, id, scope);
  const sorted = attempts.sort(newestFirst);
  const after = cursor === undefined ? undefined : decodePosition(cursor);
  const start = after === undefined ? 0 : sorted.findIndex((a) => newestFirst(a, after) > 0);
  const items = start < 0 ? [] : sorted.slice(start, start + limit);
  const more = start >= 0 && start + limit < sorted.length;
  const tail = items.at(-1);
  return { items, nextCursor: more && tail ? encodePosition(tail) : undefined };
}

/** GET /v1/endpoints/{id}/attempts: attempts to one endpoint, newest first, optionally of one status. */
export async function listEndpointAttempts(
  deps: QueryDeps,
  endpointId: string,
  limit: number,
  cursor?: string,
  status?: AttemptStatus,
): Promise<Page<AttemptRecord>> {
  return deps.attempts.byEndpoint(endpointId, limit, cursor, status);
}

/**
 * The record that says where one delivery stands: the last of each attempt chain (by attempt number,
 * so the dead-letter consumer's record closes its chain), and of those the newest.
 */
export function latestRecord(records: AttemptRecord[]): AttemptRecord | undefined {
  const tails = new Map<string, AttemptRecord>();
  for (const a of records) {
    const tail = tails.get(a.chain ?? "");
    if (!tail || a.attempt > tail.attempt) tails.set(a.chain ?? "", a);
  }
  return [...tails.values()].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
}

/** Where an attempt sits in an event's list; the chain tells apart two chains' attempts of one number at one instant. */
type Position = Pick<AttemptRecord, "at" | "endpointId" | "attempt" | "chain">;

function newestFirst(a: Position, b: Position): number {
  return (
    b.at.localeCompare(a.at) ||
    a.endpointId.localeCompare(b.endpointId) ||
    b.attempt - a.attempt ||
    (a.chain ?? "").localeCompare(b.chain ?? "")
  );
}

function encodePosition(p: Position): string {
  return Buffer.from(JSON.stringify([p.at, p.endpointId, p.attempt, p.chain ?? ""])).toString("base64url");
}

function decodePosition(cursor: string): Position {
  try {
    // A cursor given out before the chain was part of it has three items: it reads as the scheduled chain.
    const [at, endpointId, attempt, chain = ""] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown[];
    if (typeof at === "string" && typeof endpointId === "string" && typeof attempt === "number" && typeof chain === "string") {
      return { at, endpointId, attempt, chain };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidField("cursor", "is not one this API gave out");
}
