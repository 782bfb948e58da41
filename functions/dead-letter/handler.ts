import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DeliveryMetrics } from "../adapters/lambda/metrics.ts";
import { listBatch } from "../core/delivery/best-effort.ts";
import { consumeDeadLetter, type DeadLetterDeps } from "../core/delivery/dead-letters.ts";
import { mapWithConcurrency } from "../core/kernel/concurrency.ts";
import type { AttemptRecord } from "../core/kernel/model.ts";
import { UNSENDABLE } from "../core/kernel/queue-message.ts";

/**
 * The dead-letter consumer: records every dead-lettered delivery as exhausted, and every delivery of
 * an unsendable-event notice as exhausted with error "unsendable", then lets the message go.
 */
export function createDeadLetterHandler(deps: DeadLetterDeps & { onExhausted?: (a: AttemptRecord) => void }, metrics?: DeliveryMetrics) {
  return async (event: SQSEvent, _context?: Context): Promise<SQSBatchResponse> => {
    const failed = await mapWithConcurrency(event.Records, 16, async (record) => {
      try {
        const ended = await consumeDeadLetter(deps, record.body, record.messageAttributes?.reason?.stringValue);
        for (const entry of ended) {
          deps.onExhausted?.(entry);
          metrics?.attempt(entry);
        }
        // One notice is one event: counted once, when it ended a delivery (not again on a redelivered notice).
        if (ended.some((entry) => entry.error === UNSENDABLE)) metrics?.unsendable();
        return undefined;
      } catch {
        return record.messageId;
      }
    });
    await listBatch(deps);
    metrics?.flush();
    return { batchItemFailures: failed.filter((id) => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
