import { expiresAt } from "../kernel/clock.ts";
import type { AttemptRecord, DeliveryMessage, DisabledReason, Endpoint } from "../kernel/model.ts";
import { backoffSeconds, maxReceiveCount, RECEIVE_COUNT_SLACK } from "../policy/retry-schedule.ts";
import { announceExhausted } from "./announce.ts";
import type { DeliveryDeps, ReceivedMessage } from "./deps.ts";
import type { Attempted } from "./send.ts";
import { sendWaitingCopy } from "./waiting.ts";

/** What a sent attempt comes to: delivered, ended (410 Gone, or no retry left), or retried after `delay` seconds. */
export type Verdict =
  | { kind: "succeeded" }
  | { kind: "gone" }
  | { kind: "exhausted" }
  | { kind: "retry"; delaySeconds: number; atMs: number };

/** Judges a sent attempt by its outcome and the retry schedule (the endpoint's own, or the global one). */
export function judge(
  deps: Pick<DeliveryDeps, "clock" | "retrySchedule" | "policy">,
  endpoint: Endpoint,
  attempt: number,
  sent: Attempted,
): Verdict {
  if (sent.outcome.ok) return { kind: "succeeded" };
  if (sent.outcome.action === "gone") return { kind: "gone" };
  const schedule = endpoint.retrySchedule ?? deps.retrySchedule;
  const delay = backoffSeconds(schedule, attempt, sent.outcome, deps.clock.random, deps.policy.slowDownDelaySeconds);
  if (delay === undefined) return { kind: "exhausted" };
  return { kind: "retry", delaySeconds: delay, atMs: deps.clock.now().getTime() + delay * 1000 };
}

/** Writes one attempt of the message's chain (scheduled, or the manual chain it names) to the log. */
export async function recordAttempt(
  deps: Pick<DeliveryDeps, "attempts" | "clock" | "logRetentionDays" | "onAttempt">,
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

/** Whether the queue keeps the message (retried by its visibility) or is done with it. */
export type Disposition = "done" | "keep";

/**
 * Schedules the next attempt: by the message's visibility, or, near the redrive limit, as a fresh
 * copy so that SQS's receive count never ends a delivery early (falling back to the visibility if
 * the copy cannot be sent).
 */
export async function scheduleRetry(
  deps: Pick<DeliveryDeps, "requeue" | "queue" | "clock" | "retrySchedule" | "onWarning">,
  received: ReceivedMessage,
  message: DeliveryMessage,
  retry: { atMs: number; delaySeconds: number },
): Promise<Disposition> {
  if (received.receiveCount + RECEIVE_COUNT_SLACK / 2 >= maxReceiveCount(deps.retrySchedule)) {
    try {
      await sendWaitingCopy(deps, message, retry.atMs, true);
      return "done";
    } catch (error) {
      deps.onWarning?.("could not requeue a retry; keeping the message instead", error);
    }
  }
  await deps.queue.retryAfter(received.receiptHandle, retry.delaySeconds);
  return "keep";
}

/**
 * Whether an exhausted delivery disables its endpoint, why and as of when: at once on 410 Gone, or
 * when the endpoint has failed for ENDPOINT_DISABLE_AFTER_HOURS. Undefined: it stays as it is.
 */
export function disablement(
  deps: Pick<DeliveryDeps, "clock" | "policy">,
  endpoint: Endpoint | undefined,
  record: AttemptRecord,
): { reason: DisabledReason; at: string } | undefined {
  if (!endpoint?.enabled || endpoint.tenantId !== record.tenantId) return undefined;
  if (record.error === "endpoint_gone") return { reason: "gone", at: record.at };
  const now = deps.clock.now();
  const failingSince = Date.parse(endpoint.failingSince ?? record.at);
  if (failingSince <= now.getTime() - deps.policy.disableAfterHours * 3_600_000) return { reason: "failing", at: now.toISOString() };
  return undefined;
}

/**
 * Announces delivery.exhausted, then moves the message to the dead-letter queue. Both are
 * idempotent, so a redelivery after a failure midway runs them again.
 */
export async function finishExhausted(
  deps: Pick<DeliveryDeps, "operational" | "queue">,
  received: ReceivedMessage,
  message: DeliveryMessage,
  record: AttemptRecord,
): Promise<void> {
  await announceExhausted(deps, message, record.at, { attempts: record.attempt, statusCode: record.statusCode, error: record.error });
  await deps.queue.deadLetter(received.body, record.error === "endpoint_gone" ? "endpoint_gone" : "exhausted");
}
