import type { DeliveryDeps } from "./deps.ts";

/**
 * Runs a step whose failure must not redeliver the message: endpoint health transitions, which
 * the next delivery to the endpoint makes again if this one could not (they are read from the log
 * and the endpoint, not remembered).
 */
export async function bestEffort(deps: Pick<DeliveryDeps, "onWarning">, what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    deps.onWarning?.(`could not ${what}`, error);
  }
}

/**
 * Lists the batch's attempts on their endpoints' lists (one write per endpoint and batch, see
 * AttemptLog.flushLists), after every message of the batch was recorded. A failure keeps them for
 * the next batch's flush and costs no redelivery: each attempt is recorded in its event's partition
 * (what retries, replay and the event's view read); the endpoint's list lacks it until then.
 */
export function listBatch(
  deps: Pick<DeliveryDeps, "onWarning"> & { attempts: Pick<DeliveryDeps["attempts"], "flushLists"> },
): Promise<void> {
  return bestEffort(deps, "list the batch's attempts", async () => deps.attempts.flushLists?.());
}
