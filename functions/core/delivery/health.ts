import type { AttemptSummary, DisabledReason, Endpoint } from "../kernel/model.ts";
import { openedCircuit, thresholdReached } from "../policy/circuit-breaker.ts";
import type { Announce } from "./announce.ts";
import type { DeliveryDeps } from "./deps.ts";

/*
 * Endpoint health in the worker. The endpoint item is read once per batch anyway; every write here
 * is a conditional update made only on a transition (failing, healthy, circuit opened, circuit
 * closed, disabled). Each function returns the fields it changed, which the pipeline applies to the
 * batch's copy of the endpoint so that the rest of the batch sees them; none changes its argument.
 */

/** The health fields a transition changed (an undefined value clears the field). */
export type EndpointChange = Partial<
  Pick<Endpoint, "failingSince" | "circuit" | "enabled" | "lane" | "laneSince" | "laneFastSuccesses" | "laneDemotions">
>;

/** After a success: the probe closes the circuit and a run of failures ends. */
export async function afterSuccess(
  deps: Pick<DeliveryDeps, "health">,
  announce: Announce,
  endpoint: Endpoint,
  probe: boolean,
  at: string,
): Promise<EndpointChange> {
  const change: EndpointChange = {};
  if (probe && endpoint.circuit) {
    const { openUntil, openedAt } = endpoint.circuit;
    if (await deps.health.closeCircuit(endpoint.id, openUntil)) {
      change.circuit = undefined;
      await announce("endpoint.circuit_closed", `${endpoint.id}:${openedAt}`, at, { endpointId: endpoint.id, openedAt });
    }
  }
  if (endpoint.failingSince !== undefined) {
    await deps.health.markHealthy(endpoint.id);
    change.failingSince = undefined;
  }
  return change;
}

/**
 * After a failed attempt: a run of two failures or more is dated (failingSince); a failed probe opens the circuit again for twice
 * the cool-down; with the circuit closed, CIRCUIT_FAILURE_THRESHOLD consecutive failures open it.
 * Counting them is a read of the endpoint's newest attempts, made only after a failure.
 */
export async function afterFailure(
  deps: Pick<DeliveryDeps, "health" | "attempts" | "clock" | "policy">,
  announce: Announce,
  endpoint: Endpoint,
  probe: boolean,
): Promise<EndpointChange> {
  const settings = deps.policy.circuit;
  const change: EndpointChange = {};
  const counting = !probe && !endpoint.circuit;
  // One read of the endpoint's newest attempts, after a failure only: it dates a run of failures and counts it for the circuit.
  const newest = Math.max(2, settings.failureThreshold * 2);
  const recent =
    endpoint.failingSince === undefined || counting
      ? deps.attempts.recentOfEndpoint
        ? await deps.attempts.recentOfEndpoint(endpoint.id, newest)
        : (await deps.attempts.byEndpoint(endpoint.id, newest)).items
      : [];
  const run = failureRun(recent);
  let failingSince = endpoint.failingSince;
  // A lone failure between successes is not a run: it costs no health write, and neither does the success after it.
  if (failingSince === undefined && run.length >= 2) {
    failingSince = (run.at(-1) as AttemptSummary).at;
    change.failingSince = failingSince;
    await deps.health.markFailing(endpoint.id, failingSince);
  }
  const reopen = probe || (counting && thresholdReached(recent, settings.failureThreshold));
  if (!reopen) return change;
  const circuit = openedCircuit(deps.clock.now(), probe ? endpoint.circuit : undefined, settings);
  if (!(await deps.health.openCircuit(endpoint.id, circuit, probe ? endpoint.circuit?.openUntil : undefined))) return change;
  change.circuit = circuit;
  await announce("endpoint.circuit_opened", `${endpoint.id}:${circuit.openedAt}`, circuit.openedAt, {
    endpointId: endpoint.id,
    openUntil: circuit.openUntil,
    cooldownSeconds: circuit.cooldownSeconds,
    failingSince,
  });
  return change;
}

/** The newest attempts' leading run of failures (skips and dead-letter records aside), newest first. */
function failureRun(newestFirst: readonly AttemptSummary[]): AttemptSummary[] {
  const run: AttemptSummary[] = [];
  for (const a of newestFirst) {
    if (a.trigger === "dead-letter" || a.status === "skipped") continue;
    if (a.status !== "failed" && a.status !== "exhausted") break;
    run.push(a);
  }
  return run;
}

/** Disables the endpoint (410 Gone, or failing for too long) and announces it, once. */
export async function disableEndpoint(
  deps: Pick<DeliveryDeps, "health">,
  announce: Announce,
  endpoint: Endpoint,
  reason: DisabledReason,
  at: string,
): Promise<EndpointChange> {
  if (!endpoint.enabled) return {};
  // Only once the table says so does the rest of the batch skip the endpoint. False: another worker
  // disabled it first, or it was PATCHed meanwhile (a new URL deserves its own attempts); either way
  // the rest of the batch goes on and finds out for itself.
  if (!(await deps.health.disable(endpoint.id, reason, at, endpoint.url))) return {};
  await announce("endpoint.disabled", `${endpoint.id}:${at}`, at, {
    endpointId: endpoint.id,
    url: endpoint.url,
    reason,
    ...(endpoint.failingSince !== undefined && { failingSince: endpoint.failingSince }),
  });
  return { enabled: false };
}
