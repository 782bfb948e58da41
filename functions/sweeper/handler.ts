import type { Context } from "aws-lambda";
import type { Log } from "../adapters/lambda/logger.ts";
import { type SweeperDeps, sweepUnsent } from "../core/intake/intake-sweeper.ts";
import { type DeletionDeps, runPendingDeletions, type TenantEraser } from "../core/lifecycle/tenant-deletion.ts";
import { moveDueMessages, type SchedulerDeps } from "../core/scheduling/scheduler.ts";

/** The job a run does: `unsent` (its 5-minute rule, and any event without a job) or `scheduled` (its 1-minute rule). */
export interface SweepEvent {
  job?: "unsent" | "scheduled";
}

/** What the sweeper needs to drive tenant deletions: the jobs, the eraser, and whether time is left for another page. */
export type SweeperDeletionDeps = DeletionDeps & { eraser: TenantEraser; more: () => boolean };

/**
 * The sweeper Lambda, run on two schedules: every 5 minutes it finishes events whose intake failed
 * midway, then drives tenant deletions (docs/lifecycle.md); every minute it moves held scheduled
 * messages that fall due to the delivery queue (docs/scheduling.md).
 */
export function createSweeperHandler(
  deps: SweeperDeps & SchedulerDeps,
  deletions: SweeperDeletionDeps,
  log: Log,
  overdue: (seconds: number) => void,
) {
  return async (event?: SweepEvent, _context?: Context) => {
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
    const ran = await runPendingDeletions(deletions, deletions.more);
    for (const job of ran) log.info("tenant deletion", { tenantId: job.tenantId, state: job.state, step: job.step, removed: job.removed });
    return { ...result, deletions: ran.map((j) => ({ tenantId: j.tenantId, state: j.state })) };
  };
}

function count(run: { moved: string[]; dropped: string[]; failed: string[] }) {
  return { moved: run.moved.length, dropped: run.dropped.length, failed: run.failed.length };
}
