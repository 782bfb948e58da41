/** The dispatcher's own event types, delivered through the same pipeline to endpoints that list them. */
export const OPERATIONAL_TYPES = [
  "endpoint.disabled",
  "endpoint.circuit_opened",
  "endpoint.circuit_closed",
  "delivery.exhausted",
  "delivery.recovered",
] as const;
export type OperationalType = (typeof OPERATIONAL_TYPES)[number];

/** Emits an operational event into a tenant: the port the worker and the dead-letter consumer announce through. */
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
