import { isOperational, type OperationalType } from "../intake/operational.ts";
import { webhookId } from "../kernel/ids.ts";
import type { DeliveryMessage } from "../kernel/model.ts";
import type { DeliveryDeps } from "./deps.ts";
import { deliveryKey } from "./history.ts";

/** Emits an operational event about one message's delivery or endpoint, best effort. */
export type Announce = (type: OperationalType, key: string, at: string, data: Record<string, unknown>) => Promise<void>;

/**
 * Announcements about this message's endpoint, best effort: the transition each reports is already
 * written, so a failure to emit is logged rather than redelivering the message. Deliveries of
 * operational events themselves emit no delivery.* event, which could loop.
 */
export function announcer(deps: Pick<DeliveryDeps, "operational" | "onWarning">, message: DeliveryMessage): Announce {
  return async (type, key, at, data) => {
    if (type.startsWith("delivery.") && isOperational(message.type)) return;
    try {
      await deps.operational.emit(message.tenantId, type, key, at, data);
    } catch (error) {
      deps.onWarning?.(`could not emit ${type}`, error);
    }
  };
}

/** How an exhausted delivery ended: the attempts made and what the last one answered. */
export interface Ending {
  attempts: number;
  statusCode?: number;
  error?: string;
}

/** The data of a delivery.exhausted event. */
export function exhaustedData(message: DeliveryMessage, ending: Ending): Record<string, unknown> {
  return {
    eventId: message.eventId,
    messageId: webhookId(message),
    eventType: message.type,
    endpointId: message.endpointId,
    attempts: ending.attempts,
    ...(message.chain !== undefined && { chain: message.chain }),
    ...(ending.statusCode !== undefined && { lastStatusCode: ending.statusCode }),
    ...(ending.error !== undefined && { lastError: ending.error }),
  };
}

/**
 * Emits delivery.exhausted under the delivery's key. Unlike the other announcements it is not best
 * effort: a failure keeps the message, whose redelivery emits it again under the same event id.
 * Deliveries of operational events announce nothing, which could loop.
 */
export async function announceExhausted(
  deps: Pick<DeliveryDeps, "operational">,
  message: DeliveryMessage,
  at: string,
  ending: Ending,
): Promise<void> {
  if (isOperational(message.type)) return;
  await deps.operational.emit(message.tenantId, "delivery.exhausted", deliveryKey(message), at, exhaustedData(message, ending));
}

/** Announces that a delivery succeeded after failing (a retry, or a recovery's resend). */
export async function announceRecovered(announce: Announce, message: DeliveryMessage, attempt: number, at: string): Promise<void> {
  await announce("delivery.recovered", deliveryKey(message), at, {
    eventId: message.eventId,
    messageId: webhookId(message),
    eventType: message.type,
    endpointId: message.endpointId,
    attempt,
    trigger: message.chain === undefined ? "scheduled" : "manual",
    ...(message.chain !== undefined && { chain: message.chain }),
  });
}
