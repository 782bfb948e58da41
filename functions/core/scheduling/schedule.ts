import type { Page } from "../kernel/ports.ts";

/*
 * Scheduled delivery: an event with a `deliverAt` more than SCHEDULE_LEAD_SECONDS (180) ahead is held as
 * one item in the table until the scheduler moves it to the delivery queue, at most that long before
 * its time, with SQS's DelaySeconds covering the rest. Nearer times go to the queue at intake with
 * the delay; a past time is sent now. docs/scheduling.md gives the design, precision and cost.
 */

/** How often the scheduler runs (its EventBridge rule; the local stack's timer). */
export const SCHEDULE_SWEEP_SECONDS = 60;
/** A move claimed this long ago and not finished is taken again: its run crashed or timed out (the function's timeout is 60 s). */
export const SCHEDULE_RECLAIM_SECONDS = 90;

/** Where a held message stands: waiting, being moved, or ended (sent to the queue, cancelled, dropped because its event was never recorded). */
export type ScheduleState = "waiting" | "moving" | "sent" | "cancelled" | "dropped";

/** One held message: which tenant's event, when, and to which endpoints (matched at intake). */
export interface ScheduledItem {
  tenantId: string;
  eventId: string;
  /** The event's type, shown in the tenant's list. */
  type: string;
  deliverAt: string;
  endpointIds: string[];
  createdAt: string;
  state: ScheduleState;
  /** When the running move claimed it (state "moving"). */
  claimedAt?: string;
  /** When it was sent, cancelled or dropped. */
  endedAt?: string;
  /** Unix seconds: the table's TTL removes the item after the event's own retention. */
  expiresAt: number;
}

/** What `hold` did: held it, found it held already (a repeat of the call), or found the tenant at its cap. */
export type HoldResult = "held" | "exists" | "full";

/** The held messages: a per-tenant list, a due-time index the scheduler reads, and a per-tenant count. */
export interface ScheduleStore {
  /**
   * Holds the message unless its tenant holds `max` waiting ones already (exact under concurrent
   * holds); "exists" when it is held (or ended) already, except a dropped one, which is held again.
   */
  hold(item: ScheduledItem, max: number): Promise<HoldResult>;
  get(tenantId: string, eventId: string): Promise<ScheduledItem | undefined>;
  /** The tenant's waiting and moving messages, soonest first. */
  listByTenant(tenantId: string, limit: number, cursor?: string): Promise<Page<ScheduledItem>>;
  /**
   * Waiting or moving messages due at `dueBy` or earlier, soonest first, at most `limit` (across every
   * tenant), after the position `after` (a page's `next`) when given: each page moves past the last.
   */
  due(dueBy: string, limit: number, after?: string): Promise<{ items: ScheduledItem[]; next?: string }>;
  /** Marks a waiting or moving message moving as of `at`, if it is still as read (state and claim): false when another run or a cancel came first. */
  claim(item: ScheduledItem, at: string): Promise<boolean>;
  /**
   * Ends the message (`sent` or `dropped` from the claim `item` holds, `cancelled` from waiting), takes it
   * off the due index and the tenant's list, and gives its place back; false when it is no longer as read.
   */
  end(item: ScheduledItem, state: "sent" | "cancelled" | "dropped", at: string): Promise<boolean>;
}

/** How intake treats a `deliverAt`: send now, send now with a delay (and `notBefore`), or hold. */
export type Timing = { kind: "now" } | { kind: "delayed"; delaySeconds: number } | { kind: "held" };

/** The timing of a message due at `deliverAtMs`, seen at `nowMs`, with the scheduler's lead. */
export function timingOf(deliverAtMs: number, nowMs: number, leadSeconds: number): Timing {
  if (deliverAtMs <= nowMs) return { kind: "now" };
  if (deliverAtMs - nowMs > leadSeconds * 1000) return { kind: "held" };
  return { kind: "delayed", delaySeconds: delaySecondsUntil(deliverAtMs, nowMs) };
}

/** SQS's DelaySeconds for a message due at `deliverAtMs`: rounded up, so it never arrives early; 0 to 900. */
export function delaySecondsUntil(deliverAtMs: number, nowMs: number): number {
  return Math.min(900, Math.max(0, Math.ceil((deliverAtMs - nowMs) / 1000)));
}

/** What intake needs to hold messages: the store and the two settings. */
export interface SchedulingDeps {
  store: ScheduleStore;
  /** MAX_SCHEDULED_PER_TENANT. */
  maxPerTenant: number;
  /** SCHEDULE_HORIZON_HOURS. */
  horizonHours: number;
  /** SCHEDULE_LEAD_SECONDS: held beyond it, moved this long before the time. */
  leadSeconds: number;
}
