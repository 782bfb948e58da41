import { describe, expect, it } from "vitest";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";
import { circuitGate, circuitView, openedCircuit, thresholdReached } from "../../functions/core/policy/circuit-breaker.ts";
import { rateLimitWaitSeconds } from "../../functions/core/policy/rate-limit.ts";

const settings = { failureThreshold: 3, cooldownSeconds: 60, maxCooldownSeconds: 200, probeLeaseSeconds: 45 };
const t0 = new Date("2026-11-01T00:00:00Z");
const later = (s: number) => new Date(t0.getTime() + s * 1000);

function attempt(status: AttemptRecord["status"], trigger: AttemptRecord["trigger"] = "scheduled"): AttemptRecord {
  return { eventId: "e", endpointId: "ep", tenantId: "t", attempt: 1, trigger, status, url: "", at: "", durationMs: 0, expiresAt: 0 };
}

describe("circuit breaker", () => {
  it("lets deliveries go while closed, holds them until the cool-down ends, then lets one probe", () => {
    expect(circuitGate(undefined, t0)).toEqual({ action: "go" });
    const open = openedCircuit(t0, undefined, settings);
    expect(open).toMatchObject({ state: "open", cooldownSeconds: 60, openUntil: later(60).toISOString() });
    expect(circuitGate(open, later(30))).toEqual({ action: "wait", untilMs: later(60).getTime() });
    expect(circuitGate(open, later(60))).toEqual({ action: "probe", openUntil: open.openUntil });
  });

  it("holds the others while a probe is out, and lets another probe once its lease is over", () => {
    const open = openedCircuit(t0, undefined, settings);
    const half = { ...open, state: "half-open" as const, probeUntil: later(105).toISOString() };
    expect(circuitGate(half, later(70))).toEqual({ action: "wait", untilMs: later(105).getTime() });
    expect(circuitGate({ ...half, cooldownSeconds: 10 }, later(70))).toEqual({ action: "wait", untilMs: later(80).getTime() });
    expect(circuitGate(half, later(106))).toMatchObject({ action: "probe" });
  });

  it("doubles the cool-down after each failed probe, up to the maximum", () => {
    const first = openedCircuit(t0, undefined, settings);
    const second = openedCircuit(later(60), first, settings);
    const third = openedCircuit(later(180), second, settings);
    expect([first, second, third].map((c) => c.cooldownSeconds)).toEqual([60, 120, 200]);
    expect(third.openUntil).toBe(later(380).toISOString());
  });

  it("opens after the threshold of consecutive failed attempts, not counting skips and dead-letter records", () => {
    const failed = attempt("failed");
    expect(thresholdReached([failed, failed], 3)).toBe(false);
    expect(thresholdReached([failed, attempt("skipped"), attempt("exhausted"), attempt("exhausted", "dead-letter"), failed], 3)).toBe(true);
    expect(thresholdReached([failed, attempt("succeeded"), failed, failed], 3)).toBe(false);
  });

  it("shows closed, open until a time, or half-open", () => {
    const open = openedCircuit(t0, undefined, settings);
    expect(circuitView(undefined, t0)).toEqual({ state: "closed" });
    expect(circuitView(open, later(1))).toEqual({ state: "open", openUntil: open.openUntil });
    expect(circuitView(open, later(61))).toEqual({ state: "half-open" });
  });
});

describe("rate limit", () => {
  it("admits up to the limit in a window and spreads the overflow over the next ones", () => {
    expect([1, 5].map((n) => rateLimitWaitSeconds(n, 5))).toEqual([0, 0]);
    expect([6, 10, 11, 16].map((n) => rateLimitWaitSeconds(n, 5))).toEqual([1, 1, 2, 3]);
  });
});
