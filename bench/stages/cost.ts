import type { ACCESS_LOG_FIELDS } from "../../lib/webhook-dispatcher.ts";
import { type Counts, callerOf, operationOf } from "../support/counting-proxy.ts";
import { median, round } from "../support/stats.ts";
import type { MeasuredRun } from "./end-to-end.ts";

/** us-east-1 prices from /work/shared/REFERENCE.md, dollars per unit. */
export const PRICES = {
  apiGatewayRequest: 1.0 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  sqsRequest: 0.4 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  logsGb: 0.5 / 1024 ** 3,
} as const;

/** Typical values of the access log's fields, to size one line of lib/webhook-dispatcher.ts's format. */
const TYPICAL_ACCESS_LOG_VALUES: Record<keyof typeof ACCESS_LOG_FIELDS, string> = {
  requestId: "Ab1CdEfGhIjKlMnO=",
  ip: "203.0.113.10",
  method: "POST",
  path: "/v1/events",
  status: "202",
  latencyMs: "25",
  integrationError: "-",
};

/** Assumptions the bench cannot measure locally; each is printed in the report. */
export const ASSUMPTIONS = {
  memoryGb: 128 / 1024,
  /**
   * Lambda's platform lines per invocation: none, since lib/dispatcher-function.ts sets
   * systemLogLevelV2 WARN (at INFO, START/END/REPORT cost about 450 bytes per invocation).
   */
  platformLogBytesPerInvocation: 0,
  /** One API Gateway access-log line: the construct's format with typical values, plus its newline. */
  accessLogBytesPerRequest: Buffer.byteLength(JSON.stringify(TYPICAL_ACCESS_LOG_VALUES)) + 1,
} as const;

export interface CostLine {
  item: string;
  /** What was counted, e.g. "1500 requests". */
  detail?: string;
  /** Units per delivery (requests, units, GB-s, bytes) as counted. */
  perDelivery: number;
  unit: string;
  dollarsPerMillion: number;
}

export interface CostScenario {
  name: string;
  lines: CostLine[];
  total: number;
  target?: number;
  met?: boolean;
}

/** The API function's calls are intake; the delivery function's and its event source's are delivery. */
const sideOf = (label: string): "intake" | "delivery" | "bench" => {
  const caller = callerOf(label);
  if (caller === "api") return "intake";
  return caller === "delivery" || caller === "event source" ? "delivery" : "bench";
};

function awsLines(counts: Counts, deliveries: number, side: "intake" | "delivery"): CostLine[] {
  const lines: CostLine[] = [];
  for (const [label, c] of Object.entries(counts).sort()) {
    if (sideOf(label) !== side) continue;
    const item = `${operationOf(label)}${side === "delivery" && callerOf(label) === "event source" ? " (event source)" : ""}`;
    if (label.includes(": SQS ")) {
      const extra = label.includes("ReceiveMessage") ? `, ${round(c.entries / Math.max(1, c.requests), 1)} messages a receive` : "";
      lines.push({
        item,
        detail: `${c.requests} requests${extra}`,
        perDelivery: c.billedRequests / deliveries,
        unit: "requests",
        dollarsPerMillion: (c.billedRequests / deliveries) * PRICES.sqsRequest * 1e6,
      });
    } else if (c.writeUnits > 0) {
      lines.push({
        item,
        detail: `${c.requests} requests`,
        perDelivery: c.writeUnits / deliveries,
        unit: "write units",
        dollarsPerMillion: (c.writeUnits / deliveries) * PRICES.dynamoWriteUnit * 1e6,
      });
    } else {
      lines.push({
        item,
        detail: `${c.requests} requests`,
        perDelivery: c.readUnits / deliveries,
        unit: "read units",
        dollarsPerMillion: (c.readUnits / deliveries) * PRICES.dynamoReadUnit * 1e6,
      });
    }
  }
  return lines;
}

function lambdaLines(fn: string, invocations: number, medianMs: number, deliveries: number): CostLine[] {
  const perDelivery = invocations / deliveries;
  const gbSeconds = perDelivery * (Math.ceil(medianMs) / 1000) * ASSUMPTIONS.memoryGb;
  return [
    { item: `Lambda ${fn} requests`, perDelivery, unit: "invocations", dollarsPerMillion: perDelivery * PRICES.lambdaRequest * 1e6 },
    {
      item: `Lambda ${fn} duration`,
      detail: `${Math.ceil(medianMs)} ms billed per invocation, 128 MB arm64`,
      perDelivery: gbSeconds,
      unit: "GB-s",
      dollarsPerMillion: gbSeconds * PRICES.lambdaGbSecondArm * 1e6,
    },
  ];
}

