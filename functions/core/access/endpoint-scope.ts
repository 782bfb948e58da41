import type { AttemptRecord, EventRecord } from "../kernel/model.ts";
import type { Principal } from "./principal.ts";

/**
 * What part of its tenant a caller sees: every endpoint (undefined), or only the endpoints a portal
 * session was opened for. One rule for every route: a limited caller sees an event only when the
 * event has a delivery (in any status, pending included) to one of its endpoints, and of that event
 * only those deliveries and their attempts. An event's deliveries are the endpoints it names
 * (`endpointIds`): intake's matches, and every endpoint a replay sent it to since.
 */
export type EndpointScope = readonly string[] | undefined;

/** The endpoints a caller is limited to, or undefined for every endpoint of its tenant. */
export function endpointScope(principal: Principal): EndpointScope {
  return principal.kind === "portal" ? principal.endpointIds : undefined;
}

/** True when the scope takes in this endpoint. */
export function inScope(scope: EndpointScope, endpointId: string): boolean {
  return scope === undefined || scope.includes(endpointId);
}

/** The event as the scope shows it (only its deliveries to the scope's endpoints), or undefined when it has none. */
export function scopedEvent(scope: EndpointScope, event: EventRecord): EventRecord | undefined {
  if (scope === undefined) return event;
  const endpointIds = event.endpointIds.filter((id) => scope.includes(id));
  return endpointIds.length > 0 ? { ...event, endpointIds } : undefined;
}

/** The attempts the scope shows: those to its endpoints. */
export function scopedAttempts(scope: EndpointScope, attempts: AttemptRecord[]): AttemptRecord[] {
  return scope === undefined ? attempts : attempts.filter((a) => scope.includes(a.endpointId));
}
