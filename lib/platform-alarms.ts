/**
 * Alarms on the AWS services under the dispatcher, beside the delivery alarms of
 * dispatcher-monitoring.ts: each function's Lambda errors and throttles, the front door's 5xx
 * answers, and DynamoDB throttling of the table and its indexes. The dispatcher catches and
 * classifies every failure it expects (a dependency's failure is a 503 or a redelivered message, a
 * receiver's is a failed attempt), so none of these counts anything in normal operation: the
 * thresholds default to one in a 5-minute period. The feed function's throttles are the exception:
 * long polls fill its reserved concurrency by design, so its threshold is a pool's worth.
 */
import { Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";

/** The dispatcher's functions by name. */
export interface DispatcherFunctions<T> {
  readonly api: T;
  readonly feed: T;
  readonly delivery: T;
  readonly deadLetter: T;
  readonly sweeper: T;
}

/** The alarms on Lambda, the front door and DynamoDB. */
export interface PlatformAlarms {
  /** A function's Errors (uncaught exceptions, timeouts, out of memory) reached `functionErrorThreshold` in 5 minutes. */
  readonly functionErrors: DispatcherFunctions<cloudwatch.Alarm>;
  /** A function's Throttles reached `functionThrottleThreshold` (the feed's: `feedThrottleThreshold`) in 5 minutes: invocations refused for lack of concurrency. */
  readonly functionThrottles: DispatcherFunctions<cloudwatch.Alarm>;
  /** The front door's 5xx answers (HTTP API `5xx`, or the function URLs' `Url5xxCount`) reached `apiServerErrorThreshold` in 5 minutes. */
  readonly apiServerErrors: cloudwatch.Alarm;
  /** Throttled reads of the table and its indexes together reached `tableThrottleThreshold` in 5 minutes. */
  readonly tableReadThrottles: cloudwatch.Alarm;
  /** Throttled writes of the table and its indexes together (an index that falls behind throttles the table's writes) reached `tableThrottleThreshold` in 5 minutes. */
  readonly tableWriteThrottles: cloudwatch.Alarm;
}

/** What the platform alarms watch, and their thresholds (each a count per 5-minute period). */
export interface PlatformAlarmsProps {
  readonly functions: DispatcherFunctions<lambda.IFunction>;
  /** The HTTP API when it is the front door. */
  readonly httpApi?: HttpApi;
  /** The functions whose own URLs are the front door (`frontDoor: "function-url"`). */
  readonly urlFunctions: readonly lambda.IFunction[];
  readonly table: dynamodb.ITable;
  readonly indexNames: readonly string[];
  readonly functionErrorThreshold: number;
  readonly functionThrottleThreshold: number;
  /** The feed function's own: long polls at capacity throttle as expected. */
  readonly feedThrottleThreshold: number;
  readonly apiServerErrorThreshold: number;
  readonly tableThrottleThreshold: number;
}

const PERIOD = Duration.minutes(5);

/** A construct-id prefix per function name (`deadLetter` -> `DeadLetter`). */
const idOf = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The DynamoDB throttle metric `metricName` of the table ("table") and of each index, by expression id. */
export function tableThrottleMetrics(
  table: dynamodb.ITable,
  indexNames: readonly string[],
  metricName: "ReadThrottleEvents" | "WriteThrottleEvents",
): Record<string, cloudwatch.Metric> {
  const metric = (index?: string) =>
    new cloudwatch.Metric({
      namespace: "AWS/DynamoDB",
      metricName,
      statistic: "Sum",
      period: PERIOD,
      dimensionsMap: { TableName: table.tableName, ...(index !== undefined && { GlobalSecondaryIndexName: index }) },
      label: index ?? "table",
    });
  // Expression ids must start with a lower-case letter and hold only letters, digits and underscores.
  return Object.fromEntries([["table", metric()], ...indexNames.map((index, i) => [`index${i}`, metric(index)])]);
}

/** The sum of several count metrics, a missing datapoint counting as 0. */
function total(metrics: Record<string, cloudwatch.IMetric>, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: Object.keys(metrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(" + "),
    usingMetrics: metrics,
    label,
    period: PERIOD,
  });
}

