import type { Clock } from "./clock.ts";
import { sendRest } from "./intake.ts";
import type { DeliveryQueue, EventStore } from "./ports.ts";

export interface SweeperDeps {
  events: EventStore;
  queue: DeliveryQueue;
  clock: Clock;
  /** How long a half-sent event is left to its caller's own retry before the sweeper finishes it. */
  graceSeconds: number;
}

/**
 * Finishes events whose intake failed midway and that nobody repeated: sends their unsent
 * messages and marks them sent. Runs on a schedule, so no event stays pending for ever.
 */
export async function sweepUnsent(deps: SweeperDeps, limit = 100): Promise<{ finished: string[]; failed: string[] }> {
  const before = new Date(deps.clock.now().getTime() - deps.graceSeconds * 1000).toISOString();
  const events = await deps.events.listUnsent(before, limit);
  const finished: string[] = [];
  const failed: string[] = [];
  for (const event of events) {
    try {
      await sendRest(deps, event);
      finished.push(event.id);
    } catch {
      failed.push(event.id);
    }
  }
  return { finished, failed };
}
