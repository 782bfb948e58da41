import { PRICES } from "../support/prices.ts";
import { median, round } from "../support/stats.ts";
import { type CpuPricedCost, cpuPricedCost } from "./cost-cpu.ts";
import { type AttemptWrites, attemptWrites } from "./cost-levers.ts";
import { ASSUMPTIONS, type CostLine, deliveryLines, type FunctionMemory, intakeLines, retryLines, totalOf } from "./cost-lines.ts";
import type { MeasuredRun } from "./end-to-end.ts";

/** Issue 27's targets, dollars per million deliveries, each to hold in at least one billing mode. */
export const TARGETS = { single: 3.0, singleUrl: 2.0, batched: 1.0 } as const;

export interface CostScenario {
  name: string;
  lines: CostLine[];
  total: number;
  target?: number;
  met?: boolean;
}

function scenario(name: string, lines: CostLine[], target?: number): CostScenario {
  const total = totalOf(lines);
  return {
    name,
    lines: lines.map((l) => ({ ...l, perDelivery: round(l.perDelivery, 4), dollarsPerMillion: round(l.dollarsPerMillion, 3) })),
    total,
    ...(target !== undefined && { target, met: total <= target }),
  };
}

/** A change that would lower the bill, priced from the measured lines; not implemented (see each reason). */
export interface CostLever {
  lever: string;
  /** Why it is not done: what it changes for users. */
  changes: string;
  single: number;
  batched: number;
}

export interface CostResult {
  scenarios: CostScenario[];
  /** The same model on the steady-rate runs, where receive batches are small. */
  steady: { single: number; batched: number };
  /** Events a second of the steady-rate runs. */
  steadyRate: number;
  durations: { apiSingleMs: number; apiBatchedMs: number; deliveryMs: number; deliveryBatchFill: number };
  /** The memory each function is priced at: the construct's defaults. */
  memoryMb: FunctionMemory;
  /** The share of deliveries the retry run failed once. */
  retryShare: number;
  levers: CostLever[];
  assumptions: typeof ASSUMPTIONS;
  /** Lambda priced from CPU time and awaited calls beside the wall-time bill, and the storage line. */
  cpuPriced: CpuPricedCost;
  /** Issue 27's write-path levers, not built, priced on the CPU-priced bill in both billing modes. */
  /** Issue 27's attempt lever as built: attempt write units per delivery, single-event and batched runs. */
  attemptWrites: { single: AttemptWrites; batched: AttemptWrites; deliveryBatchFill: number };
}

const dollarsOf = (s: CostScenario, test: (l: CostLine) => boolean) =>
  s.lines.filter(test).reduce((sum, l) => sum + l.dollarsPerMillion, 0);
/** Lines of DynamoDB PutItem calls on one kind of item. */
const putsOf = (item: "attempt" | "event") => (l: CostLine) =>
  l.operation?.service === "DynamoDB" && l.operation.action === "PutItem" && l.operation.item === item;

/** The levers this design leaves on the table, each priced against the two main scenarios. */
function levers(single: CostScenario, batched: CostScenario): CostLever[] {
  const apiGatewayRequests = (s: CostScenario) => s.lines.find((l) => l.charge === "apiGatewayRequest")?.perDelivery ?? 0;
  const accessLog = (s: CostScenario) => apiGatewayRequests(s) * ASSUMPTIONS.accessLogBytesPerRequest * PRICES.logsIngestedByte * 1e6;
  const apiGateway = (s: CostScenario) => dollarsOf(s, (l) => l.charge === "apiGatewayRequest");
  const priced = (lever: string, changes: string, saving: (s: CostScenario) => number): CostLever => ({
    lever,
    changes,
    single: round(single.total - saving(single), 2),
    batched: round(batched.total - saving(batched), 2),
  });
  const fnUrl = (s: CostScenario) => apiGateway(s) + accessLog(s);
  const noEvent = (s: CostScenario) => dollarsOf(s, putsOf("event"));
  return [
    priced(
      'frontDoor: "function-url" (built, opt-in)',
      "no API Gateway throttling, stage or access log (bound the API with apiReservedConcurrency); the URL is a lambda-url.on.aws host; the $1.00 per million API Gateway charge goes",
      fnUrl,
    ),
    priced("no event record", "GET /v1/events/{id} and replay would lose the payload; idempotency would need another store", noEvent),
    priced("both", "both of the above", (s) => fnUrl(s) + noEvent(s)),
  ];
}

