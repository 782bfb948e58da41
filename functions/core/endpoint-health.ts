import { circuitGate, openedCircuit, thresholdReached } from "./circuit-breaker.ts";
import { type DeliveryTools, emitAbout } from "./delivery-policy.ts";
import type { Attempted } from "./delivery-send.ts";
import type { AttemptRecord, DisabledReason, Endpoint } from "./model.ts";
import { rateLimitWaitSeconds } from "./rate-limit.ts";

/*
 * Endpoint health in the worker. The endpoint item is read once per batch anyway; every write here
 * is a conditional update made only on a transition (failing, healthy, circuit opened, probe taken,
 * circuit closed, disabled), and the cached endpoint is updated so that the rest of the batch sees it.
 */

/** Whether a delivery goes now (and whether it is the half-open probe) or waits until a time. */
export type Admission = { action: "go"; probe: boolean } | { action: "wait"; untilMs: number };

/** Applies the circuit breaker, then the rate limit: a delivery that may not go waits, unattempted. */
export async function admitDelivery(tools: DeliveryTools, endpoint: Endpoint): Promise<Admission> {
  const now = tools.clock.now();
  const gate = circuitGate(endpoint.circuit, now);
  if (gate.action === "wait") {
    // Spread the waiting deliveries (over up to 5 s, at most a cool-down) so that they do not all arrive at once.
    const spread = Math.min(5_000, (endpoint.circuit?.cooldownSeconds ?? 5) * 1000);
    return { action: "wait", untilMs: gate.untilMs + Math.floor(tools.clock.random() * spread) };
  }
  if (endpoint.rateLimitPerSecond !== undefined) {
    const second = Math.floor(now.getTime() / 1000);
    const count = await tools.rates.take(endpoint.id, second);
    const wait = rateLimitWaitSeconds(count, endpoint.rateLimitPerSecond);
    if (wait > 0) return { action: "wait", untilMs: (second + wait) * 1000 };
  }
  if (gate.action === "go") return { action: "go", probe: false };
  const probeUntil = new Date(now.getTime() + tools.policy.circuit.probeLeaseSeconds * 1000).toISOString();
  if (!(await tools.health.takeProbe(endpoint.id, gate.openUntil, now.toISOString(), probeUntil))) {
    const cooldown = (endpoint.circuit?.cooldownSeconds ?? tools.policy.circuit.cooldownSeconds) * 1000;
    return { action: "wait", untilMs: Math.min(Date.parse(probeUntil), now.getTime() + cooldown) };
  }
  if (endpoint.circuit) endpoint.circuit = { ...endpoint.circuit, state: "half-open", probeUntil };
  return { action: "go", probe: true };
}

/** After a success: the probe closes the circuit, a run of failures ends, a recovered delivery is announced. */
export async function afterSuccess(tools: DeliveryTools, endpoint: Endpoint, probe: boolean, sent: Attempted, attempt: number) {
  // The common case, a first attempt to a healthy endpoint, has nothing to do here.
  if (!probe && endpoint.failingSince === undefined && attempt === 1 && tools.message.recovers !== true) return;
  const at = sent.at.toISOString();
  if (probe && endpoint.circuit) {
    const { openUntil, openedAt } = endpoint.circuit;
    if (await tools.health.closeCircuit(endpoint.id, openUntil)) {
      endpoint.circuit = undefined;
      await emitAbout(tools, "endpoint.circuit_closed", `${endpoint.id}:${openedAt}`, at, { endpointId: endpoint.id, openedAt });
    }
  }
  if (endpoint.failingSince !== undefined) {
    endpoint.failingSince = undefined;
    await tools.health.markHealthy(endpoint.id);
  }
  const { message } = tools;
  if (attempt > 1 || message.recovers === true) {
    await emitAbout(tools, "delivery.recovered", `${message.eventId}:${message.endpointId}:${message.chain ?? ""}`, at, {
      eventId: message.eventId,
      eventType: message.type,
      endpointId: endpoint.id,
      attempt,
      trigger: message.chain === undefined ? "scheduled" : "manual",
      ...(message.chain !== undefined && { chain: message.chain }),
    });
  }
}

/**
 * After a failed attempt: a run of two failures or more is dated (failingSince); a failed probe opens the circuit again for twice
 * the cool-down; with the circuit closed, CIRCUIT_FAILURE_THRESHOLD consecutive failures open it.
 * Counting them is a read of the endpoint's newest attempts, made only after a failure.
 */
export async function afterFailure(tools: DeliveryTools, endpoint: Endpoint, probe: boolean): Promise<void> {
  const settings = tools.policy.circuit;
  const counting = !probe && !endpoint.circuit;
  // One read of the endpoint's newest attempts, after a failure only: it dates a run of failures and counts it for the circuit.
  const recent =
    endpoint.failingSince === undefined || counting
      ? (await tools.attempts.byEndpoint(endpoint.id, Math.max(2, settings.failureThreshold * 2))).items
      : [];
  const run = failureRun(recent);
  // A lone failure between successes is not a run: it costs no health write, and neither does the success after it.
  if (endpoint.failingSince === undefined && run.length >= 2) {
    const since = (run.at(-1) as AttemptRecord).at;
    endpoint.failingSince = since;
    await tools.health.markFailing(endpoint.id, since);
  }
  let reopen = probe;
  if (counting) {
    if (!thresholdReached(recent, settings.failureThreshold)) return;
    reopen = true;
  }
  if (!reopen) return;
  const circuit = openedCircuit(tools.clock.now(), probe ? endpoint.circuit : undefined, settings);
  if (!(await tools.health.openCircuit(endpoint.id, circuit, probe ? endpoint.circuit?.openUntil : undefined))) return;
  endpoint.circuit = circuit;
  await emitAbout(tools, "endpoint.circuit_opened", `${endpoint.id}:${circuit.openedAt}`, circuit.openedAt, {
    endpointId: endpoint.id,
    openUntil: circuit.openUntil,
    cooldownSeconds: circuit.cooldownSeconds,
    failingSince: endpoint.failingSince,
  });
}

/** The newest attempts' leading run of failures (skips and dead-letter records aside), newest first. */
function failureRun(newestFirst: readonly AttemptRecord[]): AttemptRecord[] {
  const run: AttemptRecord[] = [];
  for (const a of newestFirst) {
    if (a.trigger === "dead-letter" || a.status === "skipped") continue;
    if (a.status !== "failed" && a.status !== "exhausted") break;
    run.push(a);
  }
  return run;
}

/** Disables the endpoint (410 Gone, or failing for too long) and announces it, once. */
export async function disableEndpoint(tools: DeliveryTools, endpoint: Endpoint, reason: DisabledReason, at: string): Promise<void> {
  if (!endpoint.enabled) return;
  // Only once the table says so does the rest of the batch skip the endpoint. False: another worker
  // disabled it first, or it was PATCHed meanwhile (a new URL deserves its own attempts); either way
  // the rest of the batch goes on and finds out for itself.
  if (!(await tools.health.disable(endpoint.id, reason, at, endpoint.url))) return;
  endpoint.enabled = false;
  await emitAbout(tools, "endpoint.disabled", `${endpoint.id}:${at}`, at, {
    endpointId: endpoint.id,
    url: endpoint.url,
    reason,
    ...(endpoint.failingSince !== undefined && { failingSince: endpoint.failingSince }),
  });
}
