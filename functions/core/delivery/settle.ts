import type { DeliveryMessage, Endpoint } from "../kernel/model.ts";
import { backoffSeconds, maxReceiveCount, RECEIVE_COUNT_SLACK } from "../policy/retry-schedule.ts";
import { type Announce, announceRecovered } from "./announce.ts";
import { recordAttempt } from "./attempt-record.ts";
import type { BatchEndpoints } from "./batch-endpoints.ts";
import type { DeliveryDeps, ReceivedMessage } from "./deps.ts";
import { endExhausted } from "./exhausted.ts";
import { afterFailure, afterSuccess, type EndpointChange } from "./health.ts";
import type { Attempted } from "./send.ts";
import { sendWaitingCopy } from "./waiting.ts";

/*
 * The settle decision: what a sent attempt comes to (judge), and what follows from it (settle): the
 * attempt logged, then a retry scheduled or the delivery ended, then the endpoint's health.
 */

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

/** Whether the queue keeps the message (retried by its visibility) or is done with it. */
export type Disposition = "done" | "keep";

/** One sent attempt of a delivery, as the pipeline hands it over to be settled. */
export interface SentAttempt {
  received: ReceivedMessage;
  message: DeliveryMessage;
  attempt: number;
  /** It was the half-open circuit's probe. */
  probe: boolean;
  sent: Attempted;
}

/** The batch's hold on the delivery's endpoint: its copy as it is now, and a health step applied to that copy, best effort. */
export interface EndpointHold {
  endpoints: BatchEndpoints;
  current: () => Promise<Endpoint>;
  health: (step: (now: Endpoint) => Promise<EndpointChange>) => Promise<void>;
  announce: Announce;
}

/**
 * Acts on the verdict: logs the attempt, then ends the delivery (gone, exhausted) or schedules its
 * retry, then makes the endpoint's health transitions; returns what the queue does with the message.
 */
export async function settle(
  deps: Pick<
    DeliveryDeps,
    | "attempts"
    | "clock"
    | "logRetentionDays"
    | "health"
    | "policy"
    | "operational"
    | "queue"
    | "requeue"
    | "retrySchedule"
    | "onAttempt"
    | "onWarning"
  >,
  { received, message, attempt, probe, sent }: SentAttempt,
  verdict: Verdict,
  hold: EndpointHold,
): Promise<Disposition> {
  const { current, health, announce } = hold;
  const ender = { by: "worker", ports: deps, received, endpoints: hold.endpoints, announce } as const;
  switch (verdict.kind) {
    case "succeeded": {
      await recordAttempt(deps, message, attempt, { status: "succeeded", ...sent.fields }, sent.at);
      const recovered = attempt > 1 || message.recovers === true;
      // The common case, a first attempt to a healthy endpoint, has nothing to do here.
      if (!probe && (await current()).failingSince === undefined && !recovered) return "done";
      const at = sent.at.toISOString();
      await health(async (now) => {
        const change = await afterSuccess(deps, announce, now, probe, at);
        if (recovered) await announceRecovered(announce, message, attempt, at);
        return change;
      });
      return "done";
    }
    case "gone": {
      const fields = { status: "exhausted", ...sent.fields, error: "endpoint_gone" } as const;
      const record = await recordAttempt(deps, message, attempt, fields, sent.at);
      await endExhausted(deps, message, record, ender);
      return "done";
    }
    case "exhausted": {
      const record = await recordAttempt(deps, message, attempt, { status: "exhausted", ...sent.fields }, sent.at);
      await health((now) => afterFailure(deps, announce, now, probe));
      await endExhausted(deps, message, record, ender);
      return "done";
    }
    case "retry": {
      const nextAttemptAt = new Date(verdict.atMs).toISOString();
      await recordAttempt(deps, message, attempt, { status: "failed", nextAttemptAt, ...sent.fields }, sent.at);
      // The retry is scheduled before the health transitions, so that a failure of theirs cannot bring it forward.
      const disposition = await scheduleRetry(deps, received, message, verdict);
      await health((now) => afterFailure(deps, announce, now, probe));
      return disposition;
    }
  }
}

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
