import { DynamoTenantEraser } from "../adapters/dynamo/dynamo-tenant-eraser.ts";
import { publishScheduleOverdue } from "../adapters/lambda/scheduler-metrics.ts";
import { createRuntime } from "../runtime.ts";
import { createSweeperHandler } from "./handler.ts";

/** Lambda entry point of the sweeper (two EventBridge schedules: half-sent events and tenant deletions, and scheduled messages). */
const runtime = createRuntime("sweeper");

/** Kept back from the sweeper's deadline when it stops taking another page of a tenant deletion. */
const DELETION_RESERVE_MS = 10_000;

export const handler = runtime.budget.wrap(
  createSweeperHandler(
    {
      events: runtime.events,
      queue: runtime.deliveries,
      clock: runtime.clock,
      graceSeconds: runtime.config.unsentSweepAfterSeconds,
      schedule: runtime.scheduling.store,
      leadSeconds: runtime.scheduling.leadSeconds,
    },
    {
      tenants: runtime.tenants,
      deletions: runtime.tenants,
      eraser: new DynamoTenantEraser(runtime.dynamo, runtime.config.tableName),
      clock: runtime.clock,
      more: () => runtime.budget.remainingMs() > DELETION_RESERVE_MS,
    },
    runtime.log,
    publishScheduleOverdue(runtime.config.logFormat, "sweeper"),
  ),
);
