import { type Clock, expiresAt } from "../kernel/clock.ts";
import type { AttemptRecord, DeliveryMessage } from "../kernel/model.ts";
import type { AttemptLog, RecoveryStore } from "../kernel/ports.ts";
import { parseMessage, parseTask, parseUnsendableNotice, UNSENDABLE } from "../kernel/queue-message.ts";
import { announceExhausted, type Ending } from "./announce.ts";
import type { DeliveryDeps } from "./deps.ts";
import { latestOfChain, supersededChain } from "./history.ts";

/** The dead-letter consumer's dependencies; every port is required, so no wiring turns a feature off. */
export interface DeadLetterDeps extends Pick<DeliveryDeps, "operational" | "onWarning"> {
  attempts: Pick<AttemptLog, "record" | "ofDelivery">;
  clock: Clock;
  logRetentionDays: number;
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
  const { eventId, tenantId, type, createdAt } = notice;
  const ended: AttemptRecord[] = [];
  for (const endpointId of notice.endpointIds) {
    // The body is what the queue refused: the delivery is recorded and announced without it.
    const message: DeliveryMessage = { v: 1, eventId, endpointId, tenantId, type, createdAt, body: "" };
    const entry = await endDelivery(deps, message, UNSENDABLE, UNSENDABLE);
    if (entry) ended.push(entry);
  }
  return ended;
}

/** Records the delivery exhausted in its chain and announces it, unless it ended already or another chain delivered it. */
async function endDelivery(
  deps: DeadLetterDeps,
  message: DeliveryMessage,
  reason: string | undefined,
  error: "dead_lettered" | typeof UNSENDABLE,
): Promise<AttemptRecord | undefined> {
  const history = await deps.attempts.ofDelivery(message.eventId, message.endpointId);
  // Another chain (a replay, a recovery) delivered it after this one began: nothing was given up on.
  if (supersededChain(history, message.chain)) return undefined;
  const last = latestOfChain(history, message.chain);
  if (last?.status === "exhausted" && last.trigger !== "dead-letter" && reason === undefined) {
    // The worker logged the ending, but the queue gave up on the message before its announcement got out.
    await announce(deps, message, last.at, { attempts: last.attempt, statusCode: last.statusCode, error: last.error });
    return undefined;
  }
  if (last && last.status !== "failed") return undefined;
  const now = deps.clock.now();
  const entry: AttemptRecord = {
    eventId: message.eventId,
    endpointId: message.endpointId,
    tenantId: message.tenantId,
    attempt: (last?.attempt ?? 0) + 1,
    trigger: "dead-letter",
    ...(message.chain !== undefined && { chain: message.chain }),
    status: "exhausted",
    url: last?.url ?? "",
    at: now.toISOString(),
    durationMs: 0,
    error,
    expiresAt: expiresAt(now, deps.logRetentionDays),
  };
  await deps.attempts.record(entry);
  // The attempts made are those before this record, which stands for the queue giving up, not for a request.
  await announce(deps, message, entry.at, { attempts: last?.attempt ?? 0, statusCode: last?.statusCode, error });
  return entry;
}

/** Emits delivery.exhausted as the worker does, best effort (the record is written). */
async function announce(deps: DeadLetterDeps, message: DeliveryMessage, at: string, ending: Ending): Promise<void> {
  try {
    await announceExhausted(deps, message, at, ending);
  } catch (error) {
    deps.onWarning?.("could not emit delivery.exhausted", error);
  }
}
