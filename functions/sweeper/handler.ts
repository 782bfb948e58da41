import middy from "@middy/core";
import type { Log } from "../adapters/lambda/logger.ts";
import { type SweeperDeps, sweepUnsent } from "../core/intake/intake-sweeper.ts";
import { type DeletionDeps, runPendingDeletions, type TenantEraser } from "../core/lifecycle/tenant-deletion.ts";

/** What the sweeper needs to drive tenant deletions: the jobs, the eraser, and whether time is left for another page. */
export type SweeperDeletionDeps = DeletionDeps & { eraser: TenantEraser; more: () => boolean };

/** The sweeper Lambda, run on a schedule: finishes events whose intake failed midway, then drives tenant deletions. */
export function createSweeperHandler(deps: SweeperDeps, deletions: SweeperDeletionDeps, log: Log) {
  return middy().handler(async () => {
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
  });
}
