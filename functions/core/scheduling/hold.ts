import { ApiError } from "../kernel/errors.ts";
import type { EventRecord } from "../kernel/model.ts";
import type { ScheduledItem } from "./schedule.ts";

/** The held message of an accepted event that has a `deliverAt` (intake holds it before recording the event). */
export function scheduledItem(record: EventRecord): ScheduledItem {
  const { tenantId, id: eventId, type, endpointIds, createdAt, expiresAt } = record;
  return { tenantId, eventId, type, deliverAt: record.deliverAt as string, endpointIds, createdAt, state: "waiting", expiresAt };
}

/** 429 too_many_scheduled: the tenant has `max` messages waiting already; waiting helps, as they fall due. */
export function tooManyScheduled(tenantId: string, max: number): ApiError {
  return new ApiError(
    "too_many_scheduled",
    `Tenant ${tenantId} has ${max} messages waiting for their deliverAt, the most it may: wait for some to fall due, or cancel one`,
    [{ path: "deliverAt", message: `tenant has ${max} scheduled messages waiting already`, limit: max }],
    { retryAfterSeconds: 60 },
  );
}
