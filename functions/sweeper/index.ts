import { createRuntime } from "../runtime.ts";
import { createSweeperHandler } from "./handler.ts";

/** Lambda entry point of the sweeper (EventBridge schedule). */
const runtime = createRuntime("sweeper");

export const handler = runtime.budget.wrap(
  createSweeperHandler(
    { events: runtime.events, queue: runtime.deliveries, clock: runtime.clock, graceSeconds: runtime.config.unsentSweepAfterSeconds },
    runtime.log,
  ),
);
