/**
 * A second CDK app that imports the construct into a stack of its own with non-default props, as a
 * user's app would, and checks that every prop took effect; then the props the construct refuses.
 */
import { App, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/core/config/config.ts";
import { parseRetrySchedule } from "../../functions/core/policy/retry-schedule.ts";
import { queueSettings } from "../../lib/resource-settings.ts";
import { everyAlarm, WebhookDispatcher, type WebhookDispatcherProps, WebhookDispatcherPropsError } from "../../lib/webhook-dispatcher.ts";
import {
  actionsOf,
  allStatements,
  deployedEnv,
  functionEnv,
  functionProps,
  logicalId,
  nagFindings,
  type Resource,
  resourcesOfType,
  SYNTH_TIMEOUT_MS,
} from "./helpers.ts";
import { appThatBundles, functionUrlStack } from "./synthesized.ts";

const RETRY_SCHEDULE = "10,60,600,3600";
const schedule = parseRetrySchedule(RETRY_SCHEDULE);
const expected = queueSettings(schedule, 30_000);

let app: App;
let keyStack: Stack;
let key: kms.Key;
let stack: Stack;
let dispatcher: WebhookDispatcher;
let template: Template;
let keyTemplate: Template;

beforeAll(() => {
  // The template is what these tests read: no bundling.
  app = appThatBundles(false);
  keyStack = new Stack(app, "Keys");
  key = new kms.Key(keyStack, "DataKey", { enableKeyRotation: true });
  stack = new Stack(app, "Platform");
  dispatcher = new WebhookDispatcher(stack, "Webhooks", {
    retrySchedule: RETRY_SCHEDULE,
    deliveryTimeout: Duration.seconds(30),
    logRetentionDays: 90,
    logLevel: "DEBUG",
    batchSize: 50,
    maxBatchingWindow: Duration.seconds(5),
    maxConcurrency: 5,
    slowLaneMaxConcurrency: 3,
    fastLaneBudget: Duration.millis(2500),
    slowLaneAfter: Duration.millis(800),
    laneExitSuccesses: 7,
    apiMemorySize: 1024,
    deliveryMemorySize: 768,
    deadLetterMemorySize: 128,
    feedMemorySize: 384,
    destinationAllowCidrs: ["10.20.0.0/16", "fd00::/8"],
    throttleRateLimit: 50,
    throttleBurstLimit: 100,
    maxMessageAge: Duration.minutes(30),
    failureRateThreshold: 0.2,
    alarmEmail: "oncall@example.com",
    encryptionKey: key,
    removalPolicy: RemovalPolicy.DESTROY,
    tracing: lambda.Tracing.ACTIVE,
    dashboardName: "platform-webhooks",
    maxEndpointsPerTenant: 50,
  });
  template = Template.fromStack(stack);
  keyTemplate = Template.fromStack(keyStack);
}, SYNTH_TIMEOUT_MS);

const ref = (id: string) => ({ Ref: id });
const keyArn = () => ({ "Fn::ImportValue": Match.stringLikeRegexp("DataKey") });

describe("a second app with non-default props", () => {
  it("passes the retry schedule, timeout, log retention, level and allowed CIDRs to every function, and config.ts accepts them", () => {
    const functions = [dispatcher.apiFunction, dispatcher.feedFunction!, dispatcher.deliveryFunction, dispatcher.deadLetterFunction];
    for (const fn of [...functions, dispatcher.sweeperFunction]) {
      const env = functionEnv(template, stack, fn);
      expect(env).toMatchObject({
        RETRY_SCHEDULE: RETRY_SCHEDULE,
        DELIVERY_TIMEOUT_MS: "30000",
        LOG_RETENTION_DAYS: "90",
        LOG_LEVEL: "DEBUG",
        DESTINATION_ALLOW_CIDRS: "10.20.0.0/16,fd00::/8",
        MAX_ENDPOINTS_PER_TENANT: "50",
        FAST_LANE_BUDGET_MS: "2500",
        SLOW_LANE_AFTER_MS: "800",
        LANE_EXIT_SUCCESSES: "7",
      });
      const resolved = deployedEnv(template, env);
      expect(parseConfig(resolved).destinationAllowCidrs).toEqual(["10.20.0.0/16", "fd00::/8"]);
      expect(functionProps(template, stack, fn).LoggingConfig).toMatchObject({ ApplicationLogLevel: "DEBUG" });
      expect(functionProps(template, stack, fn).TracingConfig).toEqual({ Mode: "Active" });
    }
  });

  it("derives the queue settings from the schedule and the timeout through queueSettings()", () => {
    expect(functionProps(template, stack, dispatcher.deliveryFunction).Timeout).toBe(45);
    const queue = template.toJSON().Resources[logicalId(stack, dispatcher.deliveryQueue)] as Resource;
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: expected.visibilityTimeoutSeconds,
      MessageRetentionPeriod: expected.retentionSeconds,
      RedrivePolicy: { maxReceiveCount: schedule.length + 21 },
    });
    expect(expected.visibilityTimeoutSeconds).toBe(270);
  });

  it("applies batch size, batching window and maximum concurrency to the delivery event source", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: ref(logicalId(stack, dispatcher.deliveryFunction)),
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("gives the slow lane's event source its own maximum concurrency", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [logicalId(stack, dispatcher.slowQueue), "Arn"] },
      FunctionName: ref(logicalId(stack, dispatcher.deliveryFunction)),
      BatchSize: 50,
      ScalingConfig: { MaximumConcurrency: 3 },
    });
  });

  it("sizes each function's memory as asked and keeps its logs 90 days", () => {
    expect(functionProps(template, stack, dispatcher.apiFunction).MemorySize).toBe(1024);
    expect(functionProps(template, stack, dispatcher.deliveryFunction).MemorySize).toBe(768);
    expect(functionProps(template, stack, dispatcher.deadLetterFunction).MemorySize).toBe(128);
    expect(functionProps(template, stack, dispatcher.sweeperFunction).MemorySize).toBe(128);
    // The feed function's own size, whatever the API's.
    expect(functionProps(template, stack, dispatcher.feedFunction!).MemorySize).toBe(384);
    // One log group per function (six, the feed's and the push's included) and the API's access log.
    const groups = Object.values(resourcesOfType(template, "AWS::Logs::LogGroup"));
    expect(groups).toHaveLength(7);
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(90);
  });

  it("encrypts the table, the six queues, the secret and the alarm topic with the given key", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: keyArn() },
    });
    template.resourcePropertiesCountIs("AWS::SQS::Queue", { KmsMasterKeyId: keyArn(), KmsDataKeyReusePeriodSeconds: 3600 }, 6);
    template.hasResourceProperties("AWS::SecretsManager::Secret", { KmsKeyId: keyArn() });
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: keyArn() });
    keyTemplate.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          }),
        ]),
      },
    });
  });

  it("grants the key's use action by action, still without any wildcard action", () => {
    const keyActions = allStatements(template)
      .filter(({ statement }) => JSON.stringify(statement.Resource ?? "").includes("DataKey"))
      .flatMap(({ statement }) => actionsOf(statement));
    expect(new Set(keyActions)).toEqual(new Set(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]));
    for (const { owner, statement } of allStatements(template)) {
      if (statement.Effect !== "Allow") continue;
      expect({ owner, wild: actionsOf(statement).filter((a) => a.includes("*")) }).toEqual({ owner, wild: [] });
    }
  });

  it("sends every alarm, and its recovery, to a topic with the e-mail subscribed", () => {
    if (!(dispatcher.alarmTopic instanceof sns.Topic)) throw new Error("alarmEmail should have created a topic");
    const topicId = logicalId(stack, dispatcher.alarmTopic);
    template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "oncall@example.com", TopicArn: ref(topicId) });
    const alarms = Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm"));
    // The five delivery alarms (unsendableEvents included), the scheduler's, the two ordered ones, errors
    // and throttles of each of the five functions, the API's 5xx, the table's read and write throttling,
    // and the WebSocket push's errors.
    expect(alarms).toHaveLength(5 + 1 + 2 + 2 * 5 + 3 + 1);
    expect(alarms).toHaveLength(everyAlarm(dispatcher.alarms).length);
    for (const alarm of alarms) {
      expect(alarm.Properties?.AlarmActions).toEqual([ref(topicId)]);
      expect(alarm.Properties?.OKActions).toEqual([ref(topicId)]);
    }
  });

  it("uses the given age and failure-rate thresholds and the dashboard name", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "ApproximateAgeOfOldestMessage", Threshold: 1800 });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { Threshold: 0.2, Metrics: Match.anyValue() });
    template.hasResourceProperties("AWS::CloudWatch::Dashboard", { DashboardName: "platform-webhooks" });
  });

  it("throttles the API as asked", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it("deletes the table, the secret and the log groups with the stack when removalPolicy is DESTROY", () => {
    for (const type of ["AWS::DynamoDB::Table", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup"]) {
      for (const r of Object.values(resourcesOfType(template, type))) expect(r.DeletionPolicy, type).toBe("Delete");
    }
  });

  it("exposes the created resources as fields", () => {
    expect(template.toJSON().Resources[logicalId(stack, dispatcher.httpApi!)]).toMatchObject({ Type: "AWS::ApiGatewayV2::Api" });
    expect(template.toJSON().Resources[logicalId(stack, dispatcher.table)]).toMatchObject({ Type: "AWS::DynamoDB::Table" });
    expect(template.toJSON().Resources[logicalId(stack, dispatcher.adminKeySecret)]).toMatchObject({ Type: "AWS::SecretsManager::Secret" });
    expect(template.toJSON().Resources[logicalId(stack, dispatcher.dashboard)]).toMatchObject({ Type: "AWS::CloudWatch::Dashboard" });
    expect(Object.keys(dispatcher.alarms).sort()).toEqual([
      "apiServerErrors",
      "deadLetters",
      "failureRate",
      "functionErrors",
      "functionThrottles",
      "oldestMessageAge",
      "orderedDeadLetters",
      "pushErrors",
      "scheduleOverdue",
      "slowLaneMessageAge",
      "stuckOrderedEndpoint",
      "tableReadThrottles",
      "tableWriteThrottles",
      "unsendableEvents",
    ]);
    expect(Object.keys(dispatcher.alarms.functionErrors).sort()).toEqual(["api", "deadLetter", "delivery", "feed", "sweeper"]);
    expect(Object.keys(dispatcher.alarms.functionThrottles).sort()).toEqual(["api", "deadLetter", "delivery", "feed", "sweeper"]);
    expect(JSON.stringify(stack.resolve(dispatcher.apiUrl))).toContain(logicalId(stack, dispatcher.httpApi!));
  });

  it("passes cdk-nag AwsSolutions too, the X-Ray grants acknowledged with their reason", () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(nagFindings(keyStack)).toEqual([]);
    const hidden = nagFindings(stack, { ignoreAcknowledgments: true });
    // One per function (the API, the feed, the delivery worker, the dead-letter consumer, the sweeper and
    // the push), and the AWS destinations' session role (test/infra/destinations.test.ts).
    expect(hidden.filter((f) => f.startsWith("AwsSolutions-IAM5[Resource::*]"))).toHaveLength(7);
  });
});

