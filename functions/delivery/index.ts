import { createRuntime } from "../runtime.ts";
import { createDeliveryHandler } from "./handler.ts";

/** Lambda entry point of the delivery worker (SQS event source, ReportBatchItemFailures). */
const runtime = createRuntime("delivery");

export const handler = createDeliveryHandler({
  endpoints: runtime.endpoints,
  attempts: runtime.attempts,
  http: runtime.http,
  queue: runtime.queue,
  clock: runtime.clock,
  retrySchedule: runtime.config.retrySchedule,
  logRetentionDays: runtime.config.logRetentionDays,
  onAttempt: runtime.log.attempt,
  onError: (message, error) =>
    runtime.log.warn("delivery left to the queue", {
      messageId: message.messageId,
      error: String(error),
      cause: String((error as Error)?.cause ?? ""),
    }),
});
