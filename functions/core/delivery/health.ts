import { openedCircuit, thresholdReached } from "../circuit-breaker.ts";
import type { AttemptRecord, DisabledReason, Endpoint } from "../model.ts";
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
  Pick<Endpoint, "failingSince" | "failureStreak" | "circuit" | "enabled" | "lane" | "laneSince" | "laneFastSuccesses">
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
  if (endpoint.failingSince !== undefined || endpoint.failureStreak) {
    await deps.health.markHealthy(endpoint.id);
    change.failingSince = undefined;
    change.failureStreak = undefined;
  }
  return change;
}

/**
 * After a failed attempt: a run of two failures or more is dated (failingSince); a failed probe opens the circuit again for twice
 * the cool-down; with the circuit closed, CIRCUIT_FAILURE_THRESHOLD consecutive failures open it.
 *
 * Each failure adds one to the endpoint's streak (one write). The streak is only a signal: a success
 * racing a failure can leave it high, so the log of the endpoint's newest attempts confirms a
 * transition before it is made, and a streak the log shows too high is set back to the log's run.
 * The log is read when the streak reaches 2 with no run dated yet, and at each multiple of the
 * threshold while the circuit is closed: twice in a run that opens the circuit, instead of once
 * per failure (the read merges the attempt list's 16 shards).
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
  const dating = endpoint.failingSince === undefined;
  const streak = counting || dating ? await deps.health.countFailure(endpoint.id) : 0;
  if (streak > 0) change.failureStreak = streak;
  const confirmRun = dating && streak === 2;
  const confirmCircuit = counting && streak > 0 && streak % settings.failureThreshold === 0;
  const recent =
    confirmRun || confirmCircuit || (probe && dating)
      ? (await deps.attempts.byEndpoint(endpoint.id, Math.max(2, settings.failureThreshold * 2))).items
      : [];
  const { run, ended } = failureRun(recent);
  // The log saw the run end (a success) closer than the streak says: a success's reset was lost to a race.
  if (ended && run.length < streak && (await deps.health.correctStreak(endpoint.id, streak, run.length))) {
    change.failureStreak = run.length;
  }
  let failingSince = endpoint.failingSince;
  // A lone failure between successes is not a run: the success after it only clears the streak.
  if (failingSince === undefined && run.length >= 2) {
    failingSince = (run.at(-1) as AttemptRecord).at;
    change.failingSince = failingSince;
    await deps.health.markFailing(endpoint.id, failingSince);
  }
  const reopen = probe || (confirmCircuit && thresholdReached(recent, settings.failureThreshold));
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

/**
 * The newest attempts' leading run of failures (skips and dead-letter records aside), newest first,
 * and whether the attempts read show where it began (an attempt that did not fail).
 */
function failureRun(newestFirst: readonly AttemptRecord[]): { run: AttemptRecord[]; ended: boolean } {
  const run: AttemptRecord[] = [];
  for (const a of newestFirst) {
    if (a.trigger === "dead-letter" || a.status === "skipped") continue;
    if (a.status !== "failed" && a.status !== "exhausted") return { run, ended: true };
    run.push(a);
  }
  return { run, ended: false };
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