describe("props the construct refuses at synthesis", () => {
  const cases: [string, WebhookDispatcherProps, RegExp][] = [
    ["a batch above 10 without a batching window", { batchSize: 50 }, /maxBatchingWindow/],
    ["a schedule longer than SQS retention", { retrySchedule: "36000,".repeat(30).slice(0, -1) }, /14-day/],
    ["a malformed schedule", { retrySchedule: "5,soon" }, /retrySchedule/],
    ["a retry delay under 1 s", { retrySchedule: "5,0,300" }, /retrySchedule.*at least 1/],
    ["no endpoint allowed per tenant", { maxEndpointsPerTenant: 0 }, /maxEndpointsPerTenant/],
    ["a concurrency below SQS's minimum of 2", { maxConcurrency: 1 }, /maxConcurrency/],
    ["a slow lane concurrency below SQS's minimum of 2", { slowLaneMaxConcurrency: 1 }, /slowLaneMaxConcurrency/],
    ["a CIDR that is not one", { destinationAllowCidrs: ["10.0.0.0/33"] }, /destinationAllowCidrs/],
    ["a delivery timeout Lambda cannot hold", { deliveryTimeout: Duration.minutes(15) }, /deliveryTimeout/],
    ["a failure rate above 1", { failureRateThreshold: 5 }, /failureRateThreshold/],
    [
      "HTTP API throttles on a function URL",
      { frontDoor: "function-url", apiReservedConcurrency: 5, throttleRateLimit: 10 },
      /HTTP API only/,
    ],
    ["a function URL with nothing to bound a flood", { frontDoor: "function-url" }, /needs apiReservedConcurrency/],
  ];
  for (const [what, props, message] of cases) {
    it(`refuses ${what}`, () => {
      const scope = new Stack(new App(), "Refused");
      expect(() => new WebhookDispatcher(scope, "Webhooks", props)).toThrow(WebhookDispatcherPropsError);
      expect(() => new WebhookDispatcher(scope, "Webhooks2", props)).toThrow(message);
    });
  }
});

