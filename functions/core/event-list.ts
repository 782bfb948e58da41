import { eventSummary } from "./event-queries.ts";
import type { EventListFilter, EventStore } from "./ports.ts";

/** GET /v1/events: a tenant's events, newest first, without payloads; one index query per page. */
export async function listEvents(deps: { events: EventStore }, tenantId: string, filter: EventListFilter, limit: number, cursor?: string) {
  const page = await deps.events.listByTenant(tenantId, filter, limit, cursor);
  return { items: page.items.map(eventSummary), nextCursor: page.nextCursor };
}