function logLine(item: string, appBytes: number, invocations: number, extraBytes: number, deliveries: number): CostLine {
  const bytes = (appBytes + invocations * ASSUMPTIONS.platformLogBytesPerInvocation + extraBytes) / deliveries;
  return { item, perDelivery: bytes, unit: "bytes", dollarsPerMillion: bytes * PRICES.logsGb * 1e6 };
}

/** Intake lines (API Gateway, API Lambda, its AWS calls and logs) per delivery of one run. */
function intakeLines(run: MeasuredRun, apiMedianMs: number, frontDoor: "http-api" | "function-url" = "http-api"): CostLine[] {
  const n = run.deliveries;
  const requests = run.taken.invocations.api.length;
  const viaApiGateway = frontDoor === "http-api";
  return [
    ...(viaApiGateway
      ? [
          {
            item: "API Gateway HTTP API requests",
            perDelivery: requests / n,
            unit: "requests",
            dollarsPerMillion: (requests / n) * PRICES.apiGatewayRequest * 1e6,
          },
        ]
      : []),
    ...lambdaLines("API", requests, apiMedianMs, n),
    ...awsLines(run.taken.sqs, n, "intake"),
    ...awsLines(run.taken.dynamodb, n, "intake"),
    logLine(
      viaApiGateway ? "CloudWatch Logs, API (its own lines and the access log)" : "CloudWatch Logs, API (its own lines)",
      run.taken.logBytes.api,
      requests,
      viaApiGateway ? requests * ASSUMPTIONS.accessLogBytesPerRequest : 0,
      n,
    ),
  ];
}

/** Delivery lines (event source polling, delivery Lambda, its AWS calls and logs) per delivery of one run. */
function deliveryLines(run: MeasuredRun, deliveryMedianMs: number): CostLine[] {
  const n = run.deliveries;
  const invocations = run.taken.invocations.delivery.length;
  return [
    ...lambdaLines("delivery", invocations, deliveryMedianMs, n),
    ...awsLines(run.taken.sqs, n, "delivery"),
    ...awsLines(run.taken.dynamodb, n, "delivery"),
    logLine("CloudWatch Logs, delivery (its lines and embedded metrics)", run.taken.logBytes.delivery, invocations, 0, n),
  ];
}

/**
 * What one retry adds per retried delivery, line by line: the run where a share of deliveries failed
 * once, minus the run without failures before it, divided by that share.
 */
function retryLines(retried: MeasuredRun, base: MeasuredRun, deliveryMs: number): CostLine[] {
  const before = new Map(deliveryLines(base, deliveryMs).map((l) => [l.item, l]));
  const after = new Map(deliveryLines(retried, deliveryMs).map((l) => [l.item, l]));
  const lines: CostLine[] = [];
  for (const item of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(item);
    const a = after.get(item);
    const unit = (a ?? b)?.unit ?? "";
    const perDelivery = ((a?.perDelivery ?? 0) - (b?.perDelivery ?? 0)) / retried.retryShare;
    const dollars = ((a?.dollarsPerMillion ?? 0) - (b?.dollarsPerMillion ?? 0)) / retried.retryShare;
    if (Math.abs(dollars) < 0.0005) continue;
    lines.push({ item: `one retry: ${item}`, perDelivery, unit, dollarsPerMillion: dollars });
  }
  return lines;
}

