/**
 * CloudWatch embedded metric format (EMF), written by hand: one JSON line per batch of values that
 * CloudWatch turns into metrics. It replaces @aws-lambda-powertools/metrics, whose classes and
 * stores cost the delivery function's cold start about a millisecond and 14 KB for what is, here,
 * one object per flush. The format is documented at
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 * The lines are those Powertools 2.x wrote: `_aws` first, the dimension values, then each metric's
 * value (a number, or a list when it was given several times), split as Powertools splits them.
 */

/** The units hookrelay's metrics use (EMF takes CloudWatch's unit names). */
export type EmfUnit = "Count" | "Milliseconds" | "Seconds";

/** One value of one metric. A metric given several times is written as a list of its values. */
export interface EmfValue {
  name: string;
  unit: EmfUnit;
  value: number;
}

/** EMF's limit: at most 100 metrics in one line's directive. */
export const MAX_METRICS_PER_LINE = 100;
/** EMF's limit: at most 100 values of one metric in one line. */
export const MAX_VALUES_PER_METRIC = 100;

/**
 * The EMF lines (JSON text, no newline) publishing `values` under `namespace` with one dimension set,
 * the keys of `dimensions`. A line is closed before a 101st metric would enter it and as soon as a
 * metric has its 100th value, as Powertools closes them. Values CloudWatch would refuse (NaN,
 * infinities) and names that would overwrite a dimension or `_aws` are left out rather than thrown
 * at, since a metric must never fail the invocation that counts it.
 */
export function emfLines(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  values: readonly EmfValue[],
  timestamp = Date.now(),
): string[] {
  const lines: string[] = [];
  let pending = new Map<string, { unit: EmfUnit; values: number[] }>();
  const close = () => {
    if (pending.size === 0) return;
    lines.push(emfLine(namespace, dimensions, pending, timestamp));
    pending = new Map();
  };
  for (const { name, unit, value } of values) {
    if (!Number.isFinite(value) || name === "" || name === "_aws" || Object.hasOwn(dimensions, name)) continue;
    let metric = pending.get(name);
    // A unit change mid-way is a new line: one directive names one unit per metric.
    if (metric !== undefined && metric.unit !== unit) {
      close();
      metric = undefined;
    }
    if (metric === undefined) {
      if (pending.size >= MAX_METRICS_PER_LINE) close();
      metric = { unit, values: [] };
      pending.set(name, metric);
    }
    metric.values.push(value);
    if (metric.values.length === MAX_VALUES_PER_METRIC) close();
  }
  close();
  return lines;
}

function emfLine(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  metrics: ReadonlyMap<string, { unit: EmfUnit; values: number[] }>,
  timestamp: number,
): string {
  const line: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: [...metrics].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const [name, { values }] of metrics) line[name] = values.length === 1 ? values[0] : values;
  return JSON.stringify(line);
}

/** Writes `values` to stdout as EMF lines, one write per line (Lambda sends stdout to CloudWatch Logs). */
export function writeEmf(namespace: string, dimensions: Readonly<Record<string, string>>, values: readonly EmfValue[]): void {
  for (const line of emfLines(namespace, dimensions, values)) process.stdout.write(`${line}\n`);
}
