import * as v from "valibot";
import { type Clock, expiresAt } from "./clock.ts";
import { mapWithConcurrency } from "./concurrency.ts";
import type { AttemptRecord, DeliveryMessage, Endpoint } from "./model.ts";
import { classifyOutcome } from "./outcome.ts";
import type { AttemptLog, EndpointStore, HttpSender } from "./ports.ts";
import { type RetrySchedule, retryDelaySeconds } from "./retry-schedule.ts";
import { Signer } from "./signing.ts";

/** The product name receivers see in `user-agent`. */
export const USER_AGENT = "hookrelay/0.1 (+https://github.com/hookrelay/hookrelay)";
const RESPONSE_BODY_BYTES = 4096;

/** One received queue message, as the SQS event source hands it over. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
}

/** What the worker asks of the queue besides the event source's own delete. */
export interface RetryControl {
  /** Keeps the message hidden for `seconds` from now; the queue redelivers it then. */
  retryAfter(receiptHandle: string, seconds: number): Promise<void>;
  /** Moves the message to the dead-letter queue with the reason it ended there. */
  deadLetter(body: string, reason: string): Promise<void>;
}

export interface DeliveryDeps {
  endpoints: EndpointStore;
  attempts: AttemptLog;
  http: HttpSender;
  queue: RetryControl;
  clock: Clock;
  retrySchedule: RetrySchedule;
  logRetentionDays: number;
  concurrency?: number;
  onAttempt?: (attempt: AttemptRecord) => void;
  onError?: (message: ReceivedMessage, error: unknown) => void;
}

const Message = v.object({
  v: v.literal(1),
  eventId: v.string(),
  endpointId: v.string(),
  tenantId: v.string(),
  type: v.string(),
  createdAt: v.string(),
  body: v.string(),
});

/**
 * Delivers a batch concurrently and returns the ids of the messages the queue must keep: those
 * scheduled for a retry and those whose processing hit a failure of our own infrastructure.
 */
export async function deliverBatch(deps: DeliveryDeps, messages: ReceivedMessage[]): Promise<string[]> {
  const endpoints = new Map<string, Promise<Endpoint | undefined>>();
  const endpointOf = (id: string): Promise<Endpoint | undefined> => {
    let found = endpoints.get(id);
    if (!found) {
      found = deps.endpoints.get(id);
      endpoints.set(id, found);
    }
    return found;
  };
  const kept = await mapWithConcurrency(messages, deps.concurrency ?? 64, async (message) => {
    try {
      return (await deliverOne(deps, message, endpointOf)) === "keep";
    } catch (error) {
      deps.onError?.(message, error);
      return true;
    }
  });
  return messages.filter((_, i) => kept[i]).map((m) => m.messageId);
}

type Disposition = "done" | "keep";

async function deliverOne(
  deps: DeliveryDeps,
  received: ReceivedMessage,
  endpointOf: (id: string) => Promise<Endpoint | undefined>,
): Promise<Disposition> {
  const message = parseMessage(received.body);
  if (!message) {
    await deps.queue.deadLetter(received.body, "unparsable");
    return "done";
  }
  // Only a redelivery can have history; the first receive costs no read.
  const last = received.receiveCount > 1 ? await deps.attempts.last(message.eventId, message.endpointId) : undefined;
  if (last?.status === "succeeded" || last?.status === "skipped") return "done";
  if (last?.status === "exhausted") {
    await deps.queue.deadLetter(received.body, "exhausted");
    return "done";
  }
  const attempt = (last?.attempt ?? 0) + 1;
  const endpoint = await endpointOf(message.endpointId);
  if (!endpoint?.enabled) {
    await record(deps, message, attempt, {
      status: "skipped",
      url: endpoint?.url ?? "",
      durationMs: 0,
      error: endpoint ? "endpoint_disabled" : "endpoint_deleted",
    });
    return "done";
  }

  const sentAt = deps.clock.now();
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const headers: Record<string, string> = {
    ...endpoint.headers,
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": message.eventId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signerFor(endpoint.secret).sign(message.eventId, timestamp, message.body),
  };
  const result = await deps.http.post(endpoint.url, headers, message.body);
  const outcome = classifyOutcome(result);
  const response =
    result.kind === "response"
      ? { statusCode: result.statusCode, responseBody: truncate(result.body) }
      : { error: result.error, errorMessage: result.message };
  const base = { url: endpoint.url, durationMs: result.durationMs, ...response };
  if (outcome.ok) {
    await record(deps, message, attempt, { status: "succeeded", ...base }, sentAt);
    return "done";
  }
  const delay = retryDelaySeconds(deps.retrySchedule, attempt, deps.clock.random);
  if (delay === undefined) {
    await record(deps, message, attempt, { status: "exhausted", ...base }, sentAt);
    await deps.queue.deadLetter(received.body, "exhausted");
    return "done";
  }
  const nextAttemptAt = new Date(deps.clock.now().getTime() + delay * 1000).toISOString();
  await record(deps, message, attempt, { status: "failed", nextAttemptAt, ...base }, sentAt);
  await deps.queue.retryAfter(received.receiptHandle, delay);
  return "keep";
}

async function record(
  deps: DeliveryDeps,
  message: DeliveryMessage,
  attempt: number,
  fields: Pick<AttemptRecord, "status" | "url" | "durationMs"> & Partial<AttemptRecord>,
  at: Date = deps.clock.now(),
): Promise<void> {
  const entry: AttemptRecord = {
    eventId: message.eventId,
    endpointId: message.endpointId,
    tenantId: message.tenantId,
    attempt,
    trigger: "scheduled",
    at: at.toISOString(),
    expiresAt: expiresAt(at, deps.logRetentionDays),
    ...fields,
  };
  await deps.attempts.record(entry);
  deps.onAttempt?.(entry);
}

/** The message, or undefined when it is not a delivery message of a version we know. */
export function parseMessage(body: string): DeliveryMessage | undefined {
  try {
    const parsed = v.safeParse(Message, JSON.parse(body));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  if (Buffer.byteLength(text) <= RESPONSE_BODY_BYTES) return text;
  return Buffer.from(text)
    .subarray(0, RESPONSE_BODY_BYTES)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

const signers = new Map<string, Signer>();

/** Signers are cached per secret so that the key object is made once per warm container. */
function signerFor(secret: string): Signer {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= 1000) signers.clear();
    signer = new Signer(secret);
    signers.set(secret, signer);
  }
  return signer;
}
