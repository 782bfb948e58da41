import { type EndpointScope, inScope, scopedEvent } from "../access/endpoint-scope.ts";
import type { Clock } from "../kernel/clock.ts";
import { ApiError, DependencyError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import type { AttemptRecord, DeliveryMessage, Endpoint } from "../kernel/model.ts";
import type { AttemptLog, DeliveryQueue, EndpointStore, EventStore } from "../kernel/ports.ts";
import { deliveryMessage } from "../kernel/queue-message.ts";
import type { ScheduleStore } from "../scheduling/schedule.ts";
import { noSuchEvent } from "./event-queries.ts";

export interface ReplayDeps {
  events: Pick<EventStore, "get" | "addEndpoint">;
  endpoints: Pick<EndpointStore, "get">;
  attempts: Pick<AttemptLog, "allOfEvent">;
  queue: DeliveryQueue;
  clock: Clock;
  scheduling: { store: Pick<ScheduleStore, "get"> };
}

/** What a replay started: one manual chain per endpoint, and the endpoints left out with why. */
export interface ReplayResult {
  eventId: string;
  chains: { endpointId: string; chain: string }[];
  /** `unsendable`: the queue refuses the event's message for good (see sendMessages), so no replay can send it. */
  skipped: { endpointId: string; reason: "endpoint_disabled" | "endpoint_deleted" | "unsendable" }[];
}

/**
 * POST /v1/events/{id}/replay: sends the tenant's event again now, as a new manual attempt chain, to one
 * endpoint it was sent to (or that is subscribed to its type), or to every endpoint it was sent to.
 * The chains are logged with trigger "manual" and numbered apart from the scheduled chain. A limited
 * scope replays only events it sees, and only to one of its endpoints, named.
 */
export async function replayEvent(
  deps: ReplayDeps,
  tenantId: string,
  eventId: string,
  endpointId: string | undefined,
  scope?: EndpointScope,
): Promise<ReplayResult> {
  if (scope && (endpointId === undefined || !inScope(scope, endpointId))) {
    throw new ApiError("forbidden", "This portal session replays only to one of its endpoints: name it as endpointId");
  }
  const event = await deps.events.get(tenantId, eventId);
  // An event with no delivery to the scope's endpoints is "not found", as a missing one.
  if (!event || !scopedEvent(scope, event)) throw noSuchEvent(tenantId, eventId, scope);
  if (event.expungedAt !== undefined)
    throw new ApiError("event_expunged", `Event ${eventId}'s payload was expunged: there is nothing to replay`);
  await refuseHeld(deps, tenantId, eventId, event.deliverAt);
  const targets = endpointId === undefined ? event.endpointIds : [endpointId];
  const found = await Promise.all(targets.map((id) => deps.endpoints.get(id)));
  if (endpointId !== undefined) {
    const endpoint = found[0];
    const eligible =
      endpoint && endpoint.tenantId === event.tenantId && (event.endpointIds.includes(endpoint.id) || subscribed(endpoint, event.type));
    if (!eligible) throw new ApiError("not_found", `No endpoint ${endpointId} for event ${eventId}`);
    if (!endpoint.enabled) throw new ApiError("endpoint_disabled", `Endpoint ${endpointId} is disabled: enable it before replaying`);
  }
  // An endpoint subscribed since the event was matched becomes one of its deliveries: the event
  // names it before the message is sent, so the event's view and a limited session's list show it.
  if (endpointId !== undefined && !event.endpointIds.includes(endpointId)) await deps.events.addEndpoint(tenantId, eventId, endpointId);
  const history = await deps.attempts.allOfEvent(tenantId, eventId);
  const result: ReplayResult = { eventId, chains: [], skipped: [] };
  const messages: DeliveryMessage[] = [];
  const now = deps.clock.now().getTime();
  for (const [i, endpoint] of found.entries()) {
    const id = targets[i] as string;
    if (!endpoint || endpoint.tenantId !== event.tenantId) {
      result.skipped.push({ endpointId: id, reason: "endpoint_deleted" });
    } else if (!endpoint.enabled) {
      result.skipped.push({ endpointId: id, reason: "endpoint_disabled" });
    } else {
      const chain = newId("m", now).replace("_", "");
      messages.push(deliveryMessage(event, id, { chain, recovers: hadFailed(history, id) }));
      result.chains.push({ endpointId: id, chain });
    }
  }
  const unsent = messages.length > 0 ? await deps.queue.send(messages) : [];
  if (unsent.some((u) => !u.permanent)) throw new DependencyError("sqs", "SQS did not accept every replayed delivery; repeat the call");
  for (const { index } of unsent) {
    const endpointId = (messages[index] as DeliveryMessage).endpointId;
    result.chains = result.chains.filter((c) => c.endpointId !== endpointId);
    result.skipped.push({ endpointId, reason: "unsendable" });
  }
  return result;
}

function subscribed(endpoint: Endpoint, type: string): boolean {
  return endpoint.eventTypes === undefined || endpoint.eventTypes.includes(type);
}

/** True when the delivery's latest record is a failure: its success will be announced as recovered. */
function hadFailed(history: AttemptRecord[], endpointId: string): boolean {
  const latest = history
    .filter((a) => a.endpointId === endpointId)
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);
  return latest !== undefined && latest.status !== "succeeded";
}

/**
 * An event still held for its `deliverAt` has not been sent: a replay would send it now and the hold
 * again at its time, so it is refused until the hold is cancelled (then a replay sends it now) or sent.
 */
async function refuseHeld(deps: Pick<ReplayDeps, "scheduling" | "clock">, tenantId: string, eventId: string, deliverAt?: string) {
  if (deliverAt === undefined || Date.parse(deliverAt) <= deps.clock.now().getTime()) return;
  const held = await deps.scheduling.store.get(tenantId, eventId);
  if (held?.state === "waiting")
    throw new ApiError(
      "event_scheduled",
      `Event ${eventId} is held until ${deliverAt} and not sent yet: cancel it (DELETE /v1/scheduled/${eventId}) to replay it now, or wait`,
    );
}
