import type { Endpoint } from "../kernel/model.ts";
import type { DeliveryDeps, SlowWatch } from "./deps.ts";
import type { EndpointChange } from "./health.ts";
import { laneOf, moveOutOfFastLane } from "./lanes.ts";

/*
 * A POST still unanswered at SLOW_LANE_AFTER_MS is slow, whatever it answers later, and the lanes
 * act on it there and then rather than at the answer. Acting at the answer, a hang of a few seconds
 * left the endpoint in the fast lane until the fast lane's budget cut it off, so that every other
 * request of the endpoint sent meanwhile could hang a batch too; and in the slow lane it let the
 * fast answers to the requests sent after the hang (by this poller and others) make up a whole run
 * while the hang was still open, so a receiver that hung one request in six came back each cycle.
 */

/**
 * The watch a POST carries. In the fast lane, the slow POST moves its endpoint out at once (the POST
 * itself runs on to the budget). In the slow or probation lane, it ends the run of fast answers at
 * once; and if the endpoint has left for the fast lane since the batch read it, that return was
 * made while this POST hung, so it goes back as after any move out (recorded: the next way back is
 * twice as long). `note` applies a change to the batch's copy of the endpoint; `noted` settles once
 * it is written. The slow lane writes once per slow POST, whatever the batch's copy of the count
 * says (other pollers count too), twice when the endpoint left meanwhile; the fast lane's move is
 * the one the answer would have made.
 */
export function slowPostWatch(
  deps: Pick<DeliveryDeps, "lane" | "policy" | "health" | "clock" | "onLaneMove">,
  endpoint: Endpoint,
  note: (step: (now: Endpoint) => Promise<EndpointChange>) => Promise<void>,
): { watch: SlowWatch | undefined; noted: () => Promise<void> } {
  const inFast = laneOf(endpoint) === "fast";
  // A slow-lane worker delivering an endpoint that is back in the fast lane acts on nothing, as at the answer.
  if (deps.lane === "slow" && inFast) return { watch: undefined, noted: async () => undefined };
  const slowNow = async (seen: Endpoint): Promise<EndpointChange> => {
    const now = deps.clock.now();
    if (deps.lane === "fast") return laneOf(seen) === "fast" ? moveOutOfFastLane(deps, seen, now) : {};
    if (laneOf(seen) === "fast") return {};
    if (await deps.health.resetFastSuccesses(seen.id, seen.laneSince ?? "")) return { laneFastSuccesses: 0 };
    // It left the lane the batch saw it in; if for the fast lane, that return is undone.
    return moveOutOfFastLane(deps, { ...seen, lane: "fast", laneSince: now.toISOString() }, now);
  };
  let noting: Promise<void> | undefined;
  return {
    watch: {
      afterMs: deps.policy.lanes.slowAfterMs,
      onSlow: () => {
        noting = note(slowNow);
      },
    },
    noted: async () => noting,
  };
}
