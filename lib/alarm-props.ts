/**
 * The WebhookDispatcher's props about its alarms and dashboard: each alarm's threshold and where the
 * alarms notify. Part of WebhookDispatcherProps (lib/dispatcher-props.ts).
 */
import type { Duration } from "aws-cdk-lib";
import type * as sns from "aws-cdk-lib/aws-sns";

/** When the dispatcher's alarms go off and whom they notify. Every one is optional. */
export interface DispatcherAlarmProps {
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
   * Name of the CloudWatch dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}
