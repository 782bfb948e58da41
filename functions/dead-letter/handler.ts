import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DeliveryMetrics } from "../adapters/metrics.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { type DeadLetterDeps, recordDeadLetter } from "../core/delivery/dead-letters.ts";
import type { AttemptRecord } from "../core/model.ts";

/** The dead-letter consumer: records every dead-lettered delivery as exhausted, then lets the message go. */
export function createDeadLetterHandler(deps: DeadLetterDeps & { onExhausted?: (a: AttemptRecord) => void }, metrics?: DeliveryMetrics) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const failed = await mapWithConcurrency(event.Records, 16, async (record) => {
      try {
        const entry = await recordDeadLetter(deps, record.body, record.messageAttributes?.reason?.stringValue);
        if (entry) {
          deps.onExhausted?.(entry);
          metrics?.attempt(entry);
        }
        return undefined;
      } catch {
        return record.messageId;
      }
    });
    metrics?.flush();
    return { batchItemFailures: failed.filter((id) => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  });
}
