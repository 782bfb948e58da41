import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import type { Counts } from "../support/counting-proxy.ts";
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

/** Assumptions the bench cannot measure locally; each is printed in the report. */
export const ASSUMPTIONS = {
  memoryGb: 128 / 1024,
  /** Lambda's JSON platform lines per invocation (platform.start + platform.report). */
  platformLogBytesPerInvocation: 450,
  /** One API Gateway access-log line (lib/webhook-dispatcher.ts's format, typical values). */
  accessLogBytesPerRequest: Buffer.byteLength(
    JSON.stringify({
      requestId: "Ab1CdEfGhIjKlMnO=",
      requestTime: "1795000000000",
      ip: "203.0.113.10",
      userAgent: "node",
      method: "POST",
      path: "/v1/events",
      protocol: "HTTP/1.1",
      status: "202",
      responseLength: "120",
      latencyMs: "25",
      integrationLatencyMs: "22",
      integrationError: "-",
    }),
  ),
} as const;

export interface CostLine {
  item: string;
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

/** Labels of calls the API function makes at intake; every other call belongs to delivery. */
const isIntake = (label: string) =>
  label === `SQS SendMessageBatch ${RESOURCE_NAMES.deliveryQueue}` ||
  / (event|endpoints of tenant.*)$/.test(label) ||
  label.startsWith("DynamoDB BatchGetItem");

function awsLines(counts: Counts, deliveries: number, side: "intake" | "delivery"): CostLine[] {
  const lines: CostLine[] = [];
  for (const [label, c] of Object.entries(counts).sort()) {
    if (isIntake(label) !== (side === "intake")) continue;
    if (label.startsWith("SQS")) {
      const extra = label.includes("ReceiveMessage") ? `, ${round(c.entries / Math.max(1, c.requests), 1)} messages a receive` : "";
      lines.push({
        item: `${label} (${c.requests} requests${extra})`,
        perDelivery: c.billedRequests / deliveries,
        unit: "requests",
        dollarsPerMillion: (c.billedRequests / deliveries) * PRICES.sqsRequest * 1e6,
      });
    } else if (c.writeUnits > 0) {
      lines.push({
        item: `${label} (${c.requests} requests)`,
        perDelivery: c.writeUnits / deliveries,
        unit: "write units",
        dollarsPerMillion: (c.writeUnits / deliveries) * PRICES.dynamoWriteUnit * 1e6,
      });
    } else {
      lines.push({
        item: `${label} (${c.requests} requests)`,
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
      item: `Lambda ${fn} duration (${Math.ceil(medianMs)} ms billed per invocation, 128 MB arm64)`,
      perDelivery: gbSeconds,
      unit: "GB-s",
      dollarsPerMillion: gbSeconds * PRICES.lambdaGbSecondArm * 1e6,
    },
  ];
}

function logLine(fn: string, appBytes: number, invocations: number, extraBytes: number, deliveries: number): CostLine {
  const bytes = (appBytes + invocations * ASSUMPTIONS.platformLogBytesPerInvocation + extraBytes) / deliveries;
  return { item: `CloudWatch Logs, ${fn}`, perDelivery: bytes, unit: "bytes", dollarsPerMillion: bytes * PRICES.logsGb * 1e6 };
}

/** Intake lines (API Gateway, API Lambda, its AWS calls and logs) per delivery of one run. */
function intakeLines(run: MeasuredRun, apiMedianMs: number): CostLine[] {
  const n = run.deliveries;
  const requests = run.taken.invocations.api.length;
  return [
    {
      item: "API Gateway HTTP API requests",
      perDelivery: requests / n,
      unit: "requests",
      dollarsPerMillion: (requests / n) * PRICES.apiGatewayRequest * 1e6,
    },
    ...lambdaLines("API", requests, apiMedianMs, n),
    ...awsLines(run.taken.sqs, n, "intake"),
    ...awsLines(run.taken.dynamodb, n, "intake"),
    logLine(
      "API (its lines, platform lines, access log)",
      run.taken.logBytes.api,
      requests,
      requests * ASSUMPTIONS.accessLogBytesPerRequest,
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
    logLine("delivery (its lines and metrics, platform lines)", run.taken.logBytes.delivery, invocations, 0, n),
  ];
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

export interface CostResult {
  scenarios: CostScenario[];
  /** The same model on the steady-rate runs, where receive batches are small. */
  steady: { single: number; batched: number };
  durations: { apiSingleMs: number; apiBatchedMs: number; deliveryMs: number; deliveryBatchFill: number };
  assumptions: typeof ASSUMPTIONS;
}

/**
 * Stage 5: prices what the end-to-end runs counted. AWS calls, invocations and log bytes come from
 * the saturated runs (full receive batches, the volume "per million" describes); billed duration is
 * the median handler time of the steady-rate runs, where no invocation waits behind another for CPU.
 */
export function priceRuns(runs: MeasuredRun[]): CostResult {
  const find = (prefix: string) => {
    const run = runs.find((r) => r.name.startsWith(prefix));
    if (!run) throw new Error(`no run named ${prefix}`);
    return run;
  };
  const batched = find("batched intake, saturated");
  const single = find("single-event intake, saturated");
  const retried = find("batched intake, one retry each");
  const steadySingle = find("single-event intake, steady");
  const steadyBatched = find("batched intake, steady");
  const apiSingleMs = median(steadySingle.taken.invocations.api);
  const apiBatchedMs = median(steadyBatched.taken.invocations.api);
  const deliveryMs = median(steadySingle.taken.invocations.delivery);
  const scenarios = [
    scenario("single-event intake", [...intakeLines(single, apiSingleMs), ...deliveryLines(single, deliveryMs)], 3.0),
    scenario("single-event intake, one retry", [...intakeLines(single, apiSingleMs), ...deliveryLines(retried, deliveryMs)]),
    scenario("batched intake (10 a request)", [...intakeLines(batched, apiBatchedMs), ...deliveryLines(batched, deliveryMs)], 1.75),
    scenario("batched intake, one retry", [...intakeLines(batched, apiBatchedMs), ...deliveryLines(retried, deliveryMs)]),
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
    assumptions: ASSUMPTIONS,
  };
}
