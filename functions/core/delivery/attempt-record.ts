import { expiresAt } from "../kernel/clock.ts";
import type { AttemptRecord, DeliveryMessage } from "../kernel/model.ts";
import type { DeliveryDeps } from "./deps.ts";

/**
 * Writes one attempt of the message's chain (scheduled, or the manual chain it names) to the log;
 * `fields.trigger` overrides the chain's (the dead-letter consumer's record says "dead-letter").
 */
export async function recordAttempt(
  deps: Pick<DeliveryDeps, "clock" | "logRetentionDays" | "onAttempt"> & { attempts: Pick<DeliveryDeps["attempts"], "record"> },
  message: DeliveryMessage,
  attempt: number,
  fields: Pick<AttemptRecord, "status" | "url" | "durationMs"> & Partial<AttemptRecord>,
  at: Date = deps.clock.now(),
): Promise<AttemptRecord> {
  const entry: AttemptRecord = {
    eventId: message.eventId,
    endpointId: message.endpointId,
    tenantId: message.tenantId,
    attempt,
    trigger: message.chain === undefined ? "scheduled" : "manual",
    ...(message.chain !== undefined && { chain: message.chain }),
    at: at.toISOString(),
    expiresAt: expiresAt(at, deps.logRetentionDays),
    ...fields,
  };
  await deps.attempts.record(entry);
  deps.onAttempt?.(entry);
  return entry;
}
