import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DeliveryMetrics } from "../adapters/lambda/metrics.ts";
import { listBatch } from "../core/delivery/best-effort.ts";
import type { DeliveryDeps, DeliveryServices } from "../core/delivery/deps.ts";
import { deliverBatch } from "../core/delivery/pipeline.ts";
import { deliverOrderedBatch } from "../core/ordering/ordered-batch.ts";
import type { OrderedDeps, OrderedEvent } from "../core/ordering/ordered-deps.ts";

/** The slow lane's event source as the delivery function sees it: which records are its, and its queue's ports. */
export interface SlowLaneSource {
  /** Whether a record's eventSourceARN is the slow lane's queue. */
  isSource(eventSourceArn: string): boolean;
  /** Retries and waiting copies of slow-lane messages stay on the slow lane's queue. */
  ports: Pick<DeliveryServices, "queue" | "requeue">;
}

/** The ordered queue's event source: which records are its, and what the ordered consumer adds to the worker's ports. */
export interface OrderedSource extends Pick<OrderedDeps, "queue" | "retentionSeconds" | "onOrdered"> {
  isSource(eventSourceArn: string): boolean;
}

/**
 * The delivery Lambda: sends a batch concurrently and reports the messages the queue must keep. One
 * function serves both lanes through two event sources; a batch comes from one source, whose ARN
 * tells the lane. `given` carries the fast lane's queue ports; without `slow` every batch is the fast lane's.
 */
export function createDeliveryHandler(given: DeliveryDeps, metrics?: DeliveryMetrics, slow?: SlowLaneSource, ordered?: OrderedSource) {
  // The handler counts every attempt itself, so what it emits does not depend on the entry's wiring.
  const fast: DeliveryDeps = metrics
    ? {
        ...given,
        onAttempt: (attempt) => {
          given.onAttempt?.(attempt);
          metrics.attempt(attempt);
        },
        onLaneMove: (event) => {
          given.onLaneMove?.(event);
          metrics.lane(event);
        },
      }
    : given;
  const onOrdered = (event: OrderedEvent) => {
    ordered?.onOrdered?.(event);
    metrics?.ordered(event);
  };
  const slowDeps: DeliveryDeps | undefined = slow && { ...fast, ...slow.ports, lane: "slow" };
  return async (event: SQSEvent, _context?: Context): Promise<SQSBatchResponse> => {
    const now = Date.now();
    for (const r of event.Records) metrics?.queueAge(now - Number(r.attributes.SentTimestamp));
    const first = event.Records[0];
    const received = event.Records.map((r) => ({
      messageId: r.messageId,
      receiptHandle: r.receiptHandle,
      body: r.body,
      receiveCount: Number(r.attributes.ApproximateReceiveCount),
      sentAtMs: Number(r.attributes.SentTimestamp),
    }));
    const deps = slowDeps && first && slow?.isSource(first.eventSourceARN) ? slowDeps : fast;
    // The ordered queue's batches go line by line (functions/core/ordering/); a third event source of the same function.
    let kept: string[];
    try {
      kept =
        ordered && first && ordered.isSource(first.eventSourceARN)
          ? await deliverOrderedBatch({ ...fast, queue: ordered.queue, retentionSeconds: ordered.retentionSeconds, onOrdered }, received)
          : await deliverBatch(deps, received);
    } finally {
      // Once per batch, not per attempt: the endpoints' attempt lists (issue 27).
      await listBatch(fast);
    }
    metrics?.flush();
    return { batchItemFailures: kept.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
