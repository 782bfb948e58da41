import middy from "@middy/core";
import type { Log } from "../adapters/lambda/logger.ts";
import { type SweeperDeps, sweepUnsent } from "../core/intake/intake-sweeper.ts";

/** The sweeper Lambda, run on a schedule: finishes events whose intake failed midway. */
export function createSweeperHandler(deps: SweeperDeps, log: Log) {
  return middy().handler(async () => {
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
