/**
 * Operations: the alarms on Lambda errors and throttles, the API's 5xx and DynamoDB throttling, all
 * notifying where the delivery alarms do and shown on the dashboard; the synthesis warning when no
 * one will hear any alarm; and the `fairQueues` option, whose default follows the partition.
 * Bundling is skipped: these tests read the template, not code.
 */
import { Annotations as CoreAnnotations, Stack } from "aws-cdk-lib";
import { Annotations, Match, type Template } from "aws-cdk-lib/assertions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TABLE_DESIGN } from "../../functions/adapters/dynamo/table-design.ts";
import { FAIR_QUEUE_PARTITIONS } from "../../lib/fair-queues.ts";
import { DEFAULT_FEED_RESERVED_CONCURRENCY } from "../../lib/resolved-settings.ts";
import {
  ALARMS_UNHEARD_WARNING,
  everyAlarm,
  WebhookDispatcher,
  type WebhookDispatcherProps,
  WebhookDispatcherPropsError,
} from "../../lib/webhook-dispatcher.ts";
import { deployedEnv, evaluateCondition, functionEnv, logicalId, type Resource, resourcesOfType, synthDispatcher } from "./helpers.ts";
import { deployedStack, functionUrlStack, type Synthesized } from "./synthesized.ts";

const ref = (id: string) => ({ Ref: id });

/** The dispatcher's functions by name, as the alarms key them. */
function functionsOf(d: WebhookDispatcher): [string, lambda.IFunction][] {
  return Object.entries({
    api: d.apiFunction,
    feed: d.feedFunction,
    delivery: d.deliveryFunction,
    deadLetter: d.deadLetterFunction,
    sweeper: d.sweeperFunction,
  });
}

/** The alarm resource of one construct. */
function alarmResource(template: Template, stack: Stack, alarm: { node: { defaultChild?: unknown } }): Resource {
  return template.toJSON().Resources[logicalId(stack, alarm as never)] as Resource;
}

/** The metric (namespace, name, dimensions) of each MetricStat of an alarm with metric math. */
function mathMetrics(alarm: Resource): { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] }[] {
  const metrics = (alarm.Properties?.Metrics ?? []) as { MetricStat?: { Metric: never } }[];
  type Metric = { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] };
  // Dimensions by name: their order in the template carries no meaning.
  return metrics.flatMap((m) => {
    if (!m.MetricStat) return [];
    const metric = m.MetricStat.Metric as Metric;
    return [{ ...metric, Dimensions: [...metric.Dimensions].sort((a, b) => a.Name.localeCompare(b.Name)) }];
  });
}

/** The shared stacks of each front door, with default thresholds (read only). */
const frontDoors: [string, () => Synthesized<Stack>][] = [
  ["http-api", () => deployedStack()],
  ["function-url", functionUrlStack],
];

