import type { AttemptRecord, DeliveryMessage, Endpoint } from "../kernel/model.ts";
import { circuitGate } from "../policy/circuit-breaker.ts";
import { rateLimitWaitSeconds } from "../policy/rate-limit.ts";
import type { DeliveryDeps, ReceivedMessage } from "./deps.ts";
import type { EndpointChange } from "./health.ts";
import { latestOfChain, supersededChain } from "./history.ts";
import { forwardsToSlowLane } from "./lanes.ts";

/** Why a delivery is recorded as skipped rather than sent. */
export type SkipReason = "endpoint_deleted" | "endpoint_disabled";

/** What to do with a delivery message before anything is sent. */
export type Admission =
  /** Nothing left to do: delivered, skipped, or superseded by another chain. */
  | { kind: "done" }
  /** Not yet: a fresh copy waits until `untilMs` (`resumed`: it has history to read when it comes back). */
  | { kind: "wait"; untilMs: number; resumed: boolean }
  /** Exhausted before a crash or an outage: finish its ending. */
  | { kind: "ended"; record: AttemptRecord }
  /** Recorded as skipped (and, for a deleted endpoint, dead-lettered) without a request. */
  | { kind: "skip"; attempt: number; url: string; reason: SkipReason }
  /** Another tenant's endpoint: dead-lettered, nothing written to its log. */
  | { kind: "drop"; reason: "tenant_mismatch" }
  /** The endpoint is in the slow or probation lane and this is the fast lane: sent there unattempted. */
  | { kind: "forward"; hasHistory: boolean }
  /** Send attempt `attempt` now; `probe`: it is the half-open circuit's probe, whose taking `change` records. */
  | { kind: "go"; endpoint: Endpoint; attempt: number; probe: boolean; change: EndpointChange };

/**
 * Decides whether a delivery goes now: its waiting time, its chain's history, its endpoint (deleted,
 * another tenant's, disabled), its lane, then the circuit breaker and the rate limit.
 */
export async function admit(
  deps: Pick<DeliveryDeps, "attempts" | "clock" | "health" | "rates" | "policy" | "lane">,
  received: ReceivedMessage,
  message: DeliveryMessage,
  endpointOf: (id: string) => Promise<Endpoint | undefined>,
): Promise<Admission> {
  // A copy that waits longer than SQS's 15-minute delay hops until its time comes, reading nothing.
  if (message.notBefore && Date.parse(message.notBefore) > deps.clock.now().getTime() + 1000) {
    return { kind: "wait", untilMs: Date.parse(message.notBefore), resumed: Boolean(message.resumed) };
  }
  // Only a redelivery, a resumed copy or a manual chain can have history; a first receive reads nothing.
  const hasHistory = received.receiveCount > 1 || message.resumed === true || message.chain !== undefined;
  const history = hasHistory ? await deps.attempts.ofDelivery(message.eventId, message.endpointId) : [];
  const last = latestOfChain(history, message.chain);
  // A redelivered message whose delivery is finished may come from a batch that died before listing it.
  if (last && last.status !== "failed" && received.receiveCount > 1) deps.attempts.listAgain?.(last);
  if (last?.status === "succeeded" || last?.status === "skipped") return { kind: "done" };
  if (last?.status === "exhausted") return { kind: "ended", record: last };
  if (supersededChain(history, message.chain)) return { kind: "done" };
  const attempt = (last?.attempt ?? 0) + 1;
  const endpoint = await endpointOf(message.endpointId);
  if (!endpoint) return { kind: "skip", attempt, url: "", reason: "endpoint_deleted" };
  if (endpoint.tenantId !== message.tenantId) return { kind: "drop", reason: "tenant_mismatch" };
  if (!endpoint.enabled) return { kind: "skip", attempt, url: endpoint.url, reason: "endpoint_disabled" };
  // Before the circuit and the rate limit: those are the slow lane's to apply, with its own waiting copies.
  if (forwardsToSlowLane(deps.lane, endpoint)) return { kind: "forward", hasHistory };
  const gate = await admitToEndpoint(deps, endpoint);
  if (gate.action === "wait") return { kind: "wait", untilMs: gate.untilMs, resumed: hasHistory };
  return { kind: "go", endpoint: { ...endpoint, ...gate.change }, attempt, probe: gate.probe, change: gate.change };
}

type Gate = { action: "go"; probe: boolean; change: EndpointChange } | { action: "wait"; untilMs: number };

/** Applies the circuit breaker, then the rate limit: a delivery that may not go waits, unattempted. */
async function admitToEndpoint(deps: Pick<DeliveryDeps, "clock" | "health" | "rates" | "policy">, endpoint: Endpoint): Promise<Gate> {
  const now = deps.clock.now();
  const gate = circuitGate(endpoint.circuit, now);
  if (gate.action === "wait") {
    // Spread the waiting deliveries (over up to 5 s, at most a cool-down) so that they do not all arrive at once.
    const spread = Math.min(5_000, (endpoint.circuit?.cooldownSeconds ?? 5) * 1000);
    return { action: "wait", untilMs: gate.untilMs + Math.floor(deps.clock.random() * spread) };
  }
  if (endpoint.rateLimitPerSecond !== undefined) {
    const second = Math.floor(now.getTime() / 1000);
    const count = await deps.rates.take(endpoint.id, second, endpoint.rateLimitPerSecond);
    const wait = rateLimitWaitSeconds(count, endpoint.rateLimitPerSecond);
    if (wait > 0) return { action: "wait", untilMs: (second + wait) * 1000 };
  }
  if (gate.action === "go") return { action: "go", probe: false, change: {} };
  const probeUntil = new Date(now.getTime() + deps.policy.circuit.probeLeaseSeconds * 1000).toISOString();
  if (!(await deps.health.takeProbe(endpoint.id, gate.openUntil, now.toISOString(), probeUntil))) {
    const cooldown = (endpoint.circuit?.cooldownSeconds ?? deps.policy.circuit.cooldownSeconds) * 1000;
    return { action: "wait", untilMs: Math.min(Date.parse(probeUntil), now.getTime() + cooldown) };
  }
  const change: EndpointChange = endpoint.circuit ? { circuit: { ...endpoint.circuit, state: "half-open", probeUntil } } : {};
  return { action: "go", probe: true, change };
}
