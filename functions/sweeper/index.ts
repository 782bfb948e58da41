import { publishScheduleOverdue } from "../adapters/lambda/scheduler-metrics.ts";
import { createRuntime } from "../runtime.ts";
import { createSweeperHandler } from "./handler.ts";

/** Lambda entry point of the sweeper (two EventBridge schedules: half-sent events, and scheduled messages). */
const runtime = createRuntime("sweeper");

export const handler = runtime.budget.wrap(
  createSweeperHandler(
    {
      events: runtime.events,
      queue: runtime.queue,
      clock: runtime.clock,
      graceSeconds: runtime.config.unsentSweepAfterSeconds,
      schedule: runtime.scheduling.store,
      leadSeconds: runtime.scheduling.leadSeconds,
    },
    runtime.log,
    publishScheduleOverdue(runtime.config.logFormat, "sweeper"),
  ),
);
