import type { ACCESS_LOG_FIELDS } from "../../lib/webhook-dispatcher.ts";
import { type Counts, describeOperation, type Operation } from "../support/counting-proxy.ts";
import { type Charge, PRICES } from "../support/prices.ts";
import { round } from "../support/stats.ts";
import type { MeasuredRun } from "./end-to-end.ts";

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
  /**
   * Lambda's platform lines per invocation: none, since lib/dispatcher-function.ts sets
   * systemLogLevelV2 WARN (at INFO, START/END/REPORT cost about 450 bytes per invocation).
   */
  platformLogBytesPerInvocation: 0,
  /** One API Gateway access-log line: the construct's format with typical values, plus its newline. */
  accessLogBytesPerRequest: Buffer.byteLength(JSON.stringify(TYPICAL_ACCESS_LOG_VALUES)) + 1,
} as const;

/** The functions whose Lambda charges are priced, and the memory (MB) each is deployed with. */
export type FunctionMemory = { api: number; delivery: number };

export interface CostLine {
  item: string;
  /** What was counted, e.g. "1500 requests". */
  detail?: string;
  /** What the line bills; its price is PRICES[charge] per unit. */
  charge: Charge;
  /** The AWS call counted, on lines of AWS calls. */
  operation?: Operation;
  /** The function, on Lambda and log lines. */
  fn?: keyof FunctionMemory;
  /** Units per delivery (requests, units, GB-s, bytes) as counted. */
  perDelivery: number;
  unit: string;
  dollarsPerMillion: number;
}

/** A line billing `perDelivery` units of `charge`. */
function line(charge: Charge, perDelivery: number, unit: string, rest: Pick<CostLine, "item" | "detail" | "operation" | "fn">): CostLine {
  return { ...rest, charge, perDelivery, unit, dollarsPerMillion: perDelivery * PRICES[charge] * 1e6 };
}

/** The one line a line stands for in another run of the same scenario (for differences between runs). */
const lineKey = (l: CostLine) =>
  `${l.charge}|${l.fn ?? ""}|${l.operation ? `${l.operation.caller}: ${describeOperation(l.operation)}` : ""}`;

/** The API function's calls are intake; the delivery function's and its event source's are delivery. */
const sideOf = (operation: Operation): "intake" | "delivery" | "bench" => {
  if (operation.caller === "api") return "intake";
  return operation.caller === "delivery" || operation.caller === "event source" ? "delivery" : "bench";
};

const byOperation = (a: Operation, b: Operation) =>
  a.caller.localeCompare(b.caller) || describeOperation(a).localeCompare(describeOperation(b));

function awsLines(counts: Counts, deliveries: number, side: "intake" | "delivery"): CostLine[] {
  const counted = Object.values(counts)
    .filter((c) => sideOf(c.operation) === side)
    .sort((a, b) => byOperation(a.operation, b.operation));
  return counted.map((c) => {
    const { operation } = c;
    const item = `${describeOperation(operation)}${operation.caller === "event source" ? " (event source)" : ""}`;
    if (operation.service === "SQS") {
      const extra = operation.action === "ReceiveMessage" ? `, ${round(c.entries / Math.max(1, c.requests), 1)} messages a receive` : "";
      return line("sqsRequest", c.billedRequests / deliveries, "requests", { item, operation, detail: `${c.requests} requests${extra}` });
    }
    const detail = `${c.requests} requests`;
    if (c.writeUnits > 0) return line("dynamoWriteUnit", c.writeUnits / deliveries, "write units", { item, operation, detail });
    return line("dynamoReadUnit", c.readUnits / deliveries, "read units", { item, operation, detail });
  });
}