function scenario(name: string, lines: CostLine[], target?: number): CostScenario {
  const total = lines.reduce((sum, l) => sum + l.dollarsPerMillion, 0);
  return {
    name,
    lines: lines.map((l) => ({ ...l, perDelivery: round(l.perDelivery, 4), dollarsPerMillion: round(l.dollarsPerMillion, 3) })),
    total: round(total, 3),
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
  durations: { apiSingleMs: number; apiBatchedMs: number; deliveryMs: number; deliveryBatchFill: number };
  /** The share of deliveries the retry run failed once. */
  retryShare: number;
  levers: CostLever[];
  assumptions: typeof ASSUMPTIONS;
}

const dollarsOf = (s: CostScenario, test: (item: string) => boolean) =>
  s.lines.filter((l) => test(l.item)).reduce((sum, l) => sum + l.dollarsPerMillion, 0);

/** The levers this design leaves on the table, each priced against the two main scenarios. */
function levers(single: CostScenario, batched: CostScenario, accessLogPerRequest: number): CostLever[] {
  const logPrice = (s: CostScenario) =>
    (s.lines.find((l) => l.item.startsWith("API Gateway"))?.perDelivery ?? 0) * accessLogPerRequest * PRICES.logsGb * 1e6;
  const attemptWrites = (s: CostScenario) => dollarsOf(s, (i) => i.includes("PutItem attempt"));
  const eventWrites = (s: CostScenario) => dollarsOf(s, (i) => i.includes("PutItem event"));
  const apiGateway = (s: CostScenario) => dollarsOf(s, (i) => i.startsWith("API Gateway"));
  const priced = (lever: string, changes: string, saving: (s: CostScenario) => number): CostLever => ({
    lever,
    changes,
    single: round(single.total - saving(single), 2),
    batched: round(batched.total - saving(batched), 2),
  });
  const fnUrl = (s: CostScenario) => apiGateway(s) + logPrice(s);
  const sparse = (s: CostScenario) => attemptWrites(s) / 2;
  return [
    priced(
      'frontDoor: "function-url" (built, opt-in)',
      "no API Gateway throttling, stage or access log (bound the API with apiReservedConcurrency); the URL is a lambda-url.on.aws host; the $1.00 per million API Gateway charge goes",
      fnUrl,
    ),
    priced(
      "sparse endpoint index (gsi1 holds only attempts that did not succeed)",
      "GET /v1/endpoints/{id}/attempts would list only failures (succeeded ones stay readable per event), and the circuit breaker would need another count of consecutive failures",
      sparse,
    ),
    priced("no event record", "GET /v1/events/{id} and replay would lose the payload; idempotency would need another store", eventWrites),
    priced("all three", "all of the above", (s) => fnUrl(s) + sparse(s) + eventWrites(s)),
  ];
}

/**
 * Stage 5: prices what the end-to-end runs counted. AWS calls, invocations and log bytes come from
 * the saturated runs (full receive batches, the volume "per million" describes); billed duration is
 * the median handler time of the steady-rate runs, where no invocation waits behind another for CPU.
 */
export function priceRuns(runs: MeasuredRun[]): CostResult {
  const find = (prefix: string) => {
    const run = runs.filter((r) => r.name.startsWith(prefix)).at(-1);
    if (!run) throw new Error(`no run named ${prefix}`);
    return run;
  };
  const batched = find("batched intake, saturated");
  const single = find("single-event intake, saturated");
  const retried = find("batched intake, some retried");
  const steadySingle = find("single-event intake, steady");
  const steadyBatched = find("batched intake, steady");
  const apiSingleMs = median(steadySingle.taken.invocations.api);
  const apiBatchedMs = median(steadyBatched.taken.invocations.api);
  const deliveryMs = median(steadySingle.taken.invocations.delivery);
  const retry = retryLines(retried, batched, deliveryMs);
  const singleLines = [...intakeLines(single, apiSingleMs), ...deliveryLines(single, deliveryMs)];
  const batchedLines = [...intakeLines(batched, apiBatchedMs), ...deliveryLines(batched, deliveryMs)];
  const scenarios = [
    scenario("single-event intake", singleLines, 3.0),
    scenario("single-event intake, one retry", [...singleLines, ...retry]),
    scenario("batched intake (10 a request)", batchedLines, 1.75),
    scenario("batched intake, one retry", [...batchedLines, ...retry]),
    // The construct's opt-in front door: the same runs without API Gateway's request charge and access log.
    scenario(
      'single-event intake, frontDoor "function-url"',
      [...intakeLines(single, apiSingleMs, "function-url"), ...deliveryLines(single, deliveryMs)],
      3.0,
    ),
    scenario(
      'batched intake, frontDoor "function-url"',
      [...intakeLines(batched, apiBatchedMs, "function-url"), ...deliveryLines(batched, deliveryMs)],
      1.75,
    ),
  ];
  const total = (lines: CostLine[]) =>
    round(
      lines.reduce((s, l) => s + l.dollarsPerMillion, 0),
      3,
    );
  const fill = batched.taken.invocations.deliveryBatchSizes;
  return {
    scenarios,
    steady: {
      single: total([...intakeLines(steadySingle, apiSingleMs), ...deliveryLines(steadySingle, deliveryMs)]),
      batched: total([...intakeLines(steadyBatched, apiBatchedMs), ...deliveryLines(steadyBatched, deliveryMs)]),
    },
    durations: {
      apiSingleMs: round(apiSingleMs, 1),
      apiBatchedMs: round(apiBatchedMs, 1),
      deliveryMs: round(deliveryMs, 1),
      deliveryBatchFill: round(fill.reduce((a, b) => a + b, 0) / Math.max(1, fill.length), 2),
    },
    retryShare: round(retried.retryShare, 3),
    levers: levers(scenarios[0] as CostScenario, scenarios[2] as CostScenario, ASSUMPTIONS.accessLogBytesPerRequest),
    assumptions: ASSUMPTIONS,
  };
}
