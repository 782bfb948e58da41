import type { DeliveryMessage, Endpoint, Lane } from "../kernel/model.ts";
import { forwardedBody } from "../kernel/queue-message.ts";
import type { DeliveryDeps, LaneEvent, ReceivedMessage } from "./deps.ts";
import type { EndpointChange } from "./health.ts";
import { demotionsAfterMove, exitSuccessesNeeded } from "./lane-exit.ts";
import type { Attempted } from "./send.ts";

/*
 * Delivery lanes. A batch ends with its slowest POST, and a poller waits for whole batches, so one
 * unresponsive endpoint would hold every delivery that shares its batches for the full timeout.
 * Endpoints that are slow, or not yet known to be fast, are delivered from a queue and an event
 * source of their own (the slow lane); the fast lane forwards their messages there unsent and cuts
 * its own POSTs off at FAST_LANE_BUDGET_MS. A lane change is a routing decision, not an attempt:
 * it writes nothing to the delivery log and takes nothing from the retry schedule.
 */

/** The endpoint's lane; an endpoint stored before lanes existed has proved itself and is fast. */
export function laneOf(endpoint: Pick<Endpoint, "lane">): Lane {
  return endpoint.lane ?? "fast";
}

/** Whether a worker of `worker` lane forwards this endpoint's message to the slow lane instead of sending it. */
export function forwardsToSlowLane(worker: DeliveryDeps["lane"], endpoint: Endpoint): boolean {
  return worker === "fast" && laneOf(endpoint) !== "fast";
}

/** The POST's time limit in this worker's lane: the fast lane's budget, or undefined for the sender's full timeout. */
export function postBudgetMs(deps: Pick<DeliveryDeps, "lane" | "policy">): number | undefined {
  return deps.lane === "fast" ? deps.policy.lanes.fastBudgetMs : undefined;
}

/** Whether a fast-lane POST ran out of the fast lane's budget: it is handed to the slow lane unjudged. */
export function ranOutOfBudget(deps: Pick<DeliveryDeps, "lane">, sent: Attempted): boolean {
  return deps.lane === "fast" && sent.fields.error === "timeout";
}

/**
 * Sends the message to the slow lane's queue, to be delivered there at once. A copy whose delivery
 * has history (a redelivery, a resumed copy) says so, since the slow lane receives it afresh.
 */
export async function sendToSlowLane(
  deps: Pick<DeliveryDeps, "slowLane" | "onLaneMove">,
  received: ReceivedMessage,
  message: DeliveryMessage,
  kind: "forwarded" | "handed_over",
  hasHistory: boolean,
): Promise<void> {
  await deps.slowLane.later(forwardedBody(received.body, message, hasHistory), 0, message.tenantId);
  deps.onLaneMove?.({ kind, endpointId: message.endpointId, eventId: message.eventId });
}

/**
 * Moves an endpoint the caller saw in the fast lane (`seen`) to the slow lane as of `now`, recording
 * the move for its way back (lane-exit.ts); nothing if another worker moved it first.
 */
export async function moveOutOfFastLane(
  deps: Pick<DeliveryDeps, "policy" | "health" | "onLaneMove">,
  seen: Endpoint,
  now: Date,
): Promise<EndpointChange> {
  const since = now.toISOString();
  const demotions = demotionsAfterMove(deps.policy.lanes, seen, now);
  if (!(await deps.health.moveLane(seen.id, "fast", "slow", since, demotions))) return {};
  deps.onLaneMove?.({ kind: "entered_slow", endpointId: seen.id });
  return { lane: "slow", laneSince: since, laneFastSuccesses: 0, laneDemotions: demotions };
}

/** Whether an attempt may change its endpoint's lane: it was slow, or made in the slow lane. */
export function laneMayChange(deps: Pick<DeliveryDeps, "lane" | "policy">, endpoint: Endpoint, sent: Attempted): boolean {
  return deps.lane === "slow" || laneOf(endpoint) !== "fast" || isSlow(deps, sent);
}

function isSlow(deps: Pick<DeliveryDeps, "policy">, sent: Attempted): boolean {
  return sent.fields.error === "timeout" || sent.fields.durationMs > deps.policy.lanes.slowAfterMs;
}

/**
 * The lane transition an attempt calls for, applied with a conditional write. In the fast lane, a
 * POST cut off by the budget or answered slower than SLOW_LANE_AFTER_MS moves the endpoint to the
 * slow lane and records the move (lane-exit.ts). In the slow lane, a fast 2xx adds to the endpoint's
 * run of fast successes, and as many as its recorded moves call for (LANE_EXIT_SUCCESSES doubled per
 * move, capped) move it back; anything else ends the run (and a probation endpoint that was slow
 * becomes a slow one). The common case, a fast answer in the fast lane, writes nothing. A POST that
 * outlasted SLOW_LANE_AFTER_MS was acted on then already (lane-watch.ts); the batch's copy says so,
 * and its answer changes nothing more.
 */
export async function afterLaneAttempt(
  deps: Pick<DeliveryDeps, "lane" | "policy" | "health" | "clock" | "onLaneMove">,
  endpoint: Endpoint,
  sent: Attempted,
): Promise<EndpointChange> {
  const rule = deps.policy.lanes;
  const slow = isSlow(deps, sent);
  const lane = laneOf(endpoint);
  const now = deps.clock.now();
  const since = now.toISOString();
  const move = async (to: Lane, kind: LaneEvent["kind"]): Promise<EndpointChange> => {
    if (!(await deps.health.moveLane(endpoint.id, lane, to, since))) return {};
    deps.onLaneMove?.({ kind, endpointId: endpoint.id });
    return { lane: to, laneSince: since, laneFastSuccesses: 0 };
  };
  // Only a move out of the fast lane is recorded: a probation endpoint that was slow never cost the fast lane anything.
  if (lane === "fast") return slow && deps.lane === "fast" ? moveOutOfFastLane(deps, endpoint, now) : {};
  const seenSince = endpoint.laneSince ?? "";
  if (!slow && sent.outcome.ok) {
    const count = await deps.health.countFastSuccess(endpoint.id, seenSince);
    if (count >= exitSuccessesNeeded(rule, endpoint.laneDemotions ?? 0)) return move("fast", "left_slow");
    return count > 0 ? { laneFastSuccesses: count } : {};
  }
  if (slow && lane === "probation") return move("slow", "entered_slow");
  if ((endpoint.laneFastSuccesses ?? 0) > 0 && (await deps.health.resetFastSuccesses(endpoint.id, seenSince))) {
    return { laneFastSuccesses: 0 };
  }
  return {};
}
