/**
 * Queue and function settings derived from the retry schedule and the delivery timeout. The CDK
 * construct and the local stack both take them from here, so the local queues behave like the
 * deployed ones. No CDK import: the local stack loads this file.
 */
import type { RetrySchedule } from "../functions/core/policy/retry-schedule.ts";
import {
  MAX_RETENTION_SECONDS,
  maxReceiveCount,
  queueRetentionSeconds,
  RECEIVE_COUNT_SLACK,
} from "../functions/core/policy/retry-schedule.ts";

export { RECEIVE_COUNT_SLACK };

export const RESOURCE_NAMES = {
  deliveryQueue: "hookrelay-deliveries",
  slowQueue: "hookrelay-slow-deliveries",
  deadLetterQueue: "hookrelay-dead-letters",
  orderedQueue: "hookrelay-ordered.fifo",
  orderedDeadLetterQueue: "hookrelay-ordered-dead-letters.fifo",
  pushDeadlineQueue: "hookrelay-push-deadlines",
  table: "hookrelay",
} as const;

/**
 * The WebSocket push's subscribe-deadline queue (a message per connection, due 10 s after $connect).
 * A message the consumer failed comes back after the visibility timeout (6 x the push function's
 * 30 s, as AWS advises for an event source); past the retention it is dropped, by when the sweep's
 * backstop has closed its connection anyway. No dead-letter queue: a lost deadline costs only that.
 */
export const PUSH_DEADLINE_QUEUE = { visibilityTimeoutSeconds: 180, retentionSeconds: 600 } as const;

export interface QueueSettings {
  /** The delivery function's timeout: the HTTP timeout plus time to sign, log and report. */
  deliveryFunctionTimeoutSeconds: number;
  /** At least 6 x the function timeout, as AWS advises for an SQS event source. */
  visibilityTimeoutSeconds: number;
  /** Longer than the whole retry window, jitter included, plus a day. */
  retentionSeconds: number;
  /** Every scheduled attempt plus RECEIVE_COUNT_SLACK: the worker dead-letters exhausted messages itself. */
  maxReceiveCount: number;
  deadLetterRetentionSeconds: number;
}

/** Derives the queue settings; throws when the schedule cannot fit in SQS's 14-day retention. */
export function queueSettings(schedule: RetrySchedule, deliveryTimeoutMs: number): QueueSettings {
  const deliveryFunctionTimeoutSeconds = Math.ceil(deliveryTimeoutMs / 1000) + 15;
  const retentionSeconds = queueRetentionSeconds(schedule);
  if (retentionSeconds > MAX_RETENTION_SECONDS) {
    throw new Error(`The retry schedule spans more than SQS's 14-day retention allows (${retentionSeconds} s needed)`);
  }
  return {
    deliveryFunctionTimeoutSeconds,
    visibilityTimeoutSeconds: 6 * deliveryFunctionTimeoutSeconds,
    retentionSeconds,
    maxReceiveCount: maxReceiveCount(schedule),
    deadLetterRetentionSeconds: MAX_RETENTION_SECONDS,
  };
}
