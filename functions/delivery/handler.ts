import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DeliveryMetrics } from "../adapters/metrics.ts";
import type { DeliveryDeps } from "../core/delivery/deps.ts";
import { deliverBatch } from "../core/delivery/pipeline.ts";

/** The delivery Lambda: sends a batch concurrently and reports the messages the queue must keep. */
export function createDeliveryHandler(given: DeliveryDeps, metrics?: DeliveryMetrics) {
  // The handler counts every attempt itself, so what it emits does not depend on the entry's wiring.
  const deps: DeliveryDeps = metrics
    ? {
        ...given,
        onAttempt: (attempt) => {
          given.onAttempt?.(attempt);
          metrics.attempt(attempt);
        },
      }
    : given;
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const now = Date.now();
    for (const r of event.Records) metrics?.queueAge(now - Number(r.attributes.SentTimestamp));
    const kept = await deliverBatch(
      deps,
      event.Records.map((r) => ({
        messageId: r.messageId,
        receiptHandle: r.receiptHandle,
        body: r.body,
        receiveCount: Number(r.attributes.ApproximateReceiveCount),
      })),
    );
    metrics?.flush();
    return { batchItemFailures: kept.map((itemIdentifier) => ({ itemIdentifier })) };
  });
}