describe("alarms on the platform", () => {
  it.each(frontDoors)("alarm on every function's errors and throttles, at 1 a 5-minute period by default (%s)", (_door, synthesized) => {
    const { stack, dispatcher, template } = synthesized();
    const functions = functionsOf(dispatcher);
    expect(functions.map(([name]) => name)).toEqual(["api", "feed", "delivery", "deadLetter", "sweeper"]);
    for (const [name, fn] of functions) {
      for (const [metric, alarm] of [
        ["Errors", dispatcher.alarms.functionErrors[name as "api"]],
        ["Throttles", dispatcher.alarms.functionThrottles[name as "api"]],
      ] as const) {
        // Long polls at capacity throttle the feed as expected: its throttles alarm at a whole pool's worth.
        const threshold = name === "feed" && metric === "Throttles" ? DEFAULT_FEED_RESERVED_CONCURRENCY : 1;
        expect(alarmResource(template, stack, alarm).Properties).toMatchObject({
          Namespace: "AWS/Lambda",
          MetricName: metric,
          Dimensions: [{ Name: "FunctionName", Value: ref(logicalId(stack, fn)) }],
          Statistic: "Sum",
          Period: 300,
          Threshold: threshold,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "notBreaching",
        });
      }
    }
    // The five delivery alarms (unsendableEvents included), the two ordered ones, the scheduler's, two per function, the API's 5xx, the table's reads and writes, and the push's errors.
    const count = Object.keys(resourcesOfType(template, "AWS::CloudWatch::Alarm")).length;
    expect(count).toBe(5 + 2 + 1 + 2 * functions.length + 3 + 1);
    expect(everyAlarm(dispatcher.alarms)).toHaveLength(count);
  });

  it("alarm on the HTTP API's 5xx answers", () => {
    const { stack, dispatcher, template } = deployedStack();
    expect(alarmResource(template, stack, dispatcher.alarms.apiServerErrors).Properties).toMatchObject({
      Namespace: "AWS/ApiGateway",
      MetricName: "5xx",
      Dimensions: [{ Name: "ApiId", Value: ref(logicalId(stack, dispatcher.httpApi!)) }],
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("alarm on the 5xx answers of both function URLs, the API's and the feed's, when they are the front door", () => {
    const { stack, dispatcher, template } = functionUrlStack();
    const alarm = alarmResource(template, stack, dispatcher.alarms.apiServerErrors);
    expect(mathMetrics(alarm)).toEqual(
      [dispatcher.apiFunction, dispatcher.feedFunction].map((fn) => ({
        Namespace: "AWS/Lambda",
        MetricName: "Url5xxCount",
        Dimensions: [{ Name: "FunctionName", Value: ref(logicalId(stack, fn)) }],
      })),
    );
    const expression = (alarm.Properties?.Metrics as { Expression?: string }[]).find((m) => m.Expression)?.Expression;
    expect(expression?.split(" + ")).toHaveLength(2);
    expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: "GreaterThanOrEqualToThreshold" });
  });

  it.each([
    ["tableReadThrottles", "ReadThrottleEvents"],
    ["tableWriteThrottles", "WriteThrottleEvents"],
  ] as const)("alarm on %s: the table's and every index's %s, summed", (field, metricName) => {
    const { stack, dispatcher, template } = deployedStack();
    const alarm = alarmResource(template, stack, dispatcher.alarms[field]);
    const table = ref(logicalId(stack, dispatcher.table));
    const expected = [undefined, ...TABLE_DESIGN.indexes.map((index) => index.name)].map((index) => ({
      Namespace: "AWS/DynamoDB",
      MetricName: metricName,
      Dimensions: [...(index ? [{ Name: "GlobalSecondaryIndexName", Value: index }] : []), { Name: "TableName", Value: table }],
    }));
    expect(mathMetrics(alarm)).toEqual(expected);
    const expression = (alarm.Properties?.Metrics as { Expression?: string }[]).find((m) => m.Expression)?.Expression;
    expect(expression?.split(" + ")).toHaveLength(expected.length);
    expect(alarm.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
  });

  it("take each threshold from its prop", () => {
    fc.assert(
      fc.property(
        fc.record({
          functionErrorThreshold: fc.integer({ min: 1, max: 1_000_000 }),
          functionThrottleThreshold: fc.integer({ min: 1, max: 1_000_000 }),
          apiServerErrorThreshold: fc.integer({ min: 1, max: 1_000_000 }),
          tableThrottleThreshold: fc.integer({ min: 1, max: 1_000_000 }),
        }),
        (thresholds) => {
          const { stack, dispatcher, template } = synthDispatcher(thresholds);
          const threshold = (alarm: never) => alarmResource(template, stack, alarm).Properties?.Threshold;
          const { functionErrors, functionThrottles, apiServerErrors, tableReadThrottles, tableWriteThrottles } = dispatcher.alarms;
          for (const alarm of Object.values(functionErrors)) expect(threshold(alarm as never)).toBe(thresholds.functionErrorThreshold);
          const { feed, ...others } = functionThrottles;
          for (const alarm of Object.values(others)) expect(threshold(alarm as never)).toBe(thresholds.functionThrottleThreshold);
          // The feed's follows the pool it fills, not functionThrottleThreshold.
          expect(threshold(feed as never)).toBe(DEFAULT_FEED_RESERVED_CONCURRENCY);
          expect(threshold(apiServerErrors as never)).toBe(thresholds.apiServerErrorThreshold);
          expect(threshold(tableReadThrottles as never)).toBe(thresholds.tableThrottleThreshold);
          expect(threshold(tableWriteThrottles as never)).toBe(thresholds.tableThrottleThreshold);
        },
      ),
      { numRuns: 5 },
    );
  });

  it("give the feed's throttles their own threshold: feedThrottleThreshold, else the feed's reservation, else functionThrottleThreshold when unreserved", () => {
    const reservation = fc.oneof(fc.constant(undefined), fc.constant("unreserved" as const), fc.integer({ min: 10, max: 10_000 }));
    const count = fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined });
    fc.assert(
      fc.property(reservation, count, count, (feedReservedConcurrency, feedThrottleThreshold, functionThrottleThreshold) => {
        const { stack, dispatcher, template } = synthDispatcher({
          feedReservedConcurrency,
          feedThrottleThreshold,
          functionThrottleThreshold,
        });
        const threshold = (alarm: never) => alarmResource(template, stack, alarm).Properties?.Threshold;
        const { feed, ...others } = dispatcher.alarms.functionThrottles;
        // A full reserved pool throttles long polls by design; an unreserved feed throttles only when the account has no concurrency left.
        const pool = feedReservedConcurrency === "unreserved" ? undefined : (feedReservedConcurrency ?? DEFAULT_FEED_RESERVED_CONCURRENCY);
        expect(threshold(feed as never)).toBe(feedThrottleThreshold ?? pool ?? functionThrottleThreshold ?? 1);
        for (const alarm of Object.values(others)) expect(threshold(alarm as never)).toBe(functionThrottleThreshold ?? 1);
      }),
      {
        numRuns: 6,
        examples: [
          [undefined, undefined, undefined],
          ["unreserved", undefined, undefined],
          ["unreserved", undefined, 7],
          [30, undefined, 3],
          [30, 12, 3],
        ],
      },
    );
  });

  it("refuses a threshold that is not a whole number of at least 1, naming the prop", () => {
    const names = [
      "functionErrorThreshold",
      "functionThrottleThreshold",
      "feedThrottleThreshold",
      "apiServerErrorThreshold",
      "tableThrottleThreshold",
    ] as const;
    const bad = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ min: 1.01, max: 100, noInteger: true, noNaN: true }),
      fc.integer({ min: 1_000_001 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...names), bad, (name, value) => {
        expect(() => construct({ [name]: value })).toThrow(WebhookDispatcherPropsError);
        expect(() => construct({ [name]: value })).toThrow(new RegExp(name));
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    ["alarmEmail", { alarmEmail: "oncall@example.com" }],
    ["alarmTopic", {}],
  ] as const)("notify, and notify of recovery, the %s's topic from every alarm, the new ones included", (which, props) => {
    const { stack, dispatcher, template } = synthDispatcher(props, {
      build: which === "alarmTopic" ? (s) => ({ alarmTopic: new sns.Topic(s, "OwnTopic") }) : undefined,
    });
    const topic = ref(logicalId(stack, dispatcher.alarmTopic as sns.Topic));
    const alarms = Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(everyAlarm(dispatcher.alarms).length);
    for (const alarm of alarms) {
      expect(alarm.Properties?.AlarmActions).toEqual([topic]);
      expect(alarm.Properties?.OKActions).toEqual([topic]);
    }
  });

  it("are on the dashboard: every alarm in the alarm widget, the table's throttling graphed per index", () => {
    const { stack, dispatcher, template } = deployedStack();
    const body = JSON.stringify(Object.values(resourcesOfType(template, "AWS::CloudWatch::Dashboard"))[0]?.Properties?.DashboardBody);
    for (const alarm of everyAlarm(dispatcher.alarms)) expect(body).toContain(logicalId(stack, alarm));
    for (const name of ["ReadThrottleEvents", "WriteThrottleEvents", ...TABLE_DESIGN.indexes.map((i) => i.name)]) {
      expect(body).toContain(name);
    }
  });
});

/** The construct in a stack of its own, not synthesized: props are refused in the constructor. */
function construct(props: WebhookDispatcherProps): void {
  const stack = new Stack();
  stack.node.setContext("aws:cdk:bundling-stacks", []);
  new WebhookDispatcher(stack, "Webhooks", props);
}

describe("the warning that no one will hear the alarms", () => {
  it("is given at synthesis, with its stable id, when neither alarmEmail nor alarmTopic is set", () => {
    const { stack } = synthDispatcher();
    Annotations.fromStack(stack).hasWarning(
      "/Deploy/Webhooks",
      Match.stringLikeRegexp(`notify no one.*\\[ack: ${ALARMS_UNHEARD_WARNING}\\]`),
    );
  });

  it("is not given when someone will hear them, nor once acknowledged", () => {
    const cases: ((s: Stack) => WebhookDispatcherProps)[] = [
      () => ({ alarmEmail: "oncall@example.com" }),
      (s) => ({ alarmTopic: new sns.Topic(s, "OwnTopic") }),
      (s) => {
        // A user who watches the alarms' states another way.
        CoreAnnotations.of(s).acknowledgeWarning(ALARMS_UNHEARD_WARNING, "Our own monitoring reads the alarms' states.");
        return {};
      },
    ];
    for (const build of cases) {
      const { stack } = synthDispatcher({}, { build });
      Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp(ALARMS_UNHEARD_WARNING));
    }
  });
});

