import type { DeliveryMessage } from "../kernel/model.ts";
import { MAX_SEND_DELAY_SECONDS, serializeMessage, waitingCopy } from "../kernel/queue-message.ts";
import type { DeliveryDeps } from "./deps.ts";

/**
 * Makes a message wait without an attempt: a fresh copy goes back to the queue with `notBefore`
 * and a delay of at most 15 minutes (longer waits hop), and the original is acknowledged. The copy
 * starts with a receive count of 0, so waiting never moves a message to the dead-letter queue
 * through SQS's redrive policy, and the retry schedule is not touched.
 */
export async function sendWaitingCopy(
  deps: Pick<DeliveryDeps, "requeue" | "clock">,
  message: DeliveryMessage,
  untilMs: number,
  resumed: boolean,
): Promise<void> {
  const nowMs = deps.clock.now().getTime();
  const seconds = Math.min(MAX_SEND_DELAY_SECONDS, Math.max(1, Math.ceil((untilMs - nowMs) / 1000)));
  await deps.requeue.later(serializeMessage(waitingCopy(message, untilMs, nowMs, resumed)), seconds, message.tenantId);
}
