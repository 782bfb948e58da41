import { webhookId } from "./ids.ts";
import type { EventRecord } from "./model.ts";

/** An event as intake accepts it and the API lists it: without its payload. */
export interface EventSummary {
  id: string;
  /** The `webhook-id` its deliveries carry. */
  messageId: string;
  type: string;
  tenantId: string;
  createdAt: string;
  endpoints: number;
  /** When its deliveries may start, when the caller gave one. */
  deliverAt?: string;
}

/** The event as the API shows it, without payload. */
export function eventSummary(event: EventRecord): EventSummary {
  const { id, messageId, type, tenantId, createdAt, endpointIds, deliverAt } = event;
  return {
    id,
    messageId: webhookId({ eventId: id, messageId }),
    type,
    tenantId,
    createdAt,
    endpoints: endpointIds.length,
    ...(deliverAt !== undefined && { deliverAt }),
  };
}
