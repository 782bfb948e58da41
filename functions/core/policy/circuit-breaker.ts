import type { AttemptSummary, CircuitState } from "../kernel/model.ts";

/** The circuit breaker's settings (CIRCUIT_* in the configuration). */
export interface CircuitSettings {
  /** Consecutive failed attempts that open the circuit. */
  failureThreshold: number;
  /** The first cool-down, in seconds; it doubles after each failed probe. */
  cooldownSeconds: number;
  maxCooldownSeconds: number;
  /** How long a worker holds the half-open probe before another may take it over. */
  probeLeaseSeconds: number;
}

/** What a delivery to an endpoint may do now: go, wait until a time, or try to be the half-open probe. */
export type CircuitGate = { action: "go" } | { action: "wait"; untilMs: number } | { action: "probe"; openUntil: string };

/** Decides from the endpoint's circuit whether a delivery goes, waits, or probes. */
export function circuitGate(circuit: CircuitState | undefined, now: Date): CircuitGate {
  if (!circuit) return { action: "go" };
  const nowMs = now.getTime();
  const openUntilMs = Date.parse(circuit.openUntil);
  if (circuit.state === "open" && nowMs < openUntilMs) return { action: "wait", untilMs: openUntilMs };
  const probeUntilMs = circuit.probeUntil ? Date.parse(circuit.probeUntil) : 0;
  // While a probe is out, wait for it, but no longer than a cool-down: most probes answer well before their lease ends.
  if (circuit.state === "half-open" && nowMs < probeUntilMs) {
    return { action: "wait", untilMs: Math.min(probeUntilMs, nowMs + circuit.cooldownSeconds * 1000) };
  }
  return { action: "probe", openUntil: circuit.openUntil };
}

/** A newly opened circuit: the first cool-down, or twice the previous one (a failed probe), capped. */
export function openedCircuit(now: Date, previous: CircuitState | undefined, settings: CircuitSettings): CircuitState {
  const cooldownSeconds = previous
    ? Math.min(previous.cooldownSeconds * 2, settings.maxCooldownSeconds)
    : Math.min(settings.cooldownSeconds, settings.maxCooldownSeconds);
  return {
    state: "open",
    openedAt: now.toISOString(),
    openUntil: new Date(now.getTime() + cooldownSeconds * 1000).toISOString(),
    cooldownSeconds,
  };
}

/** True when the newest `threshold` real attempts (newest first; skips and dead-letter records aside) all failed. */
export function thresholdReached(newestFirst: readonly AttemptSummary[], threshold: number): boolean {
  const real = newestFirst.filter((a) => a.trigger !== "dead-letter" && a.status !== "skipped").slice(0, threshold);
  return real.length === threshold && real.every((a) => a.status === "failed" || a.status === "exhausted");
}

/** The circuit as the API shows it: closed, open until a time, or half-open (the next delivery probes). */
export function circuitView(circuit: CircuitState | undefined, now: Date): { state: "closed" | "open" | "half-open"; openUntil?: string } {
  if (!circuit) return { state: "closed" };
  if (circuit.state === "open" && now.getTime() < Date.parse(circuit.openUntil)) return { state: "open", openUntil: circuit.openUntil };
  return { state: "half-open" };
}
