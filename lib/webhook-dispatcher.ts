/**
 * The reusable WebhookDispatcher construct: HTTP API -> API function -> delivery queue -> delivery
 * function -> destinations, with a dead-letter queue, its consumer, one DynamoDB table, the admin
 * key in Secrets Manager, alarms and a dashboard. Construct ids are a contract: never rename them.
 */

import type * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { settingsEnvironment } from "../functions/core/config/config.ts";
import { acknowledgeFindings } from "./acknowledged-findings.ts";
import { grantReadSecret, grantSend, grantTable } from "./dispatcher-access.ts";
import { DispatcherDestinations } from "./dispatcher-destinations.ts";
import { addFrontDoor } from "./dispatcher-front-door.ts";
import {
  API_FUNCTION_TIMEOUT,
  DEFAULT_SOURCE_MAPS,
  DispatcherFunction,
  FUNCTION_ENTRIES,
  updateReadersFirst,
} from "./dispatcher-function.ts";
import { WebhookDispatcherBase } from "./dispatcher-metrics.ts";
import { createAlarmTopic, DispatcherMonitoring, type WebhookDispatcherAlarms } from "./dispatcher-monitoring.ts";
import { addOrderedQueues, wireOrdering } from "./dispatcher-ordering.ts";
import type { WebhookDispatcherProps } from "./dispatcher-props.ts";
import { addStorage } from "./dispatcher-storage.ts";
import { addWebSocketPush, PUSH_STREAM_VIEW } from "./dispatcher-websocket.ts";
import { addWorkers } from "./dispatcher-workers.ts";
import { fairQueuesValue } from "./fair-queues.ts";
import { resolveSettings } from "./resolved-settings.ts";

export { ACCESS_LOG_FIELDS } from "./access-log.ts";
export type { DispatcherMetricOptions } from "./dispatcher-metrics.ts";
export { ALARMS_UNHEARD_WARNING, everyAlarm, type WebhookDispatcherAlarms } from "./dispatcher-monitoring.ts";
export { DEFAULT_RETRY_SCHEDULE, type WebhookDispatcherProps, WebhookDispatcherPropsError } from "./dispatcher-props.ts";

/** A serverless webhook dispatcher with secure, observable defaults. */
export class WebhookDispatcher extends WebhookDispatcherBase {
  /** The public HTTP API (`frontDoor: "http-api"`); its `$default` route goes to the API function. */
  public readonly httpApi?: apigwv2.HttpApi;
  /** The `$default` stage, with access logging and throttling (`frontDoor: "http-api"`). */
  public readonly httpStage?: apigwv2.HttpStage;
  /** The API function's URL (`frontDoor: "function-url"`). */
  public readonly functionUrl?: lambda.FunctionUrl;
  /** The base URL of the API, ending in `/`. */
  public readonly apiUrl: string;
  /** The feed function's own URL (`frontDoor: "function-url"`): long polls go there, never to the API function. */
  public readonly feedFunctionUrl?: lambda.FunctionUrl;
  /** The base URL of GET /v1/endpoints/{id}/feed, ending in `/`: the HTTP API's, or the feed function's own URL. */
  public readonly feedUrl: string;
  /** The HTTP API's access log group (`frontDoor: "http-api"`). */
  public readonly accessLogGroup?: logs.LogGroup;
  public readonly apiFunction: NodejsFunction;
  /** The WebSocket API of the push (docs/websocket.md); undefined with `webSocket: false`. */
  public readonly webSocketApi?: apigwv2.WebSocketApi;
  /** wss://… of the push; undefined with `webSocket: false`. */
  public readonly webSocketUrl?: string;
  /** The push function: the WebSocket routes, the table's stream and the sweep. */
  public readonly pushFunction?: NodejsFunction;
  /** The WebSocket push's subscribe-deadline queue (a message per connection, delayed 10 s); undefined with `webSocket: false`. */
  public readonly pushDeadlineQueue?: sqs.Queue;

