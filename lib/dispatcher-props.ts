/**
 * The WebhookDispatcher's props, their defaults, and their validation: a wrong value fails at
 * synthesis with a message naming the prop, not at deploy time or on the first request.
 */
import type { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import { SETTINGS } from "../functions/core/config/settings.ts";
import type { SettingPropName } from "./function-settings.ts";

/** The retry schedule of Svix and the Standard Webhooks example: about 27.5 hours in 8 attempts. */
export const DEFAULT_RETRY_SCHEDULE: string = SETTINGS.retrySchedule.default;

/** Properties of a WebhookDispatcher. Every one is optional. */
export interface WebhookDispatcherProps {
  /**
   * WebSocket push of polling endpoints' feeds (docs/websocket.md): a WebSocket API, the push
   * function, a keys-only stream on the table and a one-minute sweep. On by default: idle it costs
   * nothing but the sweep's 43,200 short invocations a month (about $0.01) and the stream's filtered
   * invocations per batch of feed appends, and a consumer of a polling endpoint should not need a
   * redeploy to be pushed. `false` leaves all of it out (and the WebSocketUrl output says so).
   * @default true
   */
  readonly webSocket?: boolean;
  /**
   * Seconds to wait after each failed attempt, comma-separated; its length is the number of retries.
   * The delivery queue's retention and maxReceiveCount are derived from it.
   * @default "5,300,1800,7200,18000,36000,36000" (8 attempts over about 27.5 hours)
   */
  readonly retrySchedule?: string;
  /**
   * Timeout of one outbound HTTP request. The delivery function's timeout is this plus 15 s, and the
   * delivery queue's visibility timeout 6 times that.
   * @default Duration.seconds(15)
   */
  readonly deliveryTimeout?: Duration;
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
   * Messages the delivery function receives per invocation (1 to 10,000; above 10 needs maxBatchingWindow).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers messages before invoking the delivery function (up to 5 minutes).
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent delivery invocations the SQS event source starts (2 to 1,000): caps the load on
   * destinations and on the account's Lambda concurrency.
   * @default 20
   */
  readonly maxConcurrency?: number;
  /**
   * Most concurrent invocations the slow lane's event source starts (2 to 1,000): slow and
   * probation endpoints' deliveries, each of which may hold its invocation for the whole deliveryTimeout.
   * @default 10
   */
  readonly slowLaneMaxConcurrency?: number;
  /** A fast-lane POST still unanswered after this is cut off and handed to the slow lane. @default Duration.seconds(3) */
  readonly fastLaneBudget?: Duration;
  /** An answer slower than this moves its endpoint to the slow lane. @default Duration.seconds(1) */
  readonly slowLaneAfter?: Duration;
  /** Consecutive fast 2xx answers that bring a slow or probation endpoint with no recent move out of the fast lane back to it. @default 5 */
  readonly laneExitSuccesses?: number;
  /**
   * The cap of the way back's growth: each move out of the fast lane doubles the fast answers in a
   * row that bring the endpoint back (laneExitSuccesses after none), up to this.
   * @default 640
   */
  readonly laneExitMaxSuccesses?: number;
  /** Each period this long in the fast lane without leaving it forgives one move out (halving the way back). @default Duration.hours(1) */
  readonly laneExitDecay?: Duration;
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
   * Memory of the feed function (GET /v1/endpoints/{id}/feed, long polls included), in MiB. A long
   * poll's wait is billed by memory, so 128 halves its price (about $34 instead of $67 per million
   * 20 s polls), but at 128 MB a page of 100 items of 25 KB (a 5 MB answer) peaks above the memory
   * and a cold start takes about 1.4 s instead of 0.7 s (`npm run bench -- --stage feed-memory`,
   * docs/performance.md). Choose 128 if your events are small (a page of 1 KB items peaks near 107 MB).
   * @default 256
   */
  readonly feedMemorySize?: number;
  /**
   * CIDR ranges the delivery function may call even though they are not globally routable
   * (private destinations reached through a VPC or a proxy). Everything else private stays refused.
   * @default [] (only public addresses)
   */
  readonly destinationAllowCidrs?: string[];
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
   * Alarm when the oldest message in the delivery queue, or in the slow lane's queue, is older than this. Messages on their third
   * attempt or later leave the metric (SQS skips messages received three times or more), so the
   * default only has to exceed the first two retry delays plus 20 % jitter.
   * @default - 15 minutes, or 1.2 x (first two delays) + 5 minutes when that is longer
   */
  readonly maxMessageAge?: Duration;
  /**
   * Alarm when Failures / Attempts stays above this fraction (0 to 1) for three 5-minute periods.
   * @default 0.5
   */
  readonly failureRateThreshold?: number;
  /**
   * Alarm when one function's Lambda `Errors` (uncaught exceptions, timeouts, out-of-memory ends) in a
   * 5-minute period reach this. The functions catch and classify every failure they expect, so any
   * error is worth a look.
   * @default 1
   */
  readonly functionErrorThreshold?: number;
  /**
   * Alarm when one function's Lambda `Throttles` in a 5-minute period reach this: invocations refused
   * for lack of concurrency (the API answers 429; queued deliveries wait). The feed function has its
   * own threshold, `feedThrottleThreshold`.
   * @default 1
   */
  readonly functionThrottleThreshold?: number;
  /**
   * Alarm when the feed function's Lambda `Throttles` in a 5-minute period reach this. Long polls
   * hold the feed's reserved concurrency up to 20 s each, so a full pool throttles the next feed
   * requests (the consumer retries): at capacity that is expected, and one throttle is no alarm.
   * The default raises it when the feed refused a whole pool's worth of requests in 5 minutes, the
   * sign to raise feedReservedConcurrency. With `"unreserved"` the feed throttles only when the
   * account has no concurrency left, so the threshold is functionThrottleThreshold's.
   * @default - feedReservedConcurrency (100); functionThrottleThreshold with `"unreserved"`
   */
  readonly feedThrottleThreshold?: number;
  /**
   * Alarm when the API's 5xx answers (the HTTP API's `5xx`, or the `Url5xxCount` of the API's and the
   * feed's function URLs) in a 5-minute period reach this: a dependency failed (503) or a function
   * did (500, 502, 504).
   * @default 1
   */
  readonly apiServerErrorThreshold?: number;
  /**
   * Alarm when DynamoDB's throttled reads, or throttled writes, of the table and its indexes together
   * in a 5-minute period reach this (`ReadThrottleEvents`, `WriteThrottleEvents`; an index that falls
   * behind throttles the table's writes for every tenant).
   * @default 1
   */
  readonly tableThrottleThreshold?: number;
  /**
   * SNS topic the alarms notify (on alarm and on recovery). Without it and without alarmEmail the
   * construct warns at synthesis (`@hookrelay/webhook-dispatcher:alarmsNotifyNoOne`).
   * @default - a topic is created when alarmEmail is set; otherwise the alarms notify no one
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * E-mail address subscribed to a new alarm topic. Ignored when alarmTopic is given.
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;
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
   * An endpoint that has failed continuously for this many hours is disabled when one of its
   * deliveries is exhausted (Svix's rule); 0 disables it at its first exhausted delivery.
   * @default 120 (5 days)
   */
  readonly endpointDisableAfterHours?: number;
  /**
   * Consecutive failed attempts to one endpoint that open its circuit breaker.
   * @default 5
   */
  readonly circuitFailureThreshold?: number;
  /**
   * How long an open circuit waits before one probe goes through; it doubles after each failed probe.
   * @default Duration.seconds(60)
   */
  readonly circuitCooldown?: Duration;
  /**
   * The longest cool-down of an open circuit.
   * @default Duration.hours(1)
   */
  readonly circuitMaxCooldown?: Duration;
  /**
   * The least wait after 429, 502, 503 or 504.
   * @default Duration.seconds(60)
   */
  readonly slowDownDelay?: Duration;
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
   * The signature header names of endpoints that choose none (SIGNATURE_HEADERS): `webhook`,
   * `svix` or `both`.
   * @default "webhook"
   */
  readonly signatureHeaders?: "webhook" | "svix" | "both";
  /**
   * Long polls (`wait` > 0) one polling endpoint may hold at once, across every container
   * (MAX_POLLS_PER_ENDPOINT, 1 to 10); one more answers `429 too_many_polls` with `Retry-After`.
   * @default 2 (a consumer, and the poll its last run left behind)
   */
  readonly maxPollsPerEndpoint?: number;
  /**
   * Long polls one tenant may hold at once over all its endpoints (MAX_POLLS_PER_TENANT, 1 to 100,
   * at least maxPollsPerEndpoint, at most feedReservedConcurrency): the share of the feed's
   * concurrency one tenant can take.
   * @default 10
   */
  readonly maxPollsPerTenant?: number;
  /**
   * Items a WebSocket connection is pushed and has not acked, at most (PUSH_WINDOW, 1 to 1,000).
   * @default 100
   */
  readonly pushWindow?: number;
  /**
   * WebSocket connections subscribed to one polling endpoint at once (MAX_SOCKETS_PER_ENDPOINT, 1 to 100).
   * @default 5
   */
  readonly maxSocketsPerEndpoint?: number;
  /**
   * WebSocket connections subscribed at once over one tenant's endpoints (MAX_SOCKETS_PER_TENANT).
   * @default 50
   */
  readonly maxSocketsPerTenant?: number;
  /**
   * Reserved concurrency of the feed function, which holds the long polls: the most feed requests
   * in flight (more are throttled: 429 from a function URL, a 5xx from API Gateway), and capacity
   * no other function takes, so long polls never use the API's or the delivery function's. Lambda
   * keeps 100 of an account's concurrency unreserved: an account whose limit is below this plus 100
   * (new accounts may have 10) fails the deploy with "Specified ReservedConcurrentExecutions for
   * function decreases account's UnreservedConcurrentExecution below its minimum value". There,
   * pass `"unreserved"`: the feed then shares the account's pool, bounded only by the poll limits
   * (tenants x maxPollsPerTenant). 0 is refused (it would throttle every feed request).
   * @default 100
   */
  readonly feedReservedConcurrency?: number | "unreserved";
  /**
   * Send every queue message with its tenant as `MessageGroupId`, which makes the standard queues SQS
   * fair queues (a quiet tenant's deliveries go ahead of another tenant's backlog). A standard queue
   * without fair queues refuses the parameter, which would fail every intake, so it is off where AWS
   * has not announced them.
   * @default - true in the aws, aws-cn and aws-us-gov partitions, false in any other (decided at
   * deploy time when the stack's region is not known at synthesis)
   */
  readonly fairQueues?: boolean;
  /**
   * Name of the CloudWatch dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

/** A prop of the WebhookDispatcher has a value it cannot use. */
export class WebhookDispatcherPropsError extends Error {
  override readonly name = "WebhookDispatcherPropsError";
}

// Every prop the settings table names is declared above (a typo in the table fails to compile).
const tablePropsAreDeclared: SettingPropName extends keyof WebhookDispatcherProps ? true : never = true;
void tablePropsAreDeclared;
