import { createHash } from "node:crypto";
import type { DeliveryMessage } from "../kernel/model.ts";

/**
 * The FIFO queue's MessageDeduplicationId of a delivery: its identity (event, endpoint, and the
 * manual chain of a replay or recovery), hashed to the 64 hex characters SQS takes. A message sent
 * twice within SQS's five-minute window (a repeated intake, the sweeper) is queued once; a replay is
 * a new chain and is queued again.
 */
export function orderedDeduplicationId(message: Pick<DeliveryMessage, "eventId" | "endpointId" | "chain">): string {
  return createHash("sha256")
    .update(`${message.eventId}\n${message.endpointId}\n${message.chain ?? ""}`)
    .digest("hex");
}
