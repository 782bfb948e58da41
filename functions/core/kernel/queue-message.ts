import * as v from "valibot";
import type { DeliveryMessage, EventRecord } from "./model.ts";

/** SQS holds a sent message back at most 15 minutes (DelaySeconds). */
export const MAX_SEND_DELAY_SECONDS = 900;

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