function lambdaLines(fn: keyof FunctionMemory, memory: FunctionMemory, invocations: number, medianMs: number, deliveries: number) {
  const perDelivery = invocations / deliveries;
  const name = fn === "api" ? "API" : fn;
  const gbSeconds = perDelivery * (Math.ceil(medianMs) / 1000) * (memory[fn] / 1024);
  return [
    line("lambdaRequest", perDelivery, "invocations", { item: `Lambda ${name} requests`, fn }),
    line("lambdaGbSecondArm", gbSeconds, "GB-s", {
      item: `Lambda ${name} duration`,
      detail: `${Math.ceil(medianMs)} ms billed per invocation, ${memory[fn]} MB arm64`,
      fn,
    }),
  ];
}

function logLine(fn: keyof FunctionMemory, item: string, appBytes: number, invocations: number, extraBytes: number, deliveries: number) {
  const bytes = (appBytes + invocations * ASSUMPTIONS.platformLogBytesPerInvocation + extraBytes) / deliveries;
  return line("logsIngestedByte", bytes, "bytes", { item, fn });
}

/** Intake lines (API Gateway, API Lambda, its AWS calls and logs) per delivery of one run. */
export function intakeLines(
  run: MeasuredRun,
  memory: FunctionMemory,
  apiMedianMs: number,
  frontDoor: "http-api" | "function-url" = "http-api",
): CostLine[] {
  const n = run.deliveries;
  const requests = run.taken.invocations.api.length;
  const viaApiGateway = frontDoor === "http-api";
  return [
    ...(viaApiGateway ? [line("apiGatewayRequest", requests / n, "requests", { item: "API Gateway HTTP API requests" })] : []),
    ...lambdaLines("api", memory, requests, apiMedianMs, n),
    ...awsLines(run.taken.sqs, n, "intake"),
    ...awsLines(run.taken.dynamodb, n, "intake"),
    logLine(
      "api",
      viaApiGateway ? "CloudWatch Logs, API (its own lines and the access log)" : "CloudWatch Logs, API (its own lines)",
      run.taken.logBytes.api,
      requests,
      viaApiGateway ? requests * ASSUMPTIONS.accessLogBytesPerRequest : 0,
      n,
    ),
  ];
}

/** Delivery lines (event source polling, delivery Lambda, its AWS calls and logs) per delivery of one run. */
export function deliveryLines(run: MeasuredRun, memory: FunctionMemory, deliveryMedianMs: number): CostLine[] {
  const n = run.deliveries;
  const invocations = run.taken.invocations.delivery.length;
  return [
    ...lambdaLines("delivery", memory, invocations, deliveryMedianMs, n),
    ...awsLines(run.taken.sqs, n, "delivery"),
    ...awsLines(run.taken.dynamodb, n, "delivery"),
    logLine("delivery", "CloudWatch Logs, delivery (its lines and embedded metrics)", run.taken.logBytes.delivery, invocations, 0, n),
  ];
}

/**
 * What one retry adds per retried delivery, line by line: the run where a share of deliveries failed
 * once, minus the run without failures before it, divided by that share.
 */
export function retryLines(retried: MeasuredRun, base: MeasuredRun, memory: FunctionMemory, deliveryMs: number): CostLine[] {
  const before = new Map(deliveryLines(base, memory, deliveryMs).map((l) => [lineKey(l), l]));
  const after = new Map(deliveryLines(retried, memory, deliveryMs).map((l) => [lineKey(l), l]));
  const lines: CostLine[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    const { charge, unit, item, operation, fn } = (a ?? b) as CostLine;
    const perDelivery = ((a?.perDelivery ?? 0) - (b?.perDelivery ?? 0)) / retried.retryShare;
    if (Math.abs(perDelivery * PRICES[charge] * 1e6) < 0.0005) continue;
    lines.push(line(charge, perDelivery, unit, { item: `one retry: ${item}`, operation, fn }));
  }
  return lines;
}

/** The sum of a list of lines, dollars per million deliveries. */
export const totalOf = (lines: readonly CostLine[]) =>
  round(
    lines.reduce((sum, l) => sum + l.dollarsPerMillion, 0),
    3,
  );