  /** Serves GET /v1/endpoints/{id}/feed, whose long polls outlast the API function, on its own reserved concurrency. */
  public readonly feedFunction: NodejsFunction;
  public readonly deliveryFunction: NodejsFunction;
  public readonly deadLetterFunction: NodejsFunction;
  /** Runs every five minutes: sends the messages of events whose intake failed midway. */
  public readonly sweeperFunction: NodejsFunction;
  public readonly deliveryQueue: sqs.Queue;
  /** The slow lane's queue: deliveries to slow and probation endpoints, read by the delivery function's second event source. */
  public readonly slowQueue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** The ordered FIFO queue: each endpoint with `"ordering": "fifo"` is a message group in it (docs/ordering.md). */
  public readonly orderedQueue: sqs.Queue;
  /** The ordered queue's FIFO dead-letter queue, read by the dead-letter function. */
  public readonly orderedDeadLetterQueue: sqs.Queue;
  /** The single table of endpoints, events and attempts (see functions/adapters/dynamo/table-design.ts). */
  public readonly table: dynamodb.Table;
  /** The admin API key, generated at deploy time. */
  public readonly adminKeySecret: secretsmanager.Secret;
  public readonly dashboard: cloudwatch.Dashboard;
  /** The role AWS destinations without a `roleArn` are reached through, tagged `hookrelay-tenant`: what customers' resource policies name. */
  public readonly destinationSessionRole: iam.Role;
  public readonly alarms: WebhookDispatcherAlarms;
  /** Where the alarms notify: the given topic, one created for `alarmEmail`, or none. */
  public readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: WebhookDispatcherProps = {}) {
    super(scope, id);
    const settings = resolveSettings(props);
    const { removalPolicy, encryptionKey } = settings;
    // Made first: with an imported key it refuses the props before anything is bundled.
    const emailTopic = !props.alarmTopic && props.alarmEmail ? createAlarmTopic(this, props.alarmEmail, encryptionKey) : undefined;

    const webSocket = props.webSocket ?? true;
    const storage = addStorage(this, settings, webSocket ? { stream: PUSH_STREAM_VIEW } : {});
    ({
      table: this.table,
      deadLetterQueue: this.deadLetterQueue,
      deliveryQueue: this.deliveryQueue,
      slowQueue: this.slowQueue,
      adminKeySecret: this.adminKeySecret,
    } = storage);
    const { indexNames } = storage;
    const ordered = addOrderedQueues(this, settings);
    this.orderedQueue = ordered.queue;
    this.orderedDeadLetterQueue = ordered.deadLetterQueue;

    const environment: Record<string, string> = {
      TABLE_NAME: this.table.tableName,
      DELIVERY_QUEUE_URL: this.deliveryQueue.queueUrl,
      SLOW_QUEUE_URL: this.slowQueue.queueUrl,
      DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
      ORDERED_QUEUE_URL: this.orderedQueue.queueUrl,
      // Every setting the props set, named and formatted by the settings table.
      ...settings.functionEnvironment,
      // Its default follows the partition: SQS refuses MessageGroupId on a standard queue where it has no fair queues.
      FAIR_QUEUES: fairQueuesValue(this, props.fairQueues),
      LOG_FORMAT: "json",
    };
    const common = {
      logRetention: settings.functionLogRetention,
      removalPolicy,
      logLevel: settings.logLevel,
      tracing: settings.tracing,
      sourceMaps: props.sourceMaps ?? DEFAULT_SOURCE_MAPS,
    };

    const apiEnvironment = {
      ...environment,
      ADMIN_API_KEY_SECRET_ARN: this.adminKeySecret.secretArn,
    };
    const api = new DispatcherFunction(this, "Api", {
      ...common,
      entry: FUNCTION_ENTRIES.api,
      description: "Webhook dispatcher: admin and intake HTTP API",
      memorySize: settings.apiMemorySize,
      // Long polls are the feed function's: the API function answers them 400 use_feed_url.
      timeout: API_FUNCTION_TIMEOUT,
      reservedConcurrentExecutions: settings.apiReservedConcurrency,
      environment: { ...apiEnvironment, ...settingsEnvironment({ apiRoutes: "api" }) },
    });
    this.apiFunction = api.function;
    // UpdateItem: intake marks a half-sent event sent when a repeat finishes it.
    grantTable(api.role, this.table, ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "BatchGetItem"], indexNames);
    grantSend(api.role, this.deliveryQueue, "EnqueueDeliveries");
    // Intake puts deliveries to slow and probation endpoints on the slow lane's queue directly.
    grantSend(api.role, this.slowQueue, "EnqueueSlowLaneDeliveries");
    // An event SQS refuses for good is dead-lettered as a notice, whose consumer ends its deliveries unsendable.
    grantSend(api.role, this.deadLetterQueue, "DeadLetterUnsendable");
    grantReadSecret(api.role, this.adminKeySecret);

    ({
      deliveryFunction: this.deliveryFunction,
      deadLetterFunction: this.deadLetterFunction,
      sweeperFunction: this.sweeperFunction,
    } = addWorkers(this, { common, environment, settings, storage }));

    const door = addFrontDoor(this, {
      apiFunction: this.apiFunction,
      settings,
      feed: {
        memorySize: settings.feedMemorySize,
        reservedConcurrency: settings.feedReservedConcurrency,
        common,
        environment: apiEnvironment,
        table: this.table,
        indexNames,
        adminKeySecret: this.adminKeySecret,
      },
    });
    ({
      httpApi: this.httpApi,
      httpStage: this.httpStage,
      accessLogGroup: this.accessLogGroup,
      functionUrl: this.functionUrl,
      apiUrl: this.apiUrl,
      feedFunction: this.feedFunction,
      feedFunctionUrl: this.feedFunctionUrl,
      feedUrl: this.feedUrl,
    } = door);

    // Deploy order: the API writes queue messages with a message id the workers send as webhook-id,
    // and the feed function (the API's bundle) serves entries Delivery writes, so a deploy updates the
    // workers first (both lanes run in Delivery); see updateReadersFirst.
    updateReadersFirst([this.apiFunction, this.feedFunction], [this.deliveryFunction, this.deadLetterFunction, this.sweeperFunction]);

    this.alarmTopic = props.alarmTopic ?? emailTopic;
    let pushErrors: cloudwatch.Alarm | undefined;
    if (webSocket) {
      const push = addWebSocketPush(this, {
        common,
        environment: apiEnvironment,
        table: this.table,
        indexNames,
        adminKeySecret: this.adminKeySecret,
        functionErrorThreshold: settings.functionErrorThreshold,
        ...(settings.encryptionKey && { encryptionKey: settings.encryptionKey }),
      });
      this.webSocketApi = push.api;
      this.webSocketUrl = push.url;
      this.pushFunction = push.push.function;
      this.pushDeadlineQueue = push.deadlineQueue;
      pushErrors = push.errorsAlarm;
      // /v1/health tells it, from the API and from the feed function.
      for (const fn of [this.apiFunction, this.feedFunction]) fn.addEnvironment("WEBSOCKET_URL", push.url);
    }
    const monitoring = new DispatcherMonitoring(this, "Monitoring", {
      httpApi: this.httpApi,
      // The feed's own URL too: its 5xx are the API's to the consumers that poll it.
      urlFunctions: door.urlFunctions,
      deliveryQueue: this.deliveryQueue,
      slowQueue: this.slowQueue,
      deadLetterQueue: this.deadLetterQueue,
      ordered,
      ...(pushErrors && { pushErrors }),
      functions: {
        api: this.apiFunction,
        feed: this.feedFunction,
        delivery: this.deliveryFunction,
        deadLetter: this.deadLetterFunction,
        sweeper: this.sweeperFunction,
      },
      table: this.table,
      indexNames,
      maxMessageAge: settings.maxMessageAge,
      failureRateThreshold: settings.failureRateThreshold,
      functionErrorThreshold: settings.functionErrorThreshold,
      functionThrottleThreshold: settings.functionThrottleThreshold,
      feedThrottleThreshold: settings.feedThrottleThreshold,
      apiServerErrorThreshold: settings.apiServerErrorThreshold,
      tableThrottleThreshold: settings.tableThrottleThreshold,
      alarmTopic: this.alarmTopic,
      dashboardName: props.dashboardName,
    });
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
    wireOrdering(ordered, {
      table: this.table,
      senders: {
        api: this.apiFunction,
        delivery: this.deliveryFunction,
        deadLetter: this.deadLetterFunction,
        sweeper: this.sweeperFunction,
      },
      maxConcurrency: settings.maxConcurrency,
    });

    // After the front door: the feed function takes the API's environment (and these variables), but no destination grants.
    this.destinationSessionRole = new DispatcherDestinations(this, "Destinations", {
      delivery: this.deliveryFunction,
      api: this.apiFunction,
      feed: this.feedFunction,
    }).sessionRole;

    acknowledgeFindings({
      httpApi: this.httpApi,
      adminKeySecret: this.adminKeySecret,
      functions: this.allFunctions(),
      tracing: settings.tracing,
    });
  }

  /** Every function of the dispatcher. */
  private allFunctions(): NodejsFunction[] {
    return [
      this.apiFunction,
      this.feedFunction,
      this.deliveryFunction,
      this.deadLetterFunction,
      this.sweeperFunction,
      ...(this.pushFunction ? [this.pushFunction] : []),
    ];
  }
}