/** The memory the construct deploys each function with, read from its own defaults. */
async function deployedMemory(): Promise<FunctionMemory> {
  // Loaded here, after the measured stages: lib/ brings aws-cdk-lib, a large import for the bench process.
  const { resolveSettings } = await import("../../lib/resolved-settings.ts");
  const defaults = resolveSettings({});
  return { api: defaults.apiMemorySize, delivery: defaults.deliveryMemorySize };
}

/**
 * Stage 5: prices what the end-to-end runs counted. AWS calls, invocations and log bytes come from
 * the saturated runs (full receive batches, the volume "per million" describes); billed duration is
 * the median handler time of the steady-rate runs, where no invocation waits behind another for CPU.
 */
export async function priceRuns(runs: MeasuredRun[], steadyRate: number): Promise<CostResult> {
  const find = (prefix: string) => {
    const run = runs.filter((r) => r.name.startsWith(prefix)).at(-1);
    if (!run) throw new Error(`no run named ${prefix}`);
    return run;
  };
  const memory = await deployedMemory();
  const batched = find("batched intake, saturated");
  const single = find("single-event intake, saturated");
  const retried = find("batched intake, some retried");
  const steadySingle = find("single-event intake, steady");
  const steadyBatched = find("batched intake, steady");
  const apiSingleMs = median(steadySingle.taken.invocations.api);
  const apiBatchedMs = median(steadyBatched.taken.invocations.api);
  const deliveryMs = median(steadySingle.taken.invocations.delivery);
  const retry = retryLines(retried, batched, memory, deliveryMs);
  const whole = (run: MeasuredRun, apiMs: number, frontDoor?: "function-url") => [
    ...intakeLines(run, memory, apiMs, frontDoor),
    ...deliveryLines(run, memory, deliveryMs),
  ];
  const singleLines = whole(single, apiSingleMs);
  const batchedLines = whole(batched, apiBatchedMs);
  // Issue 27's targets: single-event ≤ $3.00 behind API Gateway and ≤ $2.00 behind a function URL, batched ≤ $1.00.
  const main = {
    single: scenario("single-event intake", singleLines, TARGETS.single),
    batched: scenario("batched intake (10 a request)", batchedLines, TARGETS.batched),
    // The construct's opt-in front door: the same runs without API Gateway's request charge and access log.
    singleUrl: scenario('single-event intake, frontDoor "function-url"', whole(single, apiSingleMs, "function-url"), TARGETS.singleUrl),
    batchedUrl: scenario('batched intake, frontDoor "function-url"', whole(batched, apiBatchedMs, "function-url"), TARGETS.batched),
  };
  const scenarios = [
    main.single,
    scenario("single-event intake, one retry", [...singleLines, ...retry]),
    main.batched,
    scenario("batched intake, one retry", [...batchedLines, ...retry]),
    main.singleUrl,
    main.batchedUrl,
  ];
  const fill = batched.taken.invocations.deliveryBatchSizes;
  const cpuPriced = cpuPricedCost(main, { single, batched, steadySingle, steadyBatched }, memory);
  return {
    scenarios,
    steady: { single: totalOf(whole(steadySingle, apiSingleMs)), batched: totalOf(whole(steadyBatched, apiBatchedMs)) },
    steadyRate,
    durations: {
      apiSingleMs: round(apiSingleMs, 1),
      apiBatchedMs: round(apiBatchedMs, 1),
      deliveryMs: round(deliveryMs, 1),
      deliveryBatchFill: round(fill.reduce((a, b) => a + b, 0) / Math.max(1, fill.length), 2),
    },
    memoryMb: memory,
    retryShare: round(retried.retryShare, 3),
    levers: levers(main.single, main.batched),
    assumptions: ASSUMPTIONS,
    cpuPriced,
    attemptWrites: {
      single: attemptWrites(singleLines),
      batched: attemptWrites(batchedLines),
      deliveryBatchFill: round(fill.reduce((a, b) => a + b, 0) / Math.max(1, fill.length), 2),
    },
  };
}
