import type { Clock } from "./clock.ts";
import { mapWithConcurrency } from "./concurrency.ts";
import { latestOfChain, supersededChain } from "./delivery-history.ts";
import { parseMessage, parseTask } from "./delivery-message.ts";
import { type DeliveryPolicy, type DeliveryTools, defaultPolicy, waitUntil } from "./delivery-policy.ts";
import { recordAttempt, sendSigned } from "./delivery-send.ts";
import { admitDelivery, afterFailure, afterSuccess, disableEndpoint } from "./endpoint-health.ts";
import type { AttemptRecord, DeliveryMessage, Endpoint } from "./model.ts";
import { exhaustedData, isOperational, type OperationalEvents } from "./operational-events.ts";
import type { AttemptLog, EndpointHealthStore, EndpointStore, HttpSender, RateCounter, Requeue } from "./ports.ts";
import { type RecoveryStepDeps, runRecoveryStep } from "./recovery.ts";
import { backoffSeconds, maxReceiveCount, RECEIVE_COUNT_SLACK, type RetrySchedule } from "./retry-schedule.ts";

export { parseMessage } from "./delivery-message.ts";
export { USER_AGENT } from "./delivery-send.ts";

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
  /** The global schedule; an endpoint's own `retrySchedule` overrides it. */
  retrySchedule: RetrySchedule;
  logRetentionDays: number;
  /*
   * The ports of endpoint health. Each Lambda wires all of them (functions/delivery/index.ts); one
   * left out turns its feature off (benchmarks, narrow tests): no requeue means retries by visibility
   * only, no health store no circuit breaker nor auto-disable, no counter no rate limit.
   */
  /** Re-sends copies of messages that must wait (circuit open, rate limit, retries past the receive budget). */
  requeue?: Requeue;
  health?: EndpointHealthStore;
  rates?: RateCounter;
  operational?: OperationalEvents;
  /** Runs recovery tasks found on the queue. */
  recovery?: RecoveryStepDeps;
  /** @default defaultPolicy() */
  policy?: DeliveryPolicy;
  concurrency?: number;
  onAttempt?: (attempt: AttemptRecord) => void;
  onError?: (message: ReceivedMessage, error: unknown) => void;
  /** Something best-effort failed (an operational event could not be emitted). */
  onWarning?: (what: string, error: unknown) => void;
}

/** The worker's dependencies with every optional port in place. */
export type ResolvedDeliveryDeps = DeliveryDeps & Required<Pick<DeliveryDeps, "health" | "rates" | "operational" | "policy">>;

const unhealthy: EndpointHealthStore = {
  markFailing: async () => false,
  markHealthy: async () => false,
  openCircuit: async () => false,
  takeProbe: async () => true,
  closeCircuit: async () => false,
  disable: async () => false,
};

function resolve(deps: DeliveryDeps): ResolvedDeliveryDeps {
  return {
    ...deps,
    health: deps.health ?? unhealthy,
    rates: deps.rates ?? { take: async () => 0 },
    operational: deps.operational ?? { emit: async () => undefined },
    policy: deps.policy ?? defaultPolicy(),
  };
}

/**
 * Delivers a batch concurrently and returns the ids of the messages the queue must keep: those
 * scheduled for a retry and those whose processing hit a failure of our own infrastructure.
 * Each message stands alone: a poison message is dead-lettered without holding up the others.
 */
export async function deliverBatch(given: DeliveryDeps, messages: ReceivedMessage[]): Promise<string[]> {
  const deps = resolve(given);
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
      return (await handle(deps, message, endpointOf)) === "keep";
    } catch (error) {
      deps.onError?.(message, error);
      return true;
    }
  });
  return messages.filter((_, i) => kept[i]).map((m) => m.messageId);
}

type Disposition = "done" | "keep";

async function handle(
  deps: ResolvedDeliveryDeps,
  received: ReceivedMessage,
  endpointOf: (id: string) => Promise<Endpoint | undefined>,
): Promise<Disposition> {
  const message = parseMessage(received.body);
  if (message) return deliverOne(deps, received, message, endpointOf);
  const task = parseTask(received.body);
  if (task && deps.recovery) {
    await runRecoveryStep(deps.recovery, task);
    return "done";
  }
  await deps.queue.deadLetter(received.body, "unparsable");
  return "done";
}