/** The front door's 5xx answers per period. */
export function serverErrorsMetric(props: Pick<PlatformAlarmsProps, "httpApi" | "urlFunctions">): cloudwatch.IMetric {
  if (props.httpApi) return props.httpApi.metricServerError({ period: PERIOD, statistic: "Sum" });
  const urls = Object.fromEntries(
    props.urlFunctions.map((fn, i) => [`url${i}`, fn.metric("Url5xxCount", { period: PERIOD, statistic: "Sum" })]),
  );
  return total(urls, "Url5xxCount");
}

/** Creates the platform alarms under `scope` (construct ids `<Function>ErrorsAlarm`, `<Function>ThrottlesAlarm`, `ApiServerErrorsAlarm`, `TableReadThrottlesAlarm`, `TableWriteThrottlesAlarm`). */
export function createPlatformAlarms(scope: Construct, props: PlatformAlarmsProps): PlatformAlarms {
  const atLeast = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) =>
    new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  const perFunction = (kind: "Errors" | "Throttles", threshold: number, what: string, feedThreshold = threshold) => {
    const make = (name: string, fn: lambda.IFunction, threshold: number) =>
      atLeast(
        `${idOf(name)}${kind}Alarm`,
        kind === "Errors"
          ? fn.metricErrors({ period: PERIOD, statistic: "Sum" })
          : fn.metricThrottles({ period: PERIOD, statistic: "Sum" }),
        threshold,
        `The ${name} function had ${threshold} or more ${what} in 5 minutes.`,
      );
    const { api, feed, delivery, deadLetter, sweeper } = props.functions;
    return {
      api: make("api", api, threshold),
      feed: make("feed", feed, feedThreshold),
      delivery: make("delivery", delivery, threshold),
      deadLetter: make("deadLetter", deadLetter, threshold),
      sweeper: make("sweeper", sweeper, threshold),
    };
  };
  const { functionErrorThreshold: errors, functionThrottleThreshold: throttles } = props;
  return {
    functionErrors: perFunction("Errors", errors, "errors (uncaught exceptions, timeouts or out-of-memory ends)"),
    functionThrottles: perFunction(
      "Throttles",
      throttles,
      "throttled invocations (no concurrency left: the API answers 429, events wait, feed requests are refused)",
      props.feedThrottleThreshold,
    ),
    apiServerErrors: atLeast(
      "ApiServerErrorsAlarm",
      serverErrorsMetric(props),
      props.apiServerErrorThreshold,
      `The API answered ${props.apiServerErrorThreshold} or more 5xx in 5 minutes: a dependency failed (503) or a function failed (500, 502, 504).`,
    ),
    tableReadThrottles: atLeast(
      "TableReadThrottlesAlarm",
      total(tableThrottleMetrics(props.table, props.indexNames, "ReadThrottleEvents"), "Read throttle events (table and indexes)"),
      props.tableThrottleThreshold,
      `DynamoDB throttled ${props.tableThrottleThreshold} or more reads of the table or its indexes in 5 minutes.`,
    ),
    tableWriteThrottles: atLeast(
      "TableWriteThrottlesAlarm",
      total(tableThrottleMetrics(props.table, props.indexNames, "WriteThrottleEvents"), "Write throttle events (table and indexes)"),
      props.tableThrottleThreshold,
      `DynamoDB throttled ${props.tableThrottleThreshold} or more writes of the table or its indexes in 5 minutes (an index that falls behind throttles the table's writes).`,
    ),
  };
}

/** The dashboard's row for the platform: DynamoDB throttling of the table and each index. */
export function platformWidgets(props: Pick<PlatformAlarmsProps, "table" | "indexNames">): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: "DynamoDB read throttle events (table and each index)",
      left: Object.values(tableThrottleMetrics(props.table, props.indexNames, "ReadThrottleEvents")),
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: "DynamoDB write throttle events (table and each index)",
      left: Object.values(tableThrottleMetrics(props.table, props.indexNames, "WriteThrottleEvents")),
      width: 12,
    }),
  ];
}
