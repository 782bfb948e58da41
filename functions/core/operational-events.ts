import { createHash } from "node:crypto";
import { ApiError } from "./errors.ts";
import { acceptEvents, type IntakeDeps } from "./intake.ts";
import { withTenantListing } from "./matching.ts";
import type { AttemptRecord, DeliveryMessage } from "./model.ts";

/** The dispatcher's own event types, delivered through the same pipeline to endpoints that list them. */
export const OPERATIONAL_TYPES = [
  "endpoint.disabled",
  "endpoint.circuit_opened",
  "endpoint.circuit_closed",
  "delivery.exhausted",
  "delivery.recovered",
] as const;
export type OperationalType = (typeof OPERATIONAL_TYPES)[number];

/** Emits an operational event into a tenant. */
export interface OperationalEvents {
  /**
   * `key` names the fact (the same fact always gives the same event id, so a repeat after a crash
   * is answered as a replay); `at` is when it happened, so the repeat's payload is identical.
   */
  emit(tenantId: string, type: OperationalType, key: string, at: string, data: Record<string, unknown>): Promise<void>;
}

/** True for the dispatcher's own types: their deliveries emit no delivery.* event, which could loop. */
export function isOperational(type: string): boolean {
  return (OPERATIONAL_TYPES as readonly string[]).includes(type);
}

/**
 * Operational events through intake's own logic (validation, matching, enqueue, record). Only
 * endpoints whose `eventTypes` name the type receive it: an endpoint subscribed to every type gets
 * none, so a failing catch-all endpoint is never sent news of its own failures. A fact nobody
 * subscribes to costs one read and is not recorded (recording it would cost more than the delivery
 * it is about).
 */
export function operationalEvents(deps: IntakeDeps): OperationalEvents {
  return {
    async emit(tenantId, type, key, at, data) {
      const subscribers = (await deps.endpoints.allOfTenant(tenantId)).filter((e) => e.enabled && e.eventTypes?.includes(type) === true);
      if (subscribers.length === 0) return;
      const id = `op_${createHash("sha256").update(`${type}\u0000${key}`).digest("hex").slice(0, 32)}`;
      const payload = { type, timestamp: at, data };
      const [result] = await acceptEvents(
        { ...deps, endpoints: withTenantListing(deps.endpoints, async () => subscribers) },
        [{ id, type, tenantId, payload }],
        undefined,
        tenantId,
      );
      if (!result || result.ok) return;
      // The same fact emitted before with another payload: the first one stands.
      if (result.error instanceof ApiError && result.error.code === "idempotency_conflict") return;
      throw result.error;
    },
  };
}

/** The data of a delivery.exhausted event. */
export function exhaustedData(message: DeliveryMessage, record: AttemptRecord): Record<string, unknown> {
  return {
    eventId: record.eventId,
    eventType: message.type,
    endpointId: record.endpointId,
    attempts: record.attempt,
    ...(record.chain !== undefined && { chain: record.chain }),
    ...(record.statusCode !== undefined && { lastStatusCode: record.statusCode }),
    ...(record.error !== undefined && { lastError: record.error }),
  };
}
