/**
 * The embedded metric format lines written by functions/adapters/lambda/emf.ts (which replaced
 * Powertools Metrics): every line parses and keeps the format's rules, whatever the number of
 * metrics and values, and no value is lost or invented on the way.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type EmfUnit,
  type EmfValue,
  emfLines,
  MAX_METRICS_PER_LINE,
  MAX_VALUES_PER_METRIC,
  writeEmf,
} from "../../functions/adapters/lambda/emf.ts";
import { createDeliveryMetrics } from "../../functions/adapters/lambda/metrics.ts";
import { publishScheduleOverdue } from "../../functions/adapters/lambda/scheduler-metrics.ts";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";
import { attemptRecord } from "../support/attempt-record.ts";
import { emfProblems } from "../support/emf.ts";

/** Every value the lines publish, in order per metric name, with its unit. */
function published(lines: Record<string, unknown>[]): Map<string, { unit: string; values: number[] }> {
  const out = new Map<string, { unit: string; values: number[] }>();
  for (const line of lines) {
    const aws = line._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
    for (const { Name, Unit } of aws.CloudWatchMetrics.flatMap((d) => d.Metrics)) {
      const entry = out.get(Name) ?? { unit: Unit, values: [] };
      entry.values.push(...[line[Name] as number | number[]].flat());
      out.set(Name, entry);
    }
  }
  return out;
}

function given(values: readonly EmfValue[]): Map<string, { unit: string; values: number[] }> {
  const out = new Map<string, { unit: string; values: number[] }>();
  for (const { name, unit, value } of values) {
    const entry = out.get(name) ?? { unit, values: [] };
    entry.values.push(value);
    out.set(name, entry);
  }
  return out;
}

/** Names from a pool wider than one line holds, each with one unit, and many values for a few of them. */
const emfValues = fc
  .record({
    pool: fc.integer({ min: 1, max: 260 }),
    picks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1_000_000, max: 1_000_000 })), { maxLength: 600, size: "max" }),
    hot: fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 450, size: "max" }),
  })
  .map(({ pool, picks, hot }) => {
    const units: EmfUnit[] = ["Count", "Milliseconds", "Seconds"];
    const values: EmfValue[] = picks.map(([n, value]) => ({ name: `M${n % pool}`, unit: units[(n % pool) % 3] as EmfUnit, value }));
    for (const value of hot) values.splice(value % (values.length + 1), 0, { name: "Hot", unit: "Milliseconds", value });
    return values;
  });

