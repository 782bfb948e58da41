/**
 * Ordered delivery's resources in the stack `cdk deploy` ships (lib/dispatcher-ordering.ts): the
 * FIFO queue and its FIFO dead-letter queue, the event sources, the grants and the alarms.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { IRole } from "aws-cdk-lib/aws-iam";
import { beforeAll, describe, expect, it } from "vitest";
import { ORDERED_BATCH_SIZE, ORDERED_MAX_RECEIVE_COUNT, ORDERED_RETENTION_SECONDS } from "../../functions/core/ordering/receive-budget.ts";
import { parseRetrySchedule } from "../../functions/core/policy/retry-schedule.ts";
import { ORDERED_STUCK_AFTER } from "../../lib/dispatcher-ordering.ts";
import { queueSettings } from "../../lib/resource-settings.ts";
import { DEFAULT_RETRY_SCHEDULE } from "../../lib/webhook-dispatcher.ts";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { functionEnv, logicalId, type Resource, roleActions, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { alarmedStack } from "./synthesized.ts";

let stack: WebhookDispatcherStack;
let template: Template;
const expected = queueSettings(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE), 15_000);

beforeAll(() => {
  ({ stack, template } = alarmedStack());
}, SYNTH_TIMEOUT_MS);

const resource = (id: string) => template.toJSON().Resources[id] as Resource;
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const roleOf = (fn: { role?: IRole }) => logicalId(stack, fn.role as IRole);

describe("the ordered queue", () => {
  it("is one FIFO queue with high-throughput groups, the longest retention, the delivery queue's visibility and a redrive at 1,000 receives to a FIFO dead-letter queue", () => {
    const d = stack.dispatcher;
    const queue = resource(logicalId(stack, d.orderedQueue)).Properties ?? {};
    expect(queue).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
      MessageRetentionPeriod: ORDERED_RETENTION_SECONDS,
      VisibilityTimeout: expected.visibilityTimeoutSeconds,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(logicalId(stack, d.orderedDeadLetterQueue)), maxReceiveCount: ORDERED_MAX_RECEIVE_COUNT },
    });
    expect(resource(logicalId(stack, d.orderedDeadLetterQueue)).Properties).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
    expect(ORDERED_MAX_RECEIVE_COUNT).toBeLessThanOrEqual(1_000);
  });

  it("is read by the delivery function in batches of 10 with partial failures, and its dead letters by the dead-letter function", () => {
    const d = stack.dispatcher;
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: arnOf(logicalId(stack, d.orderedQueue)),
      FunctionName: { Ref: logicalId(stack, d.deliveryFunction) },
      BatchSize: ORDERED_BATCH_SIZE,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: arnOf(logicalId(stack, d.orderedDeadLetterQueue)),
      FunctionName: { Ref: logicalId(stack, d.deadLetterFunction) },
    });
  });

  it("is named to every function that sends deliveries, each allowed to send to it and to read an endpoint's ordering", () => {
    const d = stack.dispatcher;
    for (const fn of [d.apiFunction, d.deliveryFunction, d.deadLetterFunction, d.sweeperFunction]) {
      expect(functionEnv(template, stack, fn).ORDERED_QUEUE_URL).toEqual({ Ref: logicalId(stack, d.orderedQueue) });
      expect(roleActions(template, roleOf(fn))).toEqual(expect.arrayContaining(["sqs:SendMessage", "dynamodb:GetItem"]));
    }
    expect(roleActions(template, roleOf(d.deliveryFunction))).toContain("sqs:ChangeMessageVisibility");
  });

  it("alarms on a stuck ordered endpoint and on ordered dead letters, to the alarm topic", () => {
    const d = stack.dispatcher;
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalId(stack, d.orderedQueue), "QueueName"] } }],
      Threshold: ORDERED_STUCK_AFTER.toSeconds(),
      AlarmActions: [Match.anyValue()],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalId(stack, d.orderedDeadLetterQueue), "QueueName"] } }],
      Threshold: 0,
      AlarmActions: [Match.anyValue()],
    });
    expect(logicalId(stack, d.alarms.stuckOrderedEndpoint)).toMatch(/StuckOrderedEndpointAlarm/);
    expect(logicalId(stack, d.alarms.orderedDeadLetters)).toMatch(/OrderedDeadLettersAlarm/);
  });
});
