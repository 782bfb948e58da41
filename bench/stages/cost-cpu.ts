/**
 * The cost stage's second bill (issue 27): Lambda priced from CPU time and awaited AWS calls
 * (bench/support/cpu-priced-bill.ts) instead of the local stack's wall time, shown beside the
 * wall-time bill; and the storage line at the default retention, with and without PITR.
 */
import { SETTINGS } from "../../functions/core/config/settings.ts";
import { BILLING_MODES, type BillingMode, dynamoDollars } from "../support/billing-modes.ts";
import type { Counts } from "../support/counting-proxy.ts";
import { CALL_LATENCY_MS, type CallKind, cpuPricedBill, storagePerMillion } from "../support/cpu-priced-bill.ts";
import { median, round } from "../support/stats.ts";
import type { CostLine, FunctionMemory } from "./cost-lines.ts";
import type { MeasuredRun } from "./end-to-end.ts";

/** A wall-time bill of cost.ts (its scenario), as far as this file reads it. */
type WallBill = { name: string; total: number; lines: readonly CostLine[]; target?: number };

/** One function's invocation as priced from CPU: what was measured and the two parts. */
export interface CpuPricedFunction {
  /** Median wall time (ms), what the wall-time bill charges. */
  wallMs: number;
  /** Mean CPU time per invocation (ms, on one core here): its share of its thread's CPU (see invokeAs). */
  cpuMs: number;
  /** Invocations timed, and how many of them ran alone (no other overlapped them on their thread). */
  samples: number;
  alone: number;
  /** Awaited AWS calls per invocation, by kind. */
  calls: Record<CallKind, number>;
  cpuPartMs: number;
  waitPartMs: number;
}

/** A scenario's bill with Lambda duration priced from CPU, beside its wall-time bill. */
export interface CpuPricedScenario {
  name: string;
  /** DynamoDB's billing mode the scenario is priced in (the wall-time bill is on demand). */
  billing: BillingMode;
  /** The wall-time bill (on demand). */
  wallTimeTotal: number;
  /** Dollars per million deliveries of DynamoDB read and write units in this billing mode. */
  dynamo: number;
  target?: number;
  met?: boolean;
  /** Dollars per million deliveries of Lambda duration: the CPU part and the waiting part. */
  cpuPart: number;
  waitPart: number;
  total: number;
}

export interface CpuPricedCost {
  functions: {
    api: { single: CpuPricedFunction; batched: CpuPricedFunction };
    delivery: { single: CpuPricedFunction; batched: CpuPricedFunction };
  };
  scenarios: CpuPricedScenario[];
  latencyMs: typeof CALL_LATENCY_MS;
  storage: { bytesPerDelivery: number; retentionDays: number; withoutPitr: number; withPitr: number };
}

/** Awaited calls per invocation of `fn` in a run: its DynamoDB and SQS requests over its invocations. */
function callsOf(run: MeasuredRun, fn: "api" | "delivery"): Record<CallKind, number> {
  const invocations = Math.max(1, run.taken.invocations[fn].length);
  const requests = (counts: Counts) =>
    Object.values(counts)
      .filter((c) => c.operation.caller === fn)
      .reduce((sum, c) => sum + c.requests, 0);
  return { DynamoDB: requests(run.taken.dynamodb) / invocations, SQS: requests(run.taken.sqs) / invocations };
}

/**
 * One function priced: calls per invocation from `run` (the saturated run, whose batches the bill
 * counts), CPU the mean of the invocations' shares of their thread's CPU in `cpuRuns`: the mean, so
 * that the shares add up to what the thread spent (GC pauses included), whatever the overlap.
 */
function priced(run: MeasuredRun, cpuRuns: MeasuredRun[], fn: "api" | "delivery", memoryMb: number): CpuPricedFunction {
  const calls = callsOf(run, fn);
  const all = cpuRuns.flatMap((r) => r.taken.invocations[fn === "api" ? "apiCpu" : "deliveryCpu"]);
  const alone = cpuRuns.flatMap((r) => r.taken.invocations[fn === "api" ? "apiCpuAlone" : "deliveryCpuAlone"]);
  const cpuMs = all.reduce((sum, x) => sum + x, 0) / Math.max(1, all.length);
  const bill = cpuPricedBill({ memoryMb, cpuMs, calls });
  const r = (x: number) => round(x, 2);
  return {
    wallMs: r(median(cpuRuns.flatMap((x) => x.taken.invocations[fn]))),
    cpuMs: r(cpuMs),
    samples: all.length,
    alone: alone.length,
    calls: { DynamoDB: r(calls.DynamoDB), SQS: r(calls.SQS) },
    cpuPartMs: r(bill.cpuPartMs),
    waitPartMs: r(bill.waitPartMs),
  };
}

