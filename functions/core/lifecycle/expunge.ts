import { noSuchEvent } from "../events/event-queries.ts";
import type { FeedExpunger } from "../feed/deps.ts";
import type { Clock } from "../kernel/clock.ts";
import type { EventStore } from "../kernel/ports.ts";

/*
 * Expunging an event's payload (DELETE /v1/events/{id}/payload; the Svix-compatible
 * DELETE /api/v1/app/{app}/msg/{msg}/content is the same call). The event keeps its id, type, times
 * and delivery log; its body becomes "null" in the event item and in every feed entry of it.
 *
 * What it cannot reach: a delivery message already in the queue carries its own copy of the body,
 * and is delivered as queued (first attempt and retries, until its chain ends, at most the queue's
 * retention). Reading the event back on every delivery to check would add a read per delivery.
 * Replays and recoveries read the event, so they never resend an expunged payload: a replay is
 * refused (409 event_expunged) and a recovery skips it. The delivery log holds no payload (only
 * the receiver's answer), so it is left as it was.
 */

export interface ExpungeDeps {
  events: Pick<EventStore, "get" | "expunge">;
  feed: FeedExpunger;
  clock: Clock;
}

/** What an expunge did. */
export interface Expunged {
  eventId: string;
  expungedAt: string;
  /** Feed entries whose payload was removed (polling endpoints' copies). */
  feedEntries: number;
}

/**
 * Removes the payload of the tenant's event from the event item and from the feeds of its endpoints;
 * repeating it is harmless (the first time stays). 404 when the tenant has no such event.
 */
export async function expungeEventPayload(deps: ExpungeDeps, tenantId: string, eventId: string): Promise<Expunged> {
  const event = await deps.events.get(tenantId, eventId);
  if (!event) throw noSuchEvent(tenantId, eventId);
  const at = event.expungedAt ?? deps.clock.now().toISOString();
  // Feeds first: if the call fails midway the event still says nothing was expunged, and a repeat does all of it.
  const counts = await Promise.all(event.endpointIds.map((endpointId) => deps.feed.expunge(endpointId, eventId)));
  if (!(await deps.events.expunge(tenantId, eventId, at))) throw noSuchEvent(tenantId, eventId);
  return { eventId, expungedAt: at, feedEntries: counts.reduce((sum, n) => sum + n, 0) };
}