describe('frontDoor: "function-url"', () => {
  let urlStack: Stack;
  let urlDispatcher: WebhookDispatcher;
  let urlTemplate: Template;
  beforeAll(() => {
    ({ stack: urlStack, dispatcher: urlDispatcher, template: urlTemplate } = functionUrlStack());
  }, SYNTH_TIMEOUT_MS);

  it("serves the API from the API function's own URL, with no API Gateway, bounded by its reserved concurrency", () => {
    // No HTTP API (the WebSocket push's API is one of its own).
    const httpApis = Object.values(resourcesOfType(urlTemplate, "AWS::ApiGatewayV2::Api")).filter(
      (api) => api.Properties?.ProtocolType === "HTTP",
    );
    expect(httpApis).toEqual([]);
    expect(urlDispatcher.httpApi).toBeUndefined();
    const apiFunctionId = logicalId(urlStack, urlDispatcher.apiFunction);
    urlTemplate.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      TargetFunctionArn: { "Fn::GetAtt": [apiFunctionId, "Arn"] },
    });
    expect(urlStack.resolve(urlDispatcher.apiUrl)).toEqual({
      "Fn::GetAtt": [logicalId(urlStack, urlDispatcher.functionUrl!), "FunctionUrl"],
    });
    expect(functionProps(urlTemplate, urlStack, urlDispatcher.apiFunction).ReservedConcurrentExecutions).toBe(40);
  });

  it("passes cdk-nag AwsSolutions", () => {
    expect(nagFindings(urlStack)).toEqual([]);
  });
});
