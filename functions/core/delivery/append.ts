import { appendToFeed } from "../feed/append.ts";
import { newId } from "../kernel/ids.ts";
import type { DeliveryMessage, Endpoint } from "../kernel/model.ts";
import type { DeliveryDeps } from "./deps.ts";
import type { Attempted } from "./send.ts";

/**
 * The send step of a polling endpoint: the delivery is appended to the endpoint's feed, and counts
 * as a successful attempt, recorded as any other. A failed append is a failure of our own storage:
 * it throws, and the queue redelivers the message, which appends it again.
 */
export async function appendDelivery(
  deps: Pick<DeliveryDeps, "clock" | "feed" | "logRetentionDays">,
  message: DeliveryMessage,
  endpoint: Endpoint,
): Promise<Attempted> {
  const at = deps.clock.now();
  await appendToFeed(deps, endpoint.id, {
    id: newId("fi", at.getTime()),
    eventId: message.eventId,
    ...(message.messageId !== undefined && { messageId: message.messageId }),
    eventType: message.type,
    timestamp: message.createdAt,
    body: message.body,
  });
  return { at, outcome: { ok: true }, fields: { url: endpoint.url, durationMs: deps.clock.now().getTime() - at.getTime() } };
}
