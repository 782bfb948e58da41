import type { LaneEvent } from "../../core/delivery/deps.ts";
import type { AttemptRecord } from "../../core/kernel/model.ts";
import type { OrderedEvent } from "../../core/ordering/ordered-deps.ts";
import { type EmfValue, writeEmf } from "./emf.ts";
import { LANE_METRICS, METRICS_NAMESPACE, ORDERED_METRICS, UNSENDABLE_METRIC } from "./metric-names.ts";

/** Delivery metrics: attempts and their outcomes, latency, and how long messages waited in the queue. */
export interface DeliveryMetrics {
  attempt(attempt: AttemptRecord): void;
  queueAge(milliseconds: number): void;
  /** A message or an endpoint changed lanes. */
  lane(event: LaneEvent): void;
  /** An ordered line was held, its head given up, or its endpoint disabled as stuck (functions/core/ordering/). */
  ordered(event: OrderedEvent): void;
  /** An event's deliveries ended unsendable: the queue refused its messages for good. */
  unsendable(): void;
  /** Writes what was gathered during one invocation. */
  flush(): void;
}

/**
 * CloudWatch embedded metric format in Lambda, written by emf.ts (namespace Hookrelay, dimension
 * `service`; metric names Attempts, Successes, Failures, Exhausted, DeliveryLatency, QueueAge and the lane counts of
 * LANE_METRICS, which the construct's alarms and dashboard read; the dead-letter consumer emits
 * Exhausted and UnsendableEvents only). The local stack has no CloudWatch, so there it gathers nothing.
 */
export function createDeliveryMetrics(format: "json" | "pretty", service: string): DeliveryMetrics {
  if (format === "pretty") {
    return {
      attempt: () => undefined,
      queueAge: () => undefined,
      lane: () => undefined,
      ordered: () => undefined,
      unsendable: () => undefined,
      flush: () => undefined,
    };
  }
  const dimensions = { service };
  // Counts are summed here and written once per invocation: one value per metric keeps the line short.
  const counts = { Attempts: 0, Successes: 0, Failures: 0, Exhausted: 0, [UNSENDABLE_METRIC]: 0 };
  const laneCounts = new Map<string, number>();
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
    unsendable() {
      counts[UNSENDABLE_METRIC]++;
    },
    lane(event) {
      const name = LANE_METRICS[event.kind];
      laneCounts.set(name, (laneCounts.get(name) ?? 0) + 1);
    },
    ordered(event) {
      const name = ORDERED_METRICS[event.kind];
      laneCounts.set(name, (laneCounts.get(name) ?? 0) + 1);
    },
    flush() {
      const values: EmfValue[] = [];
      for (const [name, value] of Object.entries(counts)) {
        if (value > 0) values.push({ name, unit: "Count", value });
        counts[name as keyof typeof counts] = 0;
      }
      for (const [name, value] of laneCounts) values.push({ name, unit: "Count", value });
      laneCounts.clear();
      // Latencies stay one value each, so that CloudWatch can compute percentiles.
      for (const ms of latencies) values.push({ name: "DeliveryLatency", unit: "Milliseconds", value: ms });
      latencies.length = 0;
      if (oldest >= 0) values.push({ name: "QueueAge", unit: "Milliseconds", value: oldest });
      oldest = -1;
      writeEmf(METRICS_NAMESPACE, dimensions, values);
    },
  };
}