describe("EMF lines", () => {
  it("keep the format's rules and publish every value given, in order, whatever the counts", () => {
    fc.assert(
      fc.property(emfValues, fc.constantFrom("delivery", "dead-letter"), (values, service) => {
        const lines = emfLines("Hookrelay", { service }, values).map((l) => JSON.parse(l) as Record<string, unknown>);
        for (const line of lines) {
          expect(emfProblems(line)).toEqual([]);
          expect(line.service).toBe(service);
          const [directive] = (line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }).CloudWatchMetrics;
          expect(directive?.Namespace).toBe("Hookrelay");
          expect(directive?.Dimensions).toEqual([["service"]]);
        }
        expect(published(lines)).toEqual(given(values));
        // No more lines than the limits need: each line but the last was closed by one of them.
        const distinct = new Set(values.map((v) => v.name)).size;
        const longest = Math.max(0, ...[...given(values).values()].map((m) => m.values.length));
        expect(lines.length).toBeGreaterThanOrEqual(
          Math.max(Math.ceil(distinct / MAX_METRICS_PER_LINE), Math.ceil(longest / MAX_VALUES_PER_METRIC)),
        );
        expect(lines.length === 0).toBe(values.length === 0);
      }),
      { numRuns: 150 },
    );
  });

  it("split 250 values of one metric into lines of 100, 100 and 50, and 150 metrics into 100 and 50", () => {
    const one = emfLines(
      "N",
      { service: "s" },
      Array.from({ length: 250 }, (_, i) => ({ name: "Lat", unit: "Milliseconds", value: i })),
    );
    expect(one.map((l) => (JSON.parse(l).Lat as number[]).length)).toEqual([100, 100, 50]);
    const many = emfLines(
      "N",
      { service: "s" },
      Array.from({ length: 150 }, (_, i) => ({ name: `C${i}`, unit: "Count", value: 1 })),
    );
    expect(many.map((l) => JSON.parse(l)._aws.CloudWatchMetrics[0].Metrics.length)).toEqual([100, 50]);
  });

  it("write a metric given once as a number and one given several times as a list", () => {
    const [line] = emfLines("N", { service: "s" }, [
      { name: "A", unit: "Count", value: 3 },
      { name: "B", unit: "Milliseconds", value: 1 },
      { name: "B", unit: "Milliseconds", value: 2 },
    ]);
    expect(JSON.parse(line as string)).toMatchObject({ service: "s", A: 3, B: [1, 2] });
  });

  it("leave out what CloudWatch would refuse or what would overwrite a dimension, and write nothing for nothing", () => {
    const lines = emfLines("N", { service: "s" }, [
      { name: "A", unit: "Count", value: Number.NaN },
      { name: "A", unit: "Count", value: Number.POSITIVE_INFINITY },
      { name: "service", unit: "Count", value: 1 },
      { name: "_aws", unit: "Count", value: 1 },
      { name: "", unit: "Count", value: 1 },
      { name: "B", unit: "Count", value: 2 },
    ]);
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ service: "s", B: 2 })]);
    expect(JSON.parse(lines[0] as string)).not.toHaveProperty("A");
    expect(emfLines("N", { service: "s" }, [])).toEqual([]);
  });
});

describe("writing EMF", () => {
  afterEach(() => vi.restoreAllMocks());

  const captured = (fn: () => void): string[] => {
    const chunks: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    });
    fn();
    vi.restoreAllMocks();
    return chunks;
  };

  it("is one stdout write per line, each a whole JSON line", () => {
    const values = Array.from({ length: 205 }, (_, i) => ({ name: "Lat", unit: "Milliseconds" as const, value: i }));
    const chunks = captured(() => writeEmf("Hookrelay", { service: "s" }, values));
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) {
      expect(chunk.endsWith("\n")).toBe(true);
      expect(chunk.indexOf("\n")).toBe(chunk.length - 1);
      expect(emfProblems(JSON.parse(chunk))).toEqual([]);
    }
  });

  it("from the delivery metrics keeps the rules and every count for any number of attempts in one flush", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<AttemptRecord["status"]>("succeeded", "failed", "exhausted"), fc.nat(30_000)), {
          maxLength: 350,
        }),
        (attempts) => {
          const lines = captured(() => {
            const metrics = createDeliveryMetrics("json", "delivery");
            for (const [status, ms] of attempts) metrics.attempt(attemptRecord(status, ms));
            metrics.queueAge(5);
            metrics.flush();
          }).map((l) => JSON.parse(l) as Record<string, unknown>);
          for (const line of lines) expect(emfProblems(line)).toEqual([]);
          const all = published(lines);
          expect(all.get("Attempts")?.values).toEqual(attempts.length > 0 ? [attempts.length] : undefined);
          expect(all.get("DeliveryLatency")?.values ?? []).toEqual(attempts.map(([, ms]) => ms));
          expect(all.get("QueueAge")).toEqual({ unit: "Milliseconds", values: [5] });
          // The latencies close a line at their 100th value; QueueAge comes after them.
          expect(lines).toHaveLength(Math.floor(attempts.length / MAX_VALUES_PER_METRIC) + 1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("from the scheduler is one line of ScheduleOverdueSeconds, never below 0", () => {
    const publish = publishScheduleOverdue("json", "sweeper");
    const lines = captured(() => {
      publish(-3);
      publish(42);
    }).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.ScheduleOverdueSeconds, l.service, emfProblems(l)])).toEqual([
      [0, "sweeper", []],
      [42, "sweeper", []],
    ]);
    expect(captured(() => publishScheduleOverdue("pretty", "sweeper")(5))).toEqual([]);
  });
});
