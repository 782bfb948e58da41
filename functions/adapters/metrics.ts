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
 * and dashboard read; the dead-letter consumer emits Exhausted only). The local stack has no
 * CloudWatch, so there it gathers nothing.
 */
export function createDeliveryMetrics(format: "json" | "pretty", service: string): DeliveryMetrics {
  if (format === "pretty") return { attempt: () => undefined, queueAge: () => undefined, flush: () => undefined };
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  // Counts are summed here and added once per invocation: each addMetric costs a few microseconds
  // in Powertools (measured by `npm run bench`, stage 1), and one value per metric keeps the line short.
  const counts = { Attempts: 0, Successes: 0, Failures: 0, Exhausted: 0 };
  const latencies: number[] = [];
  let oldest = -1;
  return {
    attempt(a) {
      // The dead-letter consumer's entry is no POST: the queue gave up on the message, so it only ends a delivery.
      if (a.trigger === "dead-letter" && a.chain === undefined) counts.Exhausted++;
      if (a.trigger !== "scheduled" || a.status === "skipped") return;
      counts.Attempts++;
      if (a.status === "succeeded") counts.Successes++;
      else counts.Failures++;
      if (a.status === "exhausted") counts.Exhausted++;
      latencies.push(a.durationMs);
    },
    queueAge(ms) {
      oldest = Math.max(oldest, ms);
    },
    flush() {
      for (const [name, value] of Object.entries(counts)) {
        if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
        counts[name as keyof typeof counts] = 0;
      }
      // Latencies stay one value each, so that CloudWatch can compute percentiles.
      for (const ms of latencies) metrics.addMetric("DeliveryLatency", MetricUnit.Milliseconds, ms);
      latencies.length = 0;
      if (oldest >= 0) metrics.addMetric("QueueAge", MetricUnit.Milliseconds, oldest);
      oldest = -1;
      metrics.publishStoredMetrics();
    },
  };
}
