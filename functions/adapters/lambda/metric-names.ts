/**
 * The names the functions' metrics are published under, apart from metrics.ts: the construct
 * (lib/) reads them for its alarms, dashboard and metric helpers, and must not import the writers
 * to get them (an installed construct package has the functions prebundled, not their dependencies).
 */
import type { LaneEvent } from "../../core/delivery/deps.ts";
import type { OrderedEvent } from "../../core/ordering/ordered-deps.ts";

export const METRICS_NAMESPACE = "Hookrelay";

/** Events whose deliveries ended because the queue refused their message for good (the dead-letter consumer counts them). */
export const UNSENDABLE_METRIC = "UnsendableEvents";

/** Seconds past its deliverAt of the most overdue held message the scheduler found (0 each run when none): its alarm reads it. */
export const SCHEDULE_OVERDUE_METRIC = "ScheduleOverdueSeconds";

/** The metric each lane event counts: messages the fast lane forwarded or handed over, endpoints that changed lanes. */
export const LANE_METRICS: Record<LaneEvent["kind"], string> = {
  forwarded: "LaneForwards",
  handed_over: "LaneHandovers",
  entered_slow: "SlowLaneEntries",
  left_slow: "SlowLaneExits",
};

/** The metric each ordered-line event counts: lines held (a head waits), heads given up, endpoints disabled as stuck. */
export const ORDERED_METRICS: Record<OrderedEvent["kind"], string> = {
  held: "OrderedHolds",
  given_up: "OrderedGivenUp",
  stuck: "OrderedStuck",
};
