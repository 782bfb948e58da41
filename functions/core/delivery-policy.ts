import type { CircuitSettings } from "./circuit-breaker.ts";
import type { ResolvedDeliveryDeps } from "./delivery.ts";
import { MAX_SEND_DELAY_SECONDS } from "./delivery-message.ts";
import type { DeliveryMessage } from "./model.ts";
import { isOperational, type OperationalType } from "./operational-events.ts";
import { SETTINGS as S } from "./settings.ts";

/** The delivery rules that come from the configuration. */
export interface DeliveryPolicy {
  /** The least wait after 429, 502, 503 or 504 (lower it for short test schedules). */
  slowDownDelaySeconds: number;
  /** An endpoint failing continuously this long is disabled when one of its deliveries is exhausted. */
  disableAfterHours: number;
  circuit: CircuitSettings;
}

/** The defaults of the configuration: Svix's 5 days, 5 failures, 60 s doubling up to an hour. */
export function defaultPolicy(deliveryTimeoutMs: number = S.deliveryTimeoutMs.default): DeliveryPolicy {
  return {
    slowDownDelaySeconds: S.slowDownDelaySeconds.default,
    disableAfterHours: S.endpointDisableAfterHours.default,
    circuit: {
      failureThreshold: S.circuitFailureThreshold.default,
      cooldownSeconds: S.circuitCooldownSeconds.default,
      maxCooldownSeconds: S.circuitMaxCooldownSeconds.default,
      probeLeaseSeconds: probeLeaseSeconds(deliveryTimeoutMs),
    },
  };
}

/** A probe holds the half-open circuit for one delivery's timeout plus time to log it. */
export function probeLeaseSeconds(deliveryTimeoutMs: number): number {
  return Math.ceil(deliveryTimeoutMs / 1000) + 30;
}

/** The worker's dependencies around one message. */
export interface DeliveryTools extends ResolvedDeliveryDeps {
  message: DeliveryMessage;
}

/**
 * Makes a message wait without an attempt: a fresh copy goes back to the queue with `notBefore`
 * and a delay of at most 15 minutes (longer waits hop), and the original is acknowledged. The copy
 * starts with a receive count of 0, so waiting never moves a message to the dead-letter queue
 * through SQS's redrive policy, and the retry schedule is not touched.
 */
export async function waitUntil(tools: DeliveryTools, untilMs: number, resumed: boolean): Promise<void> {
  if (!tools.requeue) throw new Error("A delivery must wait but the worker has no requeue port");
  const nowMs = tools.clock.now().getTime();
  const seconds = Math.min(MAX_SEND_DELAY_SECONDS, Math.max(1, Math.ceil((untilMs - nowMs) / 1000)));
  const copy: DeliveryMessage = { ...tools.message, notBefore: new Date(Math.max(untilMs, nowMs)).toISOString() };
  if (resumed) copy.resumed = true;
  await tools.requeue.later(JSON.stringify(copy), seconds);
}

/**
 * Emits an operational event about this message's endpoint, best effort: the transition it reports
 * is already written, so a failure to emit is logged rather than redelivering the message. Deliveries
 * of operational events themselves emit no delivery.* event, which could loop.
 */
export async function emitAbout(tools: DeliveryTools, type: OperationalType, key: string, at: string, data: Record<string, unknown>) {
  if (type.startsWith("delivery.") && isOperational(tools.message.type)) return;
  try {
    await tools.operational.emit(tools.message.tenantId, type, key, at, data);
  } catch (error) {
    tools.onWarning?.(`could not emit ${type}`, error);
  }
}
