import { ApiError } from "../kernel/errors.ts";
import type { Page } from "../kernel/ports.ts";
import type { ScheduledItem, ScheduleState, ScheduleStore } from "./schedule.ts";

/** What the API shows of a scheduled message. */
export interface ScheduledView {
  eventId: string;
  tenantId: string;
  type: string;
  deliverAt: string;
  createdAt: string;
  /** waiting; moving or sent: in the delivery queue (no longer cancellable); cancelled; dropped. */
  state: ScheduleState;
  endpoints: number;
  endedAt: string | null;
}

/** The view of one held message. */
export function scheduledView(item: ScheduledItem): ScheduledView {
  const { eventId, tenantId, type, deliverAt, createdAt, state } = item;
  return { eventId, tenantId, type, deliverAt, createdAt, state, endpoints: item.endpointIds.length, endedAt: item.endedAt ?? null };
}

/** A tenant's held messages, soonest first: those still waiting and those being moved. */
export async function listScheduled(
  deps: { store: ScheduleStore },
  tenantId: string,
  limit: number,
  cursor?: string,
): Promise<Page<ScheduledView>> {
  const page = await deps.store.listByTenant(tenantId, limit, cursor);
  return { items: page.items.map(scheduledView), nextCursor: page.nextCursor };
}

/** The held message of the tenant's event, in any state; 404 when the event was never held (or is another tenant's). */
export async function getScheduled(deps: { store: ScheduleStore }, tenantId: string, eventId: string): Promise<ScheduledView> {
  const item = await deps.store.get(tenantId, eventId);
  if (!item) throw new ApiError("not_found", `No scheduled message for event ${eventId} of tenant ${tenantId}`);
  return scheduledView(item);
}

/** The event view with where its held message stands, when it was held (one more read, for scheduled events only). */
export async function withSchedule<V extends { tenantId: string; id: string; deliverAt?: string }>(
  deps: { store: ScheduleStore },
  view: V,
): Promise<V & { schedule?: ScheduledView }> {
  if (view.deliverAt === undefined) return view;
  const item = await deps.store.get(view.tenantId, view.id);
  return item ? { ...view, schedule: scheduledView(item) } : view;
}

/**
 * Cancels a held message: it ends `cancelled` and none of its deliveries is sent. One the scheduler
 * has moved to the queue already (within SCHEDULE_LEAD_SECONDS of its time) answers 409
 * schedule_started; cancelling twice answers the cancelled message again. 404 for an event of
 * another tenant, or one that was never held (no deliverAt, or a time too near to hold).
 */
export async function cancelScheduled(deps: { schedule: ScheduleStore; clock: { now(): Date } }, tenantId: string, eventId: string) {
  for (let tries = 0; tries < 3; tries++) {
    const item = await deps.schedule.get(tenantId, eventId);
    if (!item) throw new ApiError("not_found", `No scheduled message for event ${eventId} of tenant ${tenantId}`);
    if (item.state === "cancelled") return scheduledView(item);
    if (item.state !== "waiting") {
      throw new ApiError(
        "schedule_started",
        `The message of event ${eventId} is ${item.state === "dropped" ? "dropped" : "in the delivery queue"} already (held messages move SCHEDULE_LEAD_SECONDS before their deliverAt) and cannot be cancelled`,
        [{ path: "id", message: `is ${item.state}`, state: item.state }],
      );
    }
    const at = deps.clock.now().toISOString();
    // A false end means the scheduler claimed it meanwhile: read it again and answer what it is now.
    if (await deps.schedule.end(item, "cancelled", at)) return scheduledView({ ...item, state: "cancelled", endedAt: at });
  }
  throw new ApiError("concurrent_update", `The scheduled message of event ${eventId} kept changing; try again`);
}
