/**
 * WebSocket push (docs/websocket.md): an API Gateway WebSocket API whose $connect, $default and
 * $disconnect routes run the push function, which also reads the table's stream (each feed slot
 * written pushes its endpoint's connections) and sweeps every minute (subscribe deadline, 2-hour
 * limit, rechecks). Connections are items of the dispatcher's table with TTL. The core is the local
 * stack's; only the channel differs (PostToConnection here).
 */
import { ArnFormat, Duration, Stack, Validations } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { WebSocketLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as eventTargets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { grantReadSecret, grantSend, grantTable } from "./dispatcher-access.ts";
import { DispatcherFunction, type DispatcherFunctionOptions, FUNCTION_ENTRIES } from "./dispatcher-function.ts";
import { PUSH_DEADLINE_QUEUE } from "./resource-settings.ts";

/** The WebSocket API's stage: part of the URL clients hold. */
export const WEBSOCKET_STAGE = "live";
/** A push round: a window of PostToConnection calls (about 10 ms each) and the reads around it, with room. */
export const PUSH_FUNCTION_TIMEOUT = Duration.seconds(30);

/** What the push function shares with the others. */
export interface WebSocketPushProps {
  readonly common: Omit<DispatcherFunctionOptions, "entry" | "description" | "memorySize" | "timeout" | "environment">;
  /** The API function's environment (the admin key's secret included): the push function authenticates as the API does. */
  readonly environment: Record<string, string>;
  readonly table: dynamodb.Table;
  readonly indexNames: readonly string[];
  readonly adminKeySecret: secretsmanager.Secret;
  readonly functionErrorThreshold: number;
  /** The dispatcher's customer-managed key, when it has one: the deadline queue is encrypted as the other queues are. */
  readonly encryptionKey?: kms.IKey;
}

/** The WebSocket API, its stage and URL, the push function and its alarm (notified by the monitoring, as every alarm). */
export interface WebSocketPush {
  readonly api: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;
  /** wss://… of the stage. */
  readonly url: string;
  readonly push: DispatcherFunction;
  /** The subscribe deadlines: $connect sends a message delayed 10 s, the push function closes the connection if it has not subscribed. */
  readonly deadlineQueue: sqs.Queue;
  readonly errorsAlarm: cloudwatch.Alarm;
}

/** Creates the WebSocket API (construct ids `WebSocketApi`, `WebSocketStage`, `Push`, `PushDeadlineQueue`, `PushSweep`, `PushErrorsAlarm`). */
export function addWebSocketPush(scope: Construct, props: WebSocketPushProps): WebSocketPush {
  const api = new apigwv2.WebSocketApi(scope, "WebSocketApi", {
    description: "Webhook dispatcher: WebSocket push of polling endpoints' feeds",
  });
  const stage = new apigwv2.WebSocketStage(scope, "WebSocketStage", {
    webSocketApi: api,
    stageName: WEBSOCKET_STAGE,
    autoDeploy: true,
    // Frames per second over every connection: a window of 100 pushes is 100 frames.
    throttle: { rateLimit: 1_000, burstLimit: 2_000 },
  });
  Validations.of(stage).acknowledge({
    id: "AwsSolutions-APIG1",
    reason:
      "A WebSocket stage logs through the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), which one construct must not set for a whole account; the push function logs every refusal and failure, and no key ever travels in a URL.",
  });
  // The 10 s subscribe deadline: a delayed message per connection, rather than the one-minute sweep
  // (about 70 s), a Step Functions wait (25 times the price per connection) or a $connect that waits.
  const deadlineQueue = new sqs.Queue(scope, "PushDeadlineQueue", {
    ...(props.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey, dataKeyReuse: Duration.hours(1) }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
    enforceSSL: true,
    retentionPeriod: Duration.seconds(PUSH_DEADLINE_QUEUE.retentionSeconds),
    visibilityTimeout: Duration.seconds(PUSH_DEADLINE_QUEUE.visibilityTimeoutSeconds),
  });
  Validations.of(deadlineQueue).acknowledge({
    id: "AwsSolutions-SQS3",
    reason:
      "A deadline message that keeps failing has nothing to keep: the push function's one-minute sweep closes any connection still unsubscribed 30 s after connecting, so a lost message costs only the tighter bound. PushErrorsAlarm fires on the consumer's errors.",
  });
  const push = new DispatcherFunction(scope, "Push", {
    ...props.common,
    entry: FUNCTION_ENTRIES.push,
    description: "Webhook dispatcher: WebSocket push of polling endpoints' feeds",
    memorySize: 256,
    timeout: PUSH_FUNCTION_TIMEOUT,
    environment: {
      ...props.environment,
      WEBSOCKET_CALLBACK_URL: stage.callbackUrl,
      PUSH_DEADLINE_QUEUE_URL: deadlineQueue.queueUrl,
    },
  });
  grantSend(push.role, deadlineQueue, "ScheduleSubscribeDeadlines");
  // Delivered at once: the deadline is the message's delay, and a batching window would add to it.
  push.function.addEventSource(new SqsEventSource(deadlineQueue, { batchSize: 10, reportBatchItemFailures: true }));
  // Connections and positions are written, moved and deleted; endpoints, keys and the feed are read;
  // PutItem also closes a feed hole a dead writer left, as a feed read does.
  grantTable(push.role, props.table, ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"], props.indexNames);
  grantReadSecret(push.role, props.adminKeySecret);
  // execute-api:ManageConnections on this API's stage, for the two calls it makes; only the connection id is open.
  const stack = Stack.of(scope);
  const connections = ["POST", "DELETE"].map((method) =>
    stack.formatArn({
      service: "execute-api",
      resource: api.apiId,
      resourceName: `${WEBSOCKET_STAGE}/${method}/@connections/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  );
  push.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: "PushToConnections", actions: ["execute-api:ManageConnections"], resources: connections }),
  );
  const apiLogicalId = stack.resolve(stack.getLogicalId(api.node.defaultChild as apigwv2.CfnApi)) as string;
  for (const method of ["POST", "DELETE"]) {
    Validations.of(push.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/${WEBSOCKET_STAGE}/${method}/@connections/*]`,
      reason:
        "Connection ids are made by API Gateway at each $connect: the grant names this API, its stage and the one method; the id cannot be known when the policy is written.",
    });
  }
  Validations.of(push.role).acknowledge({
    id: "AwsSolutions-IAM5[Resource::*]",
    reason:
      "dynamodb:ListStreams, which the table-stream event source needs, does not support resource-level permissions (the stream's own read actions name the stream).",
  });
  const integration = (id: string) => new WebSocketLambdaIntegration(id, push.function);
  for (const [routeKey, id] of [
    ["$connect", "ConnectIntegration"],
    ["$disconnect", "DisconnectIntegration"],
    ["$default", "DefaultIntegration"],
  ] as const) {
    const route = api.addRoute(routeKey, { integration: integration(id) });
    Validations.of(route).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "No key in the URL (it would reach access logs): the first frame carries the Bearer key or portal token, checked by the function with the API's own Authenticator; a connection that does not subscribe within 10 s is closed.",
    });
  }
  push.function.addEventSource(
    new DynamoEventSource(props.table, {
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 100,
      retryAttempts: 2,
      // Only feed slots: the stream's other records never invoke the function.
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual("INSERT"),
          dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith("FEED#") } } },
        }),
      ],
    }),
  );
  new events.Rule(scope, "PushSweep", {
    description: "Sweeps the webhook dispatcher's WebSocket connections",
    schedule: events.Schedule.rate(Duration.minutes(1)),
    targets: [new eventTargets.LambdaFunction(push.function, { retryAttempts: 0 })],
  });
  const errorsAlarm = new cloudwatch.Alarm(scope, "PushErrorsAlarm", {
    alarmDescription: "The WebSocket push function failed (a stream batch, a route or the sweep): pushes may be late until the next sweep",
    metric: push.function.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
    threshold: props.functionErrorThreshold,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const url = `wss://${api.apiId}.execute-api.${Stack.of(scope).region}.${Stack.of(scope).urlSuffix}/${WEBSOCKET_STAGE}`;
  return { api, stage, url, push, deadlineQueue, errorsAlarm };
}

/** The table's stream view the push needs: keys only (the function reads the slots itself, in order). */
export const PUSH_STREAM_VIEW = dynamodb.StreamViewType.KEYS_ONLY;
