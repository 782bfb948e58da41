import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { AttemptRecord } from "../core/model.ts";

/** Delivery metrics: attempts and their outcomes, latency, and how long messages waited in the queue. */
export interface DeliveryMetrics {
  attempt(attempt: AttemptRecord): void;
  queueAge(milliseconds: number): void;
  /** Writes what was gathered during one invocation. */
  flush(): void;
}

export const METRICS_NAMESPACE = "Hookrelay";

/**
 * CloudWatch embedded metric format through Powertools in Lambda (namespace Hookrelay; metric names
 * Attempts, Successes, Failures, Exhausted, DeliveryLatency, QueueAge, which the construct's alarms
 * and dashboard read). The local stack has no CloudWatch, so there it gathers nothing.
 */
export function createDeliveryMetrics(format: "json" | "pretty", service: string): DeliveryMetrics {
  if (format === "pretty") return { attempt: () => undefined, queueAge: () => undefined, flush: () => undefined };
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  let oldest = -1;
  return {
    attempt(a) {
      if (a.trigger !== "scheduled" || a.status === "skipped") return;
      metrics.addMetric("Attempts", MetricUnit.Count, 1);
      metrics.addMetric(a.status === "succeeded" ? "Successes" : "Failures", MetricUnit.Count, 1);
      if (a.status === "exhausted") metrics.addMetric("Exhausted", MetricUnit.Count, 1);
      metrics.addMetric("DeliveryLatency", MetricUnit.Milliseconds, a.durationMs);
    },
    queueAge(ms) {
      oldest = Math.max(oldest, ms);
    },
    flush() {
      if (oldest >= 0) metrics.addMetric("QueueAge", MetricUnit.Milliseconds, oldest);
      oldest = -1;
      metrics.publishStoredMetrics();
    },
  };
}
