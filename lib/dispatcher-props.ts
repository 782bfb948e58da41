/**
 * The WebhookDispatcher's props, their defaults, and their validation: a wrong value fails at
 * synthesis with a message naming the prop, not at deploy time or on the first request. The props
 * about deliveries, feeds and alarms are declared in delivery-props.ts, feed-props.ts and
 * alarm-props.ts beside this file; the rest (functions, front door, table, encryption) here.
 */
import type { RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SETTINGS } from "../functions/core/config/settings.ts";
import type { DispatcherAlarmProps } from "./alarm-props.ts";
import type { DispatcherDeliveryProps } from "./delivery-props.ts";
import type { DispatcherFeedProps } from "./feed-props.ts";
import type { SettingPropName } from "./function-settings.ts";

/** The retry schedule of Svix and the Standard Webhooks example: about 27.5 hours in 8 attempts. */
export const DEFAULT_RETRY_SCHEDULE: string = SETTINGS.retrySchedule.default;

/** Properties of a WebhookDispatcher. Every one is optional. */
export interface WebhookDispatcherProps extends DispatcherDeliveryProps, DispatcherFeedProps, DispatcherAlarmProps {
  /**
   * Days the delivery log (events and attempts, through the table's TTL) is kept; the function and
   * access log groups keep their logs as long, rounded up to a period CloudWatch Logs offers.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Level of the functions' structured logs. WARN and ERROR are applied by the functions' logger;
   * Lambda's own log filter stays at INFO so that the metric lines (which have no level) get through.
   * @default "INFO"
   */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /**
   * Bundle source maps and run the functions with `--enable-source-maps`, so that stack traces in
   * the logs name the TypeScript sources. Off by default: it adds about a third to every cold
   * start's module loading (measured by `npm run bench`, stage 4, against the same bundle without).
   * @default false
   */
  readonly sourceMaps?: boolean;
  /**
   * Memory of the API function, in MiB.
   * @default 512
   */
  readonly apiMemorySize?: number;
  /**
   * Memory of the delivery function, in MiB (CPU, and so TLS and signing speed, scale with it).
   * @default 512
   */
  readonly deliveryMemorySize?: number;
  /**
   * Memory of the dead-letter consumer, in MiB.
   * @default 256
   */
  readonly deadLetterMemorySize?: number;
  /**
   * What receives the API's requests. `"http-api"`: an API Gateway HTTP API with a throttled
   * `$default` stage and access logs ($1.00 per million requests). `"function-url"`: the API
   * function's own Lambda function URL, which costs nothing beyond the function (about a quarter
   * off the single-event price), but has no API Gateway throttling, stage or access log: it requires
   * `apiReservedConcurrency`, and put CloudFront and WAF in front if you need an edge. The feed
   * function then has a function URL of its own (`feedUrl`, the `FeedUrl` output) for long polls,
   * which the API function refuses (`400 use_feed_url`) so that they never take its pool.
   * @default "http-api"
   */
  readonly frontDoor?: "http-api" | "function-url";
  /**
   * Reserved concurrency of the API function: the most requests it handles at once (more answer
   * 429), and capacity no other function in the account can take from it. Required with
   * `frontDoor: "function-url"`.
   * @default - none (the account's unreserved pool)
   */
  readonly apiReservedConcurrency?: number;
  /**
   * Steady-state requests per second the HTTP API accepts before answering 429 (`frontDoor: "http-api"` only).
   * @default 1000
   */
  readonly throttleRateLimit?: number;
  /**
   * Burst of requests the HTTP API accepts before answering 429 (at most 5,000, the account's default; `frontDoor: "http-api"` only).
   * @default - twice throttleRateLimit, at most 5,000 (2,000 with the default rate)
   */
  readonly throttleBurstLimit?: number;
  /**
   * How DynamoDB bills the table and its two indexes. `"on-demand"`: per request ($0.625 per million
   * write units in us-east-1); takes a sudden burst up to twice the previous peak at once, with
   * nothing to size. `"provisioned"`: capacity by the hour, auto scaled to keep use at 70 % between
   * `provisionedCapacity`'s bounds: about $0.26 per million writes at steady traffic (the cost
   * page), but a burst above the provisioned rate spends at most 5 minutes of unused capacity and is
   * then throttled (SDK retries, then 5xx at intake and retried deliveries) until scaling catches
   * up, which takes minutes; capacity decreases are limited per day, and idle capacity is paid for
   * down to the minimum. Pays for steady traffic; keep on-demand for spiky or unknown traffic.
   * Switching is an in-place table update, allowed once every 24 hours in each direction.
   * @default "on-demand"
   */
  readonly billing?: "on-demand" | "provisioned";
  /**
   * With `billing: "provisioned"`: the bounds auto scaling moves each capacity in, for the table and
   * for each index alike (units per second).
   * @default - writes 5 to 4,000, reads 5 to 4,000
   */
  readonly provisionedCapacity?: { minWrite?: number; maxWrite?: number; minRead?: number; maxRead?: number };
  /**
   * Customer-managed KMS key for the table, both queues, the admin key secret and the alarm topic.
   * @default - AWS managed encryption (DynamoDB: aws/dynamodb; SQS: SSE-SQS; Secrets Manager: aws/secretsmanager)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the table, the admin key secret and the log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN (the delivery log and the admin key outlive the stack)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * X-Ray tracing of the functions.
   * @default lambda.Tracing.DISABLED (at $5 per million traces it would cost more than the deliveries themselves)
   */
  readonly tracing?: lambda.Tracing;
  /**
   * Most endpoints one tenant may hold (MAX_ENDPOINTS_PER_TENANT); a create beyond it answers
   * `409 quota_exceeded`. It bounds how many signed POSTs one event can become.
   * @default 20
   */
  readonly maxEndpointsPerTenant?: number;
  /**
   * Messages with a future `deliverAt` one tenant may have waiting (MAX_SCHEDULED_PER_TENANT); one
   * more answers `429 too_many_scheduled`.
   * @default 10000
   */
  readonly maxScheduledPerTenant?: number;
  /**
   * How far ahead, in hours, `deliverAt` may be (SCHEDULE_HORIZON_HOURS, 24 to 8760).
   * @default 168
   */
  readonly scheduleHorizonHours?: number;
  /**
   * Send every queue message with its tenant as `MessageGroupId`, which makes the standard queues SQS
   * fair queues (a quiet tenant's deliveries go ahead of another tenant's backlog). A standard queue
   * without fair queues refuses the parameter, which would fail every intake, so it is off where AWS
   * has not announced them.
   * @default - true in the aws, aws-cn and aws-us-gov partitions, false in any other (decided at
   * deploy time when the stack's region is not known at synthesis)
   */
  readonly fairQueues?: boolean;
}

/** A prop of the WebhookDispatcher has a value it cannot use. */
export class WebhookDispatcherPropsError extends Error {
  override readonly name = "WebhookDispatcherPropsError";
}

// Every prop the settings table names is declared above or in an interface extended above (a typo in the table fails to compile).
const tablePropsAreDeclared: SettingPropName extends keyof WebhookDispatcherProps ? true : never = true;
void tablePropsAreDeclared;
