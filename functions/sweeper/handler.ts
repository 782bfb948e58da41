import middy from "@middy/core";
import type { Log } from "../adapters/lambda/logger.ts";
import { type SweeperDeps, sweepUnsent } from "../core/intake/intake-sweeper.ts";
import { moveDueMessages, type SchedulerDeps } from "../core/scheduling/scheduler.ts";

/** The job a run does: `unsent` (its 5-minute rule, and any event without a job) or `scheduled` (its 1-minute rule). */
export interface SweepEvent {
  job?: "unsent" | "scheduled";
}

/**
 * The sweeper Lambda, run on two schedules: finishes events whose intake failed midway, and moves
 * held scheduled messages that fall due to the delivery queue (docs/scheduling.md).
 */
export function createSweeperHandler(deps: SweeperDeps & SchedulerDeps, log: Log, overdue: (seconds: number) => void) {
  return middy<SweepEvent | undefined>().handler(async (event) => {
    if (event?.job === "scheduled") {
      const run = await moveDueMessages(deps);
      overdue(run.overdueSeconds);
      if (run.moved.length + run.dropped.length + run.failed.length > 0) {
        log.info("moved scheduled messages", { ...count(run), overdueSeconds: run.overdueSeconds });
      }
      return run;
    }
    const result = await sweepUnsent(deps);
    if (result.finished.length > 0 || result.failed.length > 0) {
      log.info("swept half-sent events", {
        finished: result.finished.length,
        failed: result.failed.length,
        unsendable: result.unsendable.length,
      });
    }
    return result;
  });
}

function count(run: { moved: string[]; dropped: string[]; failed: string[] }) {
  return { moved: run.moved.length, dropped: run.dropped.length, failed: run.failed.length };
}
