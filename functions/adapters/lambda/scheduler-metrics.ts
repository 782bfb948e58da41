import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE, SCHEDULE_OVERDUE_METRIC } from "./metric-names.ts";

/**
 * Publishes how overdue the scheduler found held messages, once per run, 0 when none was: a run that
 * does not happen publishes nothing, and the construct's alarm treats missing data as breaching.
 * The local stack has no CloudWatch (format "pretty"), so there it does nothing.
 */
export function publishScheduleOverdue(format: "json" | "pretty", service: string): (seconds: number) => void {
  if (format === "pretty") return () => undefined;
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  return (seconds) => {
    metrics.addMetric(SCHEDULE_OVERDUE_METRIC, MetricUnit.Seconds, Math.max(0, seconds));
    metrics.publishStoredMetrics();
  };
}
