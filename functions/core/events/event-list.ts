import { type EndpointScope, scopedEvent } from "../access/endpoint-scope.ts";
import { eventSummary } from "../kernel/event-summary.ts";
import type { EventListFilter, EventStore } from "../kernel/ports.ts";

/**
 * GET /v1/events: a tenant's events, newest first, without payloads, read from the tenant's index. A
 * limited scope lists only events with a delivery to one of its endpoints, each counting only those:
 * the store filters the index as it reads it, so a page may come back short but never out of order.
 */
export async function listEvents(
  deps: { events: EventStore },
  tenantId: string,
  filter: EventListFilter,
  limit: number,
  cursor?: string,
  scope?: EndpointScope,
) {
  const page = await deps.events.listByTenant(tenantId, { ...filter, ...(scope && { endpointIds: scope }) }, limit, cursor);
  const items = page.items.flatMap((event) => scopedEvent(scope, event) ?? []);
  return { items: items.map(eventSummary), nextCursor: page.nextCursor };
}
