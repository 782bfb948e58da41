import { type Clock, expiresAt } from "./clock.ts";
import { parseMessage } from "./delivery.ts";
import type { AttemptRecord } from "./model.ts";
import type { AttemptLog } from "./ports.ts";

export interface DeadLetterDeps {
  attempts: AttemptLog;
  clock: Clock;
  logRetentionDays: number;
  onUnreadable?: (body: string) => void;
}

/**
 * Accounts for a message that reached the dead-letter queue: unless its delivery already ended in the
 * log (exhausted by the worker, or succeeded before a crash), it is recorded as exhausted, so no
 * delivery stays "pending" because its message was dead-lettered by the queue's receive count.
 */
export async function recordDeadLetter(deps: DeadLetterDeps, body: string): Promise<AttemptRecord | undefined> {
  const message = parseMessage(body);
  if (!message) {
    deps.onUnreadable?.(body);
    return undefined;
  }
  const last = await deps.attempts.last(message.eventId, message.endpointId);
  if (last && last.status !== "failed") return undefined;
  const now = deps.clock.now();
  const entry: AttemptRecord = {
    eventId: message.eventId,
    endpointId: message.endpointId,
    tenantId: message.tenantId,
    attempt: (last?.attempt ?? 0) + 1,
    trigger: "dead-letter",
    status: "exhausted",
    url: last?.url ?? "",
    at: now.toISOString(),
    durationMs: 0,
    error: "dead_lettered",
    expiresAt: expiresAt(now, deps.logRetentionDays),
  };
  await deps.attempts.record(entry);
  return entry;
}