/** Bytes the functions' puts keep per delivery in a run (items and GSI copies, see counting-proxy.ts). */
const storedPerDelivery = (run: MeasuredRun) =>
  Object.values(run.taken.dynamodb)
    .filter((c) => c.operation.caller === "api" || c.operation.caller === "delivery")
    .reduce((sum, c) => sum + c.storedBytes, 0) / run.deliveries;

/**
 * Reprices the wall-time scenarios: each Lambda duration line is replaced by the CPU part plus the
 * waiting part, per invocation from the steady runs (as the wall-time medians are), times the
 * saturated run's invocations per delivery; and the DynamoDB units are priced in each billing mode.
 */
export function cpuPricedCost(
  wall: { single: WallBill; batched: WallBill; singleUrl: WallBill; batchedUrl: WallBill },
  runs: { single: MeasuredRun; batched: MeasuredRun; steadySingle: MeasuredRun; steadyBatched: MeasuredRun },
  memory: FunctionMemory,
): CpuPricedCost {
  // A request's work is the same steady or saturated; a delivery invocation's grows with its batch, so only the saturated run's.
  const fns = {
    api: {
      single: priced(runs.single, [runs.steadySingle, runs.single], "api", memory.api),
      batched: priced(runs.batched, [runs.steadyBatched, runs.batched], "api", memory.api),
    },
    delivery: {
      single: priced(runs.single, [runs.single], "delivery", memory.delivery),
      batched: priced(runs.batched, [runs.batched], "delivery", memory.delivery),
    },
  };
  const scenario = (
    s: WallBill,
    run: MeasuredRun,
    [api, delivery]: [CpuPricedFunction, CpuPricedFunction],
    billing: BillingMode,
  ): CpuPricedScenario => {
    const perDelivery = (fn: "api" | "delivery") => run.taken.invocations[fn].length / run.deliveries;
    const parts = (
      [
        ["api", api],
        ["delivery", delivery],
      ] as const
    ).map(([fn, f]) => {
      const bill = cpuPricedBill({ memoryMb: memory[fn], cpuMs: f.cpuMs, calls: f.calls });
      return { cpu: bill.cpuDollars * perDelivery(fn), wait: bill.waitDollars * perDelivery(fn) };
    });
    const wallDuration = s.lines.filter((l) => l.charge === "lambdaGbSecondArm").reduce((sum, l) => sum + l.dollarsPerMillion, 0);
    const onDemandDynamo = dynamoDollars(s.lines, "on-demand");
    const dynamo = dynamoDollars(s.lines, billing);
    const cpuPart = parts.reduce((sum, p) => sum + p.cpu, 0);
    const waitPart = parts.reduce((sum, p) => sum + p.wait, 0);
    const total = round(s.total - wallDuration + cpuPart + waitPart - onDemandDynamo + dynamo, 3);
    return {
      name: s.name,
      billing,
      wallTimeTotal: s.total,
      dynamo: round(dynamo, 3),
      cpuPart: round(cpuPart, 3),
      waitPart: round(waitPart, 3),
      total,
      ...(s.target !== undefined && { target: s.target, met: total <= s.target }),
    };
  };
  const retentionDays = SETTINGS.logRetentionDays.default;
  const bytesPerDelivery = storedPerDelivery(runs.batched);
  const single: [CpuPricedFunction, CpuPricedFunction] = [fns.api.single, fns.delivery.single];
  const batched: [CpuPricedFunction, CpuPricedFunction] = [fns.api.batched, fns.delivery.batched];
  const priceds: [WallBill, MeasuredRun, [CpuPricedFunction, CpuPricedFunction]][] = [
    [wall.single, runs.single, single],
    [wall.singleUrl, runs.single, single],
    [wall.batched, runs.batched, batched],
    [wall.batchedUrl, runs.batched, batched],
  ];
  return {
    functions: fns,
    scenarios: priceds.flatMap(([s, run, api]) => BILLING_MODES.map((mode) => scenario(s, run, api, mode))),
    latencyMs: CALL_LATENCY_MS,
    storage: {
      bytesPerDelivery: round(bytesPerDelivery, 0),
      retentionDays,
      withoutPitr: round(storagePerMillion(bytesPerDelivery, retentionDays, false), 3),
      withPitr: round(storagePerMillion(bytesPerDelivery, retentionDays, true), 3),
    },
  };
}
