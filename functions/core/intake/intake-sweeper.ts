import type { Clock } from "../kernel/clock.ts";
import type { DeliveryQueue, EventStore } from "../kernel/ports.ts";
import { sendRest } from "./intake.ts";

export interface SweeperDeps {
  events: EventStore;
  queue: DeliveryQueue;
  clock: Clock;
  /** How long a half-sent event is left to its caller's own retry before the sweeper finishes it. */
  graceSeconds: number;
}

/** What one run did: events finished, events left for the next run, and events whose remaining deliveries ended unsendable. */
export interface SweepResult {
  finished: string[];
  failed: string[];
  /** Also in `finished`: the queue refused some of their messages for good, so they are not tried again. */
  unsendable: string[];
}

/**
 * Finishes events whose intake failed midway and that nobody repeated: sends their unsent messages
 * and marks them sent. Runs on a schedule, so no event stays pending for ever. An event is tried again
 * on the next run only when the queue failed for now (throttled, unreachable); a message the queue
 * refuses for good (sendMessages classifies it) ends its delivery unsendable, and the event is done.
 */
export async function sweepUnsent(deps: SweeperDeps, limit = 100): Promise<SweepResult> {
  const before = new Date(deps.clock.now().getTime() - deps.graceSeconds * 1000).toISOString();
  const events = await deps.events.listUnsent(before, limit);
  const result: SweepResult = { finished: [], failed: [], unsendable: [] };
  for (const event of events) {
    try {
      const unsendable = await sendRest(deps, event);
      result.finished.push(event.id);
      if (unsendable.length > 0) result.unsendable.push(event.id);
    } catch {
      result.failed.push(event.id);
    }
  }
  return result;
}
