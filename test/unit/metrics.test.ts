import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeliveryMetrics } from "../../functions/adapters/lambda/metrics.ts";
import { unsendableNotice } from "../../functions/core/kernel/queue-message.ts";
import { createDeadLetterHandler } from "../../functions/dead-letter/handler.ts";
import { attemptRecord } from "../support/attempt-record.ts";
import { sqsEvent } from "../support/emf.ts";
import { deadLetterDeps, MemoryAttemptLog } from "../support/fakes.ts";

describe("delivery metrics", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes attempts, outcomes, latency and queue age in CloudWatch embedded metric format", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = createDeliveryMetrics("json", "delivery");
    metrics.attempt(attemptRecord("succeeded", 12));
    metrics.attempt(attemptRecord("exhausted", 30));
    metrics.attempt(attemptRecord("skipped", 0));
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
    metrics.attempt(attemptRecord("succeeded", 5));
    metrics.flush();
    metrics.attempt(attemptRecord("succeeded", 5));
    metrics.flush();
    const [first, second] = lines.map((l) => JSON.parse(l)).filter((o) => o._aws);
    expect(first).toMatchObject({ LaneForwards: 2, LaneHandovers: 1, SlowLaneEntries: 1, SlowLaneExits: 1 });
    expect(Object.keys(second)).not.toContain("LaneForwards");
  });
});

describe("ordered metrics", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts held lines, given-up heads and stuck endpoints under their own metrics", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = createDeliveryMetrics("json", "delivery");
    const line = { endpointId: "ep_1", eventId: "evt_1" };
    metrics.ordered({ kind: "held", ...line, seconds: 2, behind: 3, reason: "retry" });
    metrics.ordered({ kind: "held", ...line, seconds: 1, behind: 0, reason: "wait" });
    metrics.ordered({ kind: "given_up", ...line, messageId: undefined, reason: "exhausted" });
    metrics.ordered({ kind: "stuck", ...line, waitedMs: 1 });
    metrics.flush();
    const [emf] = lines.map((l) => JSON.parse(l)).filter((o) => o._aws);
    expect(emf).toMatchObject({ OrderedHolds: 2, OrderedGivenUp: 1, OrderedStuck: 1 });
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
    metrics.attempt({ ...attemptRecord("exhausted", 0), trigger: "dead-letter" });
    metrics.attempt({ ...attemptRecord("exhausted", 0), trigger: "dead-letter", chain: "man_1" });
    metrics.flush();
    const emf = lines.map((l) => JSON.parse(l)).find((o) => o._aws);
    expect(emf.Exhausted).toBe(1);
    expect(emf.service).toBe("dead-letter");
    expect(emf.Attempts).toBeUndefined();
    expect(emf.Failures).toBeUndefined();
  });

  it("counts an unsendable event once in UnsendableEvents, its deliveries in Exhausted, and nothing for a notice handed over again", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const event = {
      id: "evt_big",
      tenantId: "t",
      type: "a",
      body: "",
      createdAt: "2026-11-01T00:00:00.000Z",
      requestHash: "h",
      endpointIds: [],
      expiresAt: 0,
    };
    const notice = unsendableNotice(event, ["ep_1", "ep_2"], "InvalidParameterValue: Message must be shorter than 1024 bytes");
    const handler = createDeadLetterHandler(deadLetterDeps(new MemoryAttemptLog()), createDeliveryMetrics("json", "dead-letter"));
    const emf = async () => {
      lines.length = 0;
      await handler(sqsEvent([notice]), {} as Context);
      return lines.map((l) => JSON.parse(l)).find((o) => o._aws) ?? {};
    };
    expect(await emf()).toMatchObject({ UnsendableEvents: 1, Exhausted: 2, service: "dead-letter" });
    const again = await emf();
    expect(again.UnsendableEvents).toBeUndefined();
    expect(again.Exhausted).toBeUndefined();
  });
});
