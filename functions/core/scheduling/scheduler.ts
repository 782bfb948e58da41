import { type EnqueueDeps, sendMessages } from "../intake/enqueue.ts";
import type { Clock } from "../kernel/clock.ts";
import { mapWithConcurrency } from "../kernel/concurrency.ts";
import type { EventStore } from "../kernel/ports.ts";
import { SCHEDULE_RECLAIM_SECONDS, type ScheduledItem, type ScheduleStore } from "./schedule.ts";

/** What the scheduler's run reads and writes. */
export interface SchedulerDeps extends EnqueueDeps {
  schedule: ScheduleStore;
  events: Pick<EventStore, "get">;
  clock: Clock;
  /** SCHEDULE_LEAD_SECONDS. */
  leadSeconds: number;
}

/** What one run did, by event id, and how late the most overdue message it found was. */
export interface SchedulerRun {
  moved: string[];
  /** Held messages whose event was never recorded (their intake failed before it): nothing to send. */
  dropped: string[];
  /** The queue failed for now: the claim lapses and a later run moves them (at-least-once). */
  failed: string[];
  /** Seconds past its deliverAt of the most overdue message found (0: none overdue); the alarm watches it. */
  overdueSeconds: number;
}

const PAGE = 200;
/** At most 5,000 messages a run (about 30 s of the function's 60); more due at once wait for the next minute's run. */
const MAX_PAGES = 25;

/**
 * Moves every held message due within SCHEDULE_LEAD_SECONDS to the delivery queue, hidden until its
 * time (sendMessages dates the delay from the event's deliverAt). Each message is claimed first, so
 * two runs, or a run and a cancel, never both act on it; the claim is ended only after the queue took
 * every message. A run that dies between the send and the end leaves the claim to lapse
 * (SCHEDULE_RECLAIM_SECONDS), and a later run sends again: at-least-once, and receivers dedupe by
 * webhook-id, which is the same on every copy.
 */
export async function moveDueMessages(deps: SchedulerDeps): Promise<SchedulerRun> {
  const run: SchedulerRun = { moved: [], dropped: [], failed: [], overdueSeconds: 0 };
  const start = deps.clock.now();
  const dueBy = new Date(start.getTime() + deps.leadSeconds * 1000).toISOString();
  const staleBefore = new Date(start.getTime() - SCHEDULE_RECLAIM_SECONDS * 1000).toISOString();
  let after: string | undefined;
  // Each page starts past the last one, so an index entry the table's index has not dropped yet is not read twice.
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const { items: due, next } = await deps.schedule.due(dueBy, PAGE, after);
    // Claims held by a live run are left to it.
    const mine = due.filter((item) => item.state === "waiting" || (item.claimedAt ?? "") < staleBefore);
    for (const item of due) {
      run.overdueSeconds = Math.max(run.overdueSeconds, Math.floor((start.getTime() - Date.parse(item.deliverAt)) / 1000));
    }
    await mapWithConcurrency(mine, 16, (item) => moveOne(deps, item, run));
    if (next === undefined) break;
    after = next;
  }
  return run;
}

async function moveOne(deps: SchedulerDeps, item: ScheduledItem, run: SchedulerRun): Promise<void> {
  const at = deps.clock.now().toISOString();
  try {
    if (!(await deps.schedule.claim(item, at))) return;
    const claimed: ScheduledItem = { ...item, state: "moving", claimedAt: at };
    const event = await deps.events.get(item.tenantId, item.eventId);
    if (!event) {
      if (await deps.schedule.end(claimed, "dropped", deps.clock.now().toISOString())) run.dropped.push(item.eventId);
      return;
    }
    const [sent] = await sendMessages(deps, [[event, item.endpointIds]]);
    if ((sent?.unsent ?? []).length > 0) {
      run.failed.push(item.eventId);
      return;
    }
    await deps.schedule.end(claimed, "sent", deps.clock.now().toISOString());
    run.moved.push(item.eventId);
  } catch {
    // DynamoDB or SQS failed for now: the claim, if taken, lapses and a later run tries again.
    run.failed.push(item.eventId);
  }
}
