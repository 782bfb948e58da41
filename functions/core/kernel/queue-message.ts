import * as v from "valibot";
import type { DeliveryMessage, EventRecord } from "./model.ts";

/*
 * The queue's messages, built and read here only: a delivery (an event to one endpoint), its waiting
 * and forwarded copies, a recovery step, and the notice that the queue refused an event for good.
 * Each is versioned (`v: 1`) and carries identifiers, never a secret.
 */

/** SQS holds a sent message back at most 15 minutes (DelaySeconds). */
export const MAX_SEND_DELAY_SECONDS = 900;

/** The queue message that delivers the event to one endpoint; intake, the sweeper, replay and recovery all build it here. */
export function deliveryMessage(
  record: Pick<EventRecord, "id" | "messageId" | "tenantId" | "type" | "createdAt" | "body">,
  endpointId: string,
  chain?: { chain: string; recovers: boolean },
): DeliveryMessage {
  const { id, messageId, tenantId, type, createdAt, body } = record;
  return { v: 1, eventId: id, ...(messageId !== undefined && { messageId }), endpointId, tenantId, type, createdAt, body, ...chain };
}

/** The message's body on the queue (the adapters escape what SQS refuses, queue-text.ts). */
export function serializeMessage(message: DeliveryMessage | RecoveryTask): string {
  return JSON.stringify(message);
}

/**
 * A copy of the message that waits until `untilMs` without an attempt (`resumed`: its chain has
 * history to read when it comes back); never dated before `nowMs`.
 */
export function waitingCopy(message: DeliveryMessage, untilMs: number, nowMs: number, resumed: boolean): DeliveryMessage {
  const copy: DeliveryMessage = { ...message, notBefore: new Date(Math.max(untilMs, nowMs)).toISOString() };
  if (resumed) copy.resumed = true;
  return copy;
}

/**
 * The body the fast lane forwards to the slow lane: the received one as it came, unless the delivery
 * has history (a redelivery) that the copy must say it resumes, since the slow lane receives it afresh.
 */
export function forwardedBody(receivedBody: string, message: DeliveryMessage, hasHistory: boolean): string {
  return hasHistory && !message.resumed ? serializeMessage({ ...message, resumed: true }) : receivedBody;
}

const Message = v.object({
  v: v.literal(1),
  eventId: v.string(),
  messageId: v.optional(v.pipe(v.string(), v.regex(/^msg_[A-Za-z0-9]{1,64}$/))),
  endpointId: v.string(),
  tenantId: v.string(),
  type: v.string(),
  createdAt: v.string(),
  body: v.string(),
  chain: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  recovers: v.optional(v.boolean()),
  notBefore: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  resumed: v.optional(v.boolean()),
});

/** A step of a recovery, carried by the delivery queue so that a large window is worked through page by page. */
export interface RecoveryTask {
  v: 1;
  task: "recover";
  endpointId: string;
  recoveryId: string;
  /** Which step this is (0 first); a redelivered step that was applied already is not applied again. */
  step?: number;
  cursor?: string;
}

/** Step `step` of a recovery, from `cursor` (none: the window's start). */
export function recoveryTask(endpointId: string, recoveryId: string, step: number, cursor?: string): RecoveryTask {
  return { v: 1, task: "recover", endpointId, recoveryId, step, ...(cursor !== undefined && { cursor }) };
}

const Task = v.object({
  v: v.literal(1),
  task: v.literal("recover"),
  endpointId: v.string(),
  recoveryId: v.string(),
  step: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  cursor: v.optional(v.string()),
});

/** The dead-letter reason, and the attempt error, of deliveries whose message the queue refused for good. */
export const UNSENDABLE = "unsendable";

/**
 * What intake and the sweeper dead-letter when the queue refused an event's messages for good (too
 * large for it, characters it does not take): the event's identifiers and the endpoints whose
 * deliveries end, never the body, which is what the queue refused. The dead-letter consumer records
 * each of those deliveries exhausted with error "unsendable".
 */
export interface UnsendableNotice {
  v: 1;
  notice: typeof UNSENDABLE;
  eventId: string;
  tenantId: string;
  type: string;
  createdAt: string;
  endpointIds: string[];
  /** The queue's words, for the log. */
  reason: string;
}

const Notice = v.object({
  v: v.literal(1),
  notice: v.literal(UNSENDABLE),
  eventId: v.string(),
  tenantId: v.string(),
  type: v.string(),
  createdAt: v.string(),
  endpointIds: v.array(v.string()),
  reason: v.string(),
});

/** The notice's body for `endpointIds` of `event`; the queue's reason is cut to 256 characters. */
export function unsendableNotice(event: EventRecord, endpointIds: string[], reason: string): string {
  const { id: eventId, tenantId, type, createdAt } = event;
  const notice: UnsendableNotice = {
    v: 1,
    notice: UNSENDABLE,
    eventId,
    tenantId,
    type,
    createdAt,
    endpointIds,
    reason: reason.slice(0, 256),
  };
  return JSON.stringify(notice);
}

/** The deliveries a notice ends, one per endpoint, without the body the queue refused. */
export function noticeDeliveries(notice: UnsendableNotice): DeliveryMessage[] {
  const { eventId, tenantId, type, createdAt } = notice;
  return notice.endpointIds.map((endpointId) => ({ v: 1, eventId, endpointId, tenantId, type, createdAt, body: "" }));
}

/** The notice, or undefined when the body is not one. */
export function parseUnsendableNotice(body: string): UnsendableNotice | undefined {
  const parsed = v.safeParse(Notice, parseJson(body));
  return parsed.success ? parsed.output : undefined;
}

/** The message, or undefined when it is not a delivery message of a version we know. */
export function parseMessage(body: string): DeliveryMessage | undefined {
  const parsed = v.safeParse(Message, parseJson(body));
  return parsed.success ? parsed.output : undefined;
}

/** The recovery task, or undefined when the body is not one. */
export function parseTask(body: string): RecoveryTask | undefined {
  const parsed = v.safeParse(Task, parseJson(body));
  return parsed.success ? parsed.output : undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