describe("the fairQueues option", () => {
  /** Every function's FAIR_QUEUES as deployed in `partition`. */
  const deployed = (template: Template, stack: Stack, d: WebhookDispatcher, partition: string) =>
    new Set(functionsOf(d).map(([, fn]) => deployedEnv(template, functionEnv(template, stack, fn), partition).FAIR_QUEUES));

  it("defaults, in a stack without a region, to a deploy-time choice: on in aws, aws-cn and aws-us-gov, off in any other partition", () => {
    const { stack, dispatcher, template } = synthDispatcher({}, { env: null });
    const others = fc.oneof(
      fc.constantFrom("aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"),
      fc.stringMatching(/^aws-[a-z-]{1,12}$/).filter((p) => !FAIR_QUEUE_PARTITIONS.includes(p)),
    );
    for (const partition of FAIR_QUEUE_PARTITIONS) expect(deployed(template, stack, dispatcher, partition)).toEqual(new Set(["true"]));
    fc.assert(
      fc.property(others, (partition) => {
        expect(deployed(template, stack, dispatcher, partition)).toEqual(new Set(["false"]));
      }),
    );
    expect(Object.keys(template.toJSON().Conditions ?? {})).toHaveLength(1);
    const [condition] = Object.keys(template.toJSON().Conditions);
    expect(evaluateCondition(template, condition as string, { "AWS::Partition": "aws-iso" })).toBe(false);
  });

  it.each([
    ["us-east-1", "true"],
    ["cn-north-1", "true"],
    ["us-gov-west-1", "true"],
    ["us-iso-east-1", "false"],
    ["us-isob-east-1", "false"],
    ["eusc-de-east-1", "false"],
  ])("defaults, in a stack in %s, to FAIR_QUEUES=%s written at synthesis", (region, expected) => {
    const { stack, dispatcher, template } = synthDispatcher({}, { env: { account: "111111111111", region } });
    for (const [, fn] of functionsOf(dispatcher)) expect(functionEnv(template, stack, fn).FAIR_QUEUES).toBe(expected);
    expect(template.toJSON().Conditions).toBeUndefined();
  });

  it("is what the prop says, in any partition, when given", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(null, "us-east-1", "us-iso-east-1", "cn-northwest-1"), (fairQueues, region) => {
        const env = region === null ? null : { account: "111111111111", region };
        const { stack, dispatcher, template } = synthDispatcher({ fairQueues }, { env });
        for (const [, fn] of functionsOf(dispatcher)) expect(functionEnv(template, stack, fn).FAIR_QUEUES).toBe(String(fairQueues));
        expect(template.toJSON().Conditions).toBeUndefined();
      }),
      { numRuns: 8 },
    );
  });
});
