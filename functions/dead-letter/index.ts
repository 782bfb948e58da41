import { createDeliveryMetrics } from "../adapters/lambda/metrics.ts";
import { createRuntime } from "../runtime.ts";
import { createDeadLetterHandler } from "./handler.ts";

/** Lambda entry point of the dead-letter consumer. */
const runtime = createRuntime("dead-letter");
const metrics = createDeliveryMetrics(runtime.config.logFormat, "dead-letter");

export const handler = runtime.budget.wrap(
  createDeadLetterHandler(
    {
      attempts: runtime.attempts,
      clock: runtime.clock,
      logRetentionDays: runtime.config.logRetentionDays,
      tenantStatus: runtime.tenantStatus,
      operational: runtime.operational,
      recoveries: runtime.recoveries,
      onWarning: (what, error) => runtime.log.warn(what, { error: String(error) }),
      onExhausted: runtime.log.attempt,
      onUnreadable: (body) => runtime.log.warn("unreadable dead letter dropped", { bytes: body.length }),
    },
    metrics,
  ),
);
