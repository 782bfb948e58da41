import type { Clock } from "../kernel/clock.ts";
import type { AttemptRecord, DeliveryMessage } from "../kernel/model.ts";
import type { AttemptLog, RecoveryStore } from "../kernel/ports.ts";
import { noticeDeliveries, parseMessage, parseTask, parseUnsendableNotice, UNSENDABLE } from "../kernel/queue-message.ts";
import type { TenantStatusReader } from "../lifecycle/retention.ts";
import { recordAttempt } from "./attempt-record.ts";
import type { DeliveryDeps } from "./deps.ts";
import { endExhausted, endingOf } from "./exhausted.ts";
import { latestOfChain, supersededChain } from "./history.ts";

/** The dead-letter consumer's dependencies; every port is required, so no wiring turns a feature off. */
export interface DeadLetterDeps extends Pick<DeliveryDeps, "operational" | "onWarning"> {
  attempts: Pick<AttemptLog, "record" | "ofDelivery" | "flushLists">;
  clock: Clock;
  logRetentionDays: number;
  /** A deleted tenant's dead letters are dropped; the others' records take their tenant's retention. */
  tenantStatus: TenantStatusReader;
  /** Marks recoveries failed whose step was dead-lettered. */
  recoveries: Pick<RecoveryStore, "fail">;
  onUnreadable?: (body: string) => void;
}

/** Reasons the worker gives for messages that were never a delivery to record: nothing is written for them. */
const NOT_A_DELIVERY = new Set(["unparsable", "tenant_mismatch", "endpoint_deleted"]);

/**
 * Accounts for a message that reached the dead-letter queue: unless its delivery already ended in the
 * log (exhausted by the worker, or succeeded before a crash) or it was never a delivery (`reason`,
 * the worker's message attribute, says so), it is recorded as exhausted in its chain and announced
 * as delivery.exhausted, so no delivery stays "pending" because its message was dead-lettered by
 * the queue's receive count. Such deliveries are recoverable like any exhausted one.
 */
export async function recordDeadLetter(deps: DeadLetterDeps, body: string, reason?: string): Promise<AttemptRecord | undefined> {
  const message = parseMessage(body);
  if (!message) {
    const task = parseTask(body);
    // A recovery step the queue gave up on: the recovery says it failed rather than run for ever.
    if (task) {
      await deps.recoveries.fail(
        task.endpointId,
        task.recoveryId,
        deps.clock.now().toISOString(),
        "a step kept failing and was dead-lettered",
      );
    } else deps.onUnreadable?.(body);
    return undefined;
  }
  if (reason !== undefined && NOT_A_DELIVERY.has(reason)) return undefined;
  return endDelivery(deps, message, reason, "dead_lettered");
}

/**
 * What the dead-letter consumer does with one body: a notice that the queue refused an event's
 * messages for good ends each of its deliveries `exhausted` with error "unsendable"; anything else
 * is a dead-lettered message for recordDeadLetter. Returns the records written.
 */
export async function consumeDeadLetter(deps: DeadLetterDeps, body: string, reason?: string): Promise<AttemptRecord[]> {
  const notice = parseUnsendableNotice(body);
  if (!notice) {
    const entry = await recordDeadLetter(deps, body, reason);
    return entry ? [entry] : [];
  }
  const ended: AttemptRecord[] = [];
  // The body is what the queue refused: each delivery is recorded and announced without it.
  for (const message of noticeDeliveries(notice)) {
    const entry = await endDelivery(deps, message, UNSENDABLE, UNSENDABLE);
    if (entry) ended.push(entry);
  }
  return ended;
}

/** Records the delivery exhausted in its chain and announces it, unless it ended already or another chain delivered it. */
async function endDelivery(
  shared: DeadLetterDeps,
  message: DeliveryMessage,
  reason: string | undefined,
  error: "dead_lettered" | typeof UNSENDABLE,
): Promise<AttemptRecord | undefined> {
  const tenant = await shared.tenantStatus.statusOf(message.tenantId);
  if (tenant.deleted) return undefined;
  const deps = { ...shared, logRetentionDays: tenant.retentionDays };
  const history = await deps.attempts.ofDelivery(message.eventId, message.endpointId);
  // Another chain (a replay, a recovery) delivered it after this one began: nothing was given up on.
  if (supersededChain(history, message.chain)) return undefined;
  const last = latestOfChain(history, message.chain);
  if (last?.status === "exhausted" && last.trigger !== "dead-letter" && reason === undefined) {
    // The worker logged the ending, but the queue gave up on the message before its announcement got out.
    await endExhausted(deps, message, last, { by: "dead-letter consumer", ending: endingOf(last) });
    return undefined;
  }
  if (last && last.status !== "failed") return undefined;
  const entry = await recordAttempt(deps, message, (last?.attempt ?? 0) + 1, {
    trigger: "dead-letter",
    status: "exhausted",
    url: last?.url ?? "",
    durationMs: 0,
    error,
  });
  // The attempts made are those before this record, which stands for the queue giving up, not for a request.
  const ending = { attempts: last?.attempt ?? 0, statusCode: last?.statusCode, error };
  await endExhausted(deps, message, entry, { by: "dead-letter consumer", ending });
  return entry;
}
