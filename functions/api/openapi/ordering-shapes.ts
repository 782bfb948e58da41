import * as v from "valibot";
import { ORDERED_STUCK_AFTER_SECONDS } from "../../core/ordering/line-state.ts";
import { ID, nullable, TIMESTAMP } from "./shape-parts.ts";

/*
 * The answer shape of an ordered endpoint's line (docs/ordering.md); response-schemas.ts re-exports it.
 */

const LineHead = v.strictObject({
  eventId: v.pipe(v.string(), v.description("The event whose delivery is the head: every later delivery waits behind it")),
  chain: v.pipe(v.optional(v.string()), v.description("The manual chain (replay, recovery) the head is on; absent on its first delivery")),
  blockedSince: v.pipe(TIMESTAMP, v.description("Its chain's first attempt: since then the line has waited on it")),
  attempts: v.pipe(v.number(), v.integer(), v.minValue(1)),
  lastAttemptAt: TIMESTAMP,
  nextAttemptAt: v.pipe(v.optional(TIMESTAMP), v.description("When its next attempt is due (a circuit or rate limit may hold it longer)")),
  lastStatusCode: v.optional(v.pipe(v.number(), v.integer())),
  lastError: v.optional(v.string()),
});

export const OrderedLine = v.strictObject({
  endpointId: ID,
  ordering: v.picklist(["none", "fifo"]),
  state: v.pipe(
    v.picklist(["unordered", "disabled", "blocked", "clear"]),
    v.description(
      "unordered: the endpoint has no line; disabled: its line drains, each delivery recorded skipped; blocked: the head waits for its retry and holds back the rest; clear: the last delivery ended and nothing known holds the line",
    ),
  ),
  stuck: v.pipe(
    v.boolean(),
    v.description(`Blocked for ${ORDERED_STUCK_AFTER_SECONDS} s or more (the StuckOrderedEndpoint alarm's threshold)`),
  ),
  head: v.pipe(
    nullable(LineHead),
    v.description(
      "The blocked head; null unless blocked. How many deliveries wait behind it is not told: SQS counts a queue's messages, not one group's",
    ),
  ),
});
