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