async function deliverOne(
  deps: ResolvedDeliveryDeps,
  received: ReceivedMessage,
  message: DeliveryMessage,
  endpointOf: (id: string) => Promise<Endpoint | undefined>,
): Promise<Disposition> {
  const tools: DeliveryTools = { ...deps, message };
  // A copy that waits longer than SQS's 15-minute delay hops until its time comes, reading nothing.
  if (message.notBefore && Date.parse(message.notBefore) > deps.clock.now().getTime() + 1000) {
    await waitUntil(tools, Date.parse(message.notBefore), Boolean(message.resumed));
    return "done";
  }
  // Only a redelivery, a resumed copy or a manual chain can have history; a first receive reads nothing.
  const hasHistory = received.receiveCount > 1 || message.resumed === true || message.chain !== undefined;
  const history = hasHistory ? await deps.attempts.ofDelivery(message.eventId, message.endpointId) : [];
  const last = latestOfChain(history, message.chain);
  if (last?.status === "succeeded" || last?.status === "skipped") return "done";
  if (last?.status === "exhausted") {
    // A redelivery after the exhausted record was written: finish what may not have been done.
    await endExhausted(tools, received, await endpointOf(message.endpointId), last);
    return "done";
  }
  if (supersededChain(history, message.chain)) return "done";
  const attempt = (last?.attempt ?? 0) + 1;
  const endpoint = await endpointOf(message.endpointId);
  if (!endpoint) {
    await recordAttempt(deps, message, attempt, { status: "skipped", url: "", durationMs: 0, error: "endpoint_deleted" });
    await deps.queue.deadLetter(received.body, "endpoint_deleted");
    return "done";
  }
  if (endpoint.tenantId !== message.tenantId) {
    // Never another tenant's endpoint, and nothing written to its log.
    await deps.queue.deadLetter(received.body, "tenant_mismatch");
    return "done";
  }
  if (!endpoint.enabled) {
    await recordAttempt(deps, message, attempt, { status: "skipped", url: endpoint.url, durationMs: 0, error: "endpoint_disabled" });
    return "done";
  }

  const admission = await admitDelivery(tools, endpoint);
  if (admission.action === "wait") {
    await waitUntil(tools, admission.untilMs, hasHistory);
    return "done";
  }
  const sent = await sendSigned(deps, message, endpoint);
  if (sent.outcome.ok) {
    await recordAttempt(deps, message, attempt, { status: "succeeded", ...sent.fields }, sent.at);
    await bestEffort(tools, "record endpoint health", () => afterSuccess(tools, endpoint, admission.probe, sent, attempt));
    return "done";
  }
  if (sent.outcome.action === "gone") {
    const record = await recordAttempt(deps, message, attempt, { status: "exhausted", ...sent.fields, error: "endpoint_gone" }, sent.at);
    await endExhausted(tools, received, endpoint, record);
    return "done";
  }
  const schedule = endpoint.retrySchedule ?? deps.retrySchedule;
  const delay = backoffSeconds(schedule, attempt, sent.outcome, deps.clock.random, deps.policy.slowDownDelaySeconds);
  if (delay === undefined) {
    const record = await recordAttempt(deps, message, attempt, { status: "exhausted", ...sent.fields }, sent.at);
    await bestEffort(tools, "record endpoint health", () => afterFailure(tools, endpoint, admission.probe));
    await endExhausted(tools, received, endpoint, record);
    return "done";
  }
  const nextAttemptAt = deps.clock.now().getTime() + delay * 1000;
  await recordAttempt(
    deps,
    message,
    attempt,
    { status: "failed", nextAttemptAt: new Date(nextAttemptAt).toISOString(), ...sent.fields },
    sent.at,
  );
  // The retry is scheduled before the health transitions, so that a failure of theirs cannot bring it forward.
  const disposition = await scheduleRetry(tools, received, nextAttemptAt, delay);
  await bestEffort(tools, "record endpoint health", () => afterFailure(tools, endpoint, admission.probe));
  return disposition;
}

/**
 * Schedules the next attempt: by the message's visibility, or, near the redrive limit, as a fresh
 * copy so that SQS's receive count never ends a delivery early (falling back to the visibility if
 * the copy cannot be sent).
 */
async function scheduleRetry(tools: DeliveryTools, received: ReceivedMessage, atMs: number, delay: number): Promise<Disposition> {
  if (tools.requeue && received.receiveCount + RECEIVE_COUNT_SLACK / 2 >= maxReceiveCount(tools.retrySchedule)) {
    try {
      await waitUntil(tools, atMs, true);
      return "done";
    } catch (error) {
      tools.onWarning?.("could not requeue a retry; keeping the message instead", error);
    }
  }
  await tools.queue.retryAfter(received.receiptHandle, delay);
  return "keep";
}

/**
 * Ends an exhausted delivery: the endpoint disabled when the receiver said 410 Gone or it has failed
 * for ENDPOINT_DISABLE_AFTER_HOURS, delivery.exhausted announced, then the message to the dead-letter
 * queue. Every step is idempotent, so a redelivery after a failure midway runs it all again.
 */
async function endExhausted(tools: DeliveryTools, received: ReceivedMessage, endpoint: Endpoint | undefined, record: AttemptRecord) {
  const gone = record.error === "endpoint_gone";
  if (endpoint?.enabled && endpoint.tenantId === record.tenantId) {
    const now = tools.clock.now();
    const failingSince = Date.parse(endpoint.failingSince ?? record.at);
    if (gone) {
      await bestEffort(tools, "disable the endpoint", () => disableEndpoint(tools, endpoint, "gone", record.at));
    } else if (failingSince <= now.getTime() - tools.policy.disableAfterHours * 3_600_000) {
      await bestEffort(tools, "disable the endpoint", () => disableEndpoint(tools, endpoint, "failing", now.toISOString()));
    }
  }
  await announceExhausted(tools, record);
  await tools.queue.deadLetter(received.body, gone ? "endpoint_gone" : "exhausted");
}

/**
 * Runs a step whose failure must not redeliver the message: endpoint health transitions, which
 * the next delivery to the endpoint makes again if this one could not (they are read from the log
 * and the endpoint, not remembered).
 */
async function bestEffort(tools: DeliveryTools, what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    tools.onWarning?.(`could not ${what}`, error);
  }
}

/**
 * Emits delivery.exhausted for an exhausted attempt. Unlike the other announcements it is not best
 * effort: a failure keeps the message, whose redelivery emits it again under the same event id.
 * Deliveries of operational events announce nothing, which could loop.
 */
export async function announceExhausted(tools: DeliveryTools, record: AttemptRecord): Promise<void> {
  if (isOperational(tools.message.type)) return;
  const key = `${record.eventId}:${record.endpointId}:${record.chain ?? ""}`;
  await tools.operational.emit(tools.message.tenantId, "delivery.exhausted", key, record.at, exhaustedData(tools.message, record));
}
