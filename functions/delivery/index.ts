import { RECORD_BUDGET_MS } from "../adapters/dynamo/dynamo-attempt-log.ts";
import { createOutboundSender } from "../adapters/http/outbound-sender.ts";
import { createDeliveryMetrics } from "../adapters/lambda/metrics.ts";
import { sharingNewestReads } from "../core/delivery/shared-reads.ts";
import { ConfigError } from "../core/kernel/errors.ts";
import { orderedLine } from "../core/ordering/ordered-log.ts";
import { ORDERED_RETENTION_SECONDS } from "../core/ordering/receive-budget.ts";
import { createRuntime } from "../runtime.ts";
import { createDeliveryHandler } from "./handler.ts";

/** Lambda entry point of the delivery worker (SQS event source, ReportBatchItemFailures). */
const runtime = createRuntime("delivery");
const metrics = createDeliveryMetrics(runtime.config.logFormat, "delivery");
// Without the slow lane's queue the fast lane could not forward a slow endpoint's deliveries anywhere.
const slowLane = runtime.slowLane;
if (!slowLane) throw new ConfigError("SLOW_QUEUE_URL must be set for the delivery function");

export const handler = runtime.budget.wrap(
  createDeliveryHandler(
    {
      endpoints: runtime.endpoints,
      // Made once per container: failures of one endpoint settling together share one read of its attempts.
      attempts: sharingNewestReads(runtime.attempts),
      // Starts a POST only when the POST and its log fit in the invocation's time.
      http: runtime.budget.guardSender(createOutboundSender(runtime.config), runtime.config.deliveryTimeoutMs, RECORD_BUDGET_MS),
      feed: runtime.feed,
      destinations: runtime.destinations.delivery,
      queue: runtime.queue,
      clock: runtime.clock,
      retrySchedule: runtime.config.retrySchedule,
      logRetentionDays: runtime.config.logRetentionDays,
      tenantStatus: runtime.tenantStatus,
      requeue: runtime.requeue,
      health: runtime.health,
      rates: runtime.rates,
      operational: runtime.operational,
      policy: runtime.policy,
      lane: "fast",
      slowLane: slowLane.requeue,
      // A due scheduled delivery of an ordered endpoint joins its line through the routing queue.
      ...(runtime.ordered && { line: runtime.deliveries }),
      recovery: {
        attempts: runtime.attempts,
        events: runtime.events,
        // A recovery of an ordered endpoint resends through its ordered line.
        queue: runtime.deliveries,
        requeue: runtime.requeue,
        recoveries: runtime.recoveries,
        clock: runtime.clock,
        tenantStatus: runtime.tenantStatus,
      },
      onAttempt: runtime.log.attempt,
      onError: (message, error) =>
        runtime.log.warn("delivery left to the queue", {
          messageId: message.messageId,
          error: String(error),
          cause: String((error as Error)?.cause ?? ""),
        }),
      onWarning: (what, error) => runtime.log.warn(what, { error: String(error), cause: String((error as Error)?.cause ?? "") }),
      // Messages move often while an endpoint is slow; an endpoint changing lanes is worth a line.
      onLaneMove: (event) => {
        if (event.kind === "entered_slow" || event.kind === "left_slow") runtime.log.info("endpoint lane changed", { ...event });
      },
    },
    metrics,
    { isSource: slowLane.isSource, ports: { queue: slowLane.queue, requeue: slowLane.requeue } },
    runtime.ordered && {
      isSource: runtime.ordered.isSource,
      queue: runtime.ordered.queue,
      retentionSeconds: ORDERED_RETENTION_SECONDS,
      onOrdered: (event) => runtime.log[event.kind === "held" ? "info" : "warn"](orderedLine(event), { ...event }),
    },
  ),
);
