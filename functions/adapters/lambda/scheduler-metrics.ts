import { writeEmf } from "./emf.ts";
import { METRICS_NAMESPACE, SCHEDULE_OVERDUE_METRIC } from "./metric-names.ts";

/**
 * Publishes how overdue the scheduler found held messages, once per run, 0 when none was: a run that
 * does not happen publishes nothing, and the construct's alarm treats missing data as breaching.
 * The local stack has no CloudWatch (format "pretty"), so there it does nothing.
 */
export function publishScheduleOverdue(format: "json" | "pretty", service: string): (seconds: number) => void {
  if (format === "pretty") return () => undefined;
  return (seconds) =>
    writeEmf(METRICS_NAMESPACE, { service }, [{ name: SCHEDULE_OVERDUE_METRIC, unit: "Seconds", value: Math.max(0, seconds) }]);
}
