import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeliveryMetrics } from "../../functions/adapters/metrics.ts";
import type { AttemptRecord } from "../../functions/core/model.ts";

const attempt = (status: AttemptRecord["status"], durationMs: number): AttemptRecord => ({
  eventId: "evt_1",
  endpointId: "ep_1",
  tenantId: "default",
  attempt: 1,
  trigger: "scheduled",
  status,
  url: "https://x.example",
  at: "2026-11-01T00:00:00.000Z",
  durationMs,
  expiresAt: 0,
});

describe("delivery metrics", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes attempts, outcomes, latency and queue age in CloudWatch embedded metric format", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = createDeliveryMetrics("json", "delivery");
    metrics.attempt(attempt("succeeded", 12));
    metrics.attempt(attempt("exhausted", 30));
    metrics.attempt(attempt("skipped", 0));
    metrics.queueAge(250);
    metrics.queueAge(900);
    metrics.flush();
    const emf = lines.map((l) => JSON.parse(l)).find((o) => o._aws);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe("Hookrelay");
    // A metric added twice is written as a list of values, which CloudWatch sums.
    const total = (value: number | number[]) => [value].flat().reduce((a, b) => a + b, 0);
    expect(total(emf.Attempts)).toBe(2);
    expect(total(emf.Successes)).toBe(1);
    expect(total(emf.Failures)).toBe(1);
    expect(total(emf.Exhausted)).toBe(1);
    expect(emf.DeliveryLatency).toEqual([12, 30]);
    expect(emf.QueueAge).toBe(900);
  });
});

describe("lane metrics", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts each kind of lane event under its own metric, and nothing when there was none", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = createDeliveryMetrics("json", "delivery");
    for (const kind of ["forwarded", "forwarded", "handed_over", "entered_slow", "left_slow"] as const)
      metrics.lane({ kind, endpointId: "ep_1" });
    metrics.attempt(attempt("succeeded", 5));
    metrics.flush();
    metrics.attempt(attempt("succeeded", 5));
    metrics.flush();
    const [first, second] = lines.map((l) => JSON.parse(l)).filter((o) => o._aws);
    expect(first).toMatchObject({ LaneForwards: 2, LaneHandovers: 1, SlowLaneEntries: 1, SlowLaneExits: 1 });
    expect(Object.keys(second)).not.toContain("LaneForwards");
  });
});

describe("the dead-letter consumer's metrics", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts a dead-lettered scheduled delivery as exhausted, and as no attempt", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = createDeliveryMetrics("json", "dead-letter");
    metrics.attempt({ ...attempt("exhausted", 0), trigger: "dead-letter" });
    metrics.attempt({ ...attempt("exhausted", 0), trigger: "dead-letter", chain: "man_1" });
    metrics.flush();
    const emf = lines.map((l) => JSON.parse(l)).find((o) => o._aws);
    expect(emf.Exhausted).toBe(1);
    expect(emf.service).toBe("dead-letter");
    expect(emf.Attempts).toBeUndefined();
    expect(emf.Failures).toBeUndefined();
  });
});
