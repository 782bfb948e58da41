/** Reading CloudWatch embedded metric format lines and the metrics a synthesized template reads. */
import type { SQSEvent } from "aws-lambda";
import { vi } from "vitest";

/** One metric as CloudWatch keys it: namespace, name and the dimension values. */
export interface MetricKey {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** A stable string for a metric key, dimensions sorted. */
export function keyOf(m: MetricKey): string {
  const dims = Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return `${m.namespace}/${m.name}{${dims}}`;
}

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string }[];
}

/** The metrics one EMF line publishes, every dimension set of every directive. */
export function metricsOfEmfLine(line: Record<string, unknown>): MetricKey[] {
  const aws = line._aws as { CloudWatchMetrics?: EmfDirective[] } | undefined;
  const out: MetricKey[] = [];
  for (const directive of aws?.CloudWatchMetrics ?? []) {
    for (const set of directive.Dimensions) {
      const dimensions = Object.fromEntries(set.map((d) => [d, String(line[d])]));
      for (const metric of directive.Metrics) out.push({ namespace: directive.Namespace, name: metric.Name, dimensions });
    }
  }
  return out;
}

/** CloudWatch's unit names, as the embedded metric format takes them. */
const UNITS = new Set(
  "Seconds Microseconds Milliseconds Bytes Kilobytes Megabytes Gigabytes Terabytes Bits Kilobits Megabits Gigabits Terabits Percent Count Bytes/Second Kilobytes/Second Megabytes/Second Gigabytes/Second Terabytes/Second Bits/Second Kilobits/Second Megabits/Second Gigabits/Second Terabits/Second Count/Second None".split(
    " ",
  ),
);

/**
 * What in one parsed line breaks the embedded metric format's rules (empty when nothing does), as
 * the specification states them: `_aws` with a millisecond Timestamp and directives; each directive
 * a Namespace, dimension sets of at most 30 names each with a string value at top level, and at most
 * 100 metrics, each with a name, a known unit and at top level a number or a list of at most 100
 * numbers. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfProblems(line: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const aws = line._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (typeof aws !== "object" || aws === null) return ["no _aws object"];
  if (!Number.isInteger(aws.Timestamp) || (aws.Timestamp as number) < 0) problems.push("_aws.Timestamp is not milliseconds");
  if (!Array.isArray(aws.CloudWatchMetrics)) return [...problems, "_aws.CloudWatchMetrics is not a list"];
  for (const directive of aws.CloudWatchMetrics as Partial<EmfDirective & { Metrics: { Name: unknown; Unit?: unknown }[] }>[]) {
    if (typeof directive.Namespace !== "string" || directive.Namespace.length === 0 || directive.Namespace.length > 255)
      problems.push(`bad Namespace ${String(directive.Namespace)}`);
    if (!Array.isArray(directive.Dimensions)) problems.push("Dimensions is not a list");
    for (const set of directive.Dimensions ?? []) {
      if (!Array.isArray(set) || set.length > 30) problems.push(`dimension set ${JSON.stringify(set)} is not a list of at most 30`);
      for (const name of set ?? []) if (typeof line[name] !== "string") problems.push(`dimension ${name} has no string value`);
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics)) {
      problems.push("Metrics is not a list");
      continue;
    }
    if (metrics.length > 100) problems.push(`${metrics.length} metrics in one directive`);
    const names = metrics.map((m) => m.Name);
    if (new Set(names).size !== names.length) problems.push("a metric is named twice");
    for (const { Name, Unit } of metrics) {
      if (typeof Name !== "string" || Name.length === 0 || Name.length > 255) problems.push(`bad metric name ${String(Name)}`);
      if (Unit !== undefined && !UNITS.has(String(Unit))) problems.push(`${String(Name)}: unknown unit ${String(Unit)}`);
      const value = line[String(Name)];
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.length > 100) problems.push(`${String(Name)}: ${values.length} values`);
      if (!values.every((v) => typeof v === "number" && Number.isFinite(v))) problems.push(`${String(Name)}: not numbers`);
    }
  }
  return problems;
}

/** Runs `fn` with stdout captured, and returns the JSON lines written that carry an EMF directive. */
export async function captureEmf(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split("\n"))
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((o) => o._aws !== undefined);
}

/** An SQS event as the event source hands it to a function, one record per body. */
export function sqsEvent(bodies: string[], receiveCount = 1): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`,
      receiptHandle: `rh-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now() - 1_000),
        SenderId: "test",
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:hookrelay-deliveries",
      awsRegion: "us-east-1",
    })),
  };
}

type Json = Record<string, unknown>;

/** Replaces intrinsic functions inside a Fn::Join with a placeholder, so that the joined text parses. */
function joinedText(value: unknown): string {
  if (typeof value === "string") return value;
  const join = (value as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"];
  if (!join) return "TOKEN";
  return join[1].map((part) => (typeof part === "string" ? part : "TOKEN")).join(join[0]);
}

/** Every metric of a custom namespace that the template's alarms and dashboards read. */
export function metricsReadByTemplate(resources: Record<string, { Type: string; Properties?: Json }>): MetricKey[] {
  const out: MetricKey[] = [];
  const fromDimensions = (dims: { Name: string; Value: unknown }[] | undefined) =>
    Object.fromEntries((dims ?? []).map((d) => [d.Name, typeof d.Value === "string" ? d.Value : "TOKEN"]));
  for (const r of Object.values(resources)) {
    const p = r.Properties ?? {};
    if (r.Type === "AWS::CloudWatch::Alarm") {
      if (typeof p.MetricName === "string") {
        out.push({ namespace: String(p.Namespace), name: p.MetricName, dimensions: fromDimensions(p.Dimensions as never) });
      }
      for (const q of (p.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: never } } }[]) ?? []) {
        const m = q.MetricStat?.Metric;
        if (m) out.push({ namespace: m.Namespace, name: m.MetricName, dimensions: fromDimensions(m.Dimensions) });
      }
    }
    if (r.Type === "AWS::CloudWatch::Dashboard") {
      const body = JSON.parse(joinedText(p.DashboardBody)) as { widgets: { properties: { metrics?: unknown[][] } }[] };
      for (const widget of body.widgets) {
        for (const row of widget.properties.metrics ?? []) {
          // A row is [namespace, name, dim1, value1, ..., {options}]; a math expression row has only {options}.
          const parts = row.filter((x) => typeof x === "string") as string[];
          if (parts.length < 2) continue;
          const [namespace, name, ...dims] = parts as [string, string, ...string[]];
          const dimensions: Record<string, string> = {};
          for (let i = 0; i + 1 < dims.length; i += 2) dimensions[dims[i] as string] = dims[i + 1] as string;
          out.push({ namespace, name, dimensions });
        }
      }
    }
  }
  return out;
}
