/**
 * Alarms and the dashboard. The delivery metrics are the functions' EMF output: namespace
 * `Hookrelay`, the single dimension `service` (the name each function passes to createRuntime and
 * its metrics writer, SERVICE_NAMES), metric names as in DELIVERY_METRICS.
 */
import { Annotations, Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { LANE_METRICS, SCHEDULE_OVERDUE_METRIC } from "../functions/adapters/lambda/metric-names.ts";
import {
  DELIVERY_METRICS,
  type DispatcherMetricOptions,
  deliveryFailureRate,
  dispatcherMetric,
  METRIC_PERIOD,
  SERVICE_NAMES,
} from "./dispatcher-metrics.ts";
import { type OrderedAlarms, type OrderedQueues, orderedAlarms } from "./dispatcher-ordering.ts";
import { WebhookDispatcherPropsError } from "./dispatcher-props.ts";
import { createPlatformAlarms, type PlatformAlarms, type PlatformAlarmsProps, platformWidgets } from "./platform-alarms.ts";

export { DELIVERY_METRICS, METRICS_NAMESPACE, SERVICE_NAMES } from "./dispatcher-metrics.ts";

/** The id of the synthesis warning that no one will hear the alarms (stable: users acknowledge it by this id). */
export const ALARMS_UNHEARD_WARNING = "@hookrelay/webhook-dispatcher:alarmsNotifyNoOne";

/** The alarms the dispatcher raises: the delivery pipeline's, and the platform's (Lambda, API, DynamoDB). */
export interface WebhookDispatcherAlarms extends PlatformAlarms, OrderedAlarms {
  /** The dead-letter queue holds a visible message: the dead-letter consumer is not draining it. */
  readonly deadLetters: cloudwatch.Alarm;
  /** The oldest message waiting in the delivery queue is older than `maxMessageAge`. */
  readonly oldestMessageAge: cloudwatch.Alarm;
  /** The oldest message waiting in the slow lane's queue is older than `maxMessageAge`: slow endpoints' deliveries are falling behind. */
  readonly slowLaneMessageAge: cloudwatch.Alarm;
  /** Failures / Attempts stayed above `failureRateThreshold` for three periods in a row. */
  readonly failureRate: cloudwatch.Alarm;
  /** SQS refused an event's messages for good: its deliveries ended `exhausted` with error "unsendable". */
  readonly unsendableEvents: cloudwatch.Alarm;
  /** The scheduler found a held scheduled message a minute past its deliverAt, or did not run for 5 minutes. */
  readonly scheduleOverdue: cloudwatch.Alarm;
  /** The WebSocket push function failed (absent with `webSocket: false`). */
  readonly pushErrors?: cloudwatch.Alarm;
}

/** What the monitoring watches and how. */
export interface DispatcherMonitoringProps extends PlatformAlarmsProps {
  /** The HTTP API, or undefined when the API function's URL is the front door. */
  readonly httpApi?: HttpApi;
  readonly deliveryQueue: sqs.Queue;
  /** The slow lane's queue. */
  readonly slowQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The ordered FIFO queue and its dead-letter queue (lib/dispatcher-ordering.ts). */
  readonly ordered: OrderedQueues;
  /** The WebSocket push's alarm, made with its function (dispatcher-websocket.ts); notified and shown as the others. */
  readonly pushErrors?: cloudwatch.Alarm;
  readonly maxMessageAge: Duration;
  readonly failureRateThreshold: number;
  readonly alarmTopic?: sns.ITopic;
  readonly dashboardName?: string;
}

const PERIOD = METRIC_PERIOD;

function deliveryMetric(
  metricName: string,
  statistic: string,
  service: DispatcherMetricOptions["service"] = SERVICE_NAMES.delivery,
): cloudwatch.Metric {
  return dispatcherMetric(metricName, statistic, { service });
}

/** Every alarm of the set, the per-function ones included, in a stable order. */
export function everyAlarm(alarms: WebhookDispatcherAlarms): cloudwatch.Alarm[] {
  const { functionErrors, functionThrottles, ...single } = alarms;
  return [
    ...Object.values(single).filter((alarm) => alarm !== undefined),
    ...Object.values(functionErrors),
    ...Object.values(functionThrottles),
  ];
}

/** The delivery and platform alarms, and the dashboard. */
export class DispatcherMonitoring extends Construct {
  public readonly alarms: WebhookDispatcherAlarms;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DispatcherMonitoringProps) {
    super(scope, id);
    const { deliveryQueue, slowQueue, deadLetterQueue, httpApi } = props;

    const deadLetterDepth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" });
    const oldestAge = deliveryQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" });
    const slowLaneAge = slowQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" });
    const failureRate = deliveryFailureRate();

    this.alarms = {
      deadLetters: new cloudwatch.Alarm(this, "DeadLettersAlarm", {
        // The dead-letter consumer drains the queue within seconds, so visible messages mean it is failing
        // to record exhausted deliveries; exhaustion itself is the Exhausted metric on the dashboard.
        alarmDescription: "Messages are waiting in the dead-letter queue: exhausted deliveries are not being recorded.",
        metric: deadLetterDepth,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      oldestMessageAge: new cloudwatch.Alarm(this, "OldestMessageAgeAlarm", {
        alarmDescription: `A delivery has waited in the queue for more than ${props.maxMessageAge.toSeconds()} s: the worker is falling behind or failing.`,
        metric: oldestAge,
        threshold: props.maxMessageAge.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      slowLaneMessageAge: new cloudwatch.Alarm(this, "SlowLaneMessageAgeAlarm", {
        alarmDescription: `A delivery has waited in the slow lane's queue for more than ${props.maxMessageAge.toSeconds()} s: slow endpoints' deliveries are falling behind (slowLaneMaxConcurrency) or the worker is failing.`,
        metric: slowLaneAge,
        threshold: props.maxMessageAge.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      failureRate: new cloudwatch.Alarm(this, "FailureRateAlarm", {
        alarmDescription: `More than ${props.failureRateThreshold * 100} % of delivery attempts failed for 15 minutes.`,
        metric: failureRate,
        threshold: props.failureRateThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      // Not a receiver's failure: intake's limits keep every payload sendable, so this is a queue whose
      // size or rules changed under the dispatcher, or a bug; each such event is lost to its endpoints.
      unsendableEvents: new cloudwatch.Alarm(this, "UnsendableEventsAlarm", {
        alarmDescription:
          "SQS refused an event's messages for good: its deliveries ended exhausted with error unsendable (see the dead-letter function's log).",
        metric: deliveryMetric(DELIVERY_METRICS.unsendable, "Sum", SERVICE_NAMES.deadLetter),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      ...orderedAlarms(this, props.ordered),
      // Held messages move SCHEDULE_LEAD_SECONDS before their time, so one found past it means the
      // scheduler fell behind or failed; it publishes every minute, so no data means it did not run.
      scheduleOverdue: new cloudwatch.Alarm(this, "ScheduleOverdueAlarm", {
        alarmDescription:
          "A held scheduled message was found more than 60 s past its deliverAt, or the scheduler (the sweeper function's one-minute job) did not run: scheduled deliveries are late.",
        metric: deliveryMetric(SCHEDULE_OVERDUE_METRIC, "Maximum", SERVICE_NAMES.sweeper),
        threshold: 60,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
      ...createPlatformAlarms(this, props),
      ...(props.pushErrors && { pushErrors: props.pushErrors }),
    };
    const alarms = everyAlarm(this.alarms);
    if (props.alarmTopic) {
      const action = new actions.SnsAction(props.alarmTopic);
      for (const alarm of alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    } else {
      // On the dispatcher itself (the monitoring's scope), where a user would acknowledge it.
      Annotations.of(scope).addWarningV2(
        ALARMS_UNHEARD_WARNING,
        `The webhook dispatcher's ${alarms.length} alarms notify no one: neither alarmEmail nor alarmTopic is set. Set one of them, or acknowledge this warning (Annotations.of(dispatcher).acknowledgeWarning("${ALARMS_UNHEARD_WARNING}", reason)) if the alarms are watched another way.`,
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(6),
    });
    const functions = Object.values(props.functions) as lambda.IFunction[];
    const urlFunctions = [
      ["api", props.functions.api],
      ["feed", props.functions.feed],
    ] as const;
    const sum = (name: string, service?: DispatcherMetricOptions["service"]) => deliveryMetric(name, "Sum", service).with({ label: name });
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms, width: 24, height: 6 }));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Delivery attempts",
        left: [sum(DELIVERY_METRICS.attempts), sum(DELIVERY_METRICS.successes), sum(DELIVERY_METRICS.failures)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Failure rate and exhausted deliveries",
        left: [failureRate],
        right: [
          sum(DELIVERY_METRICS.exhausted).with({ label: "Exhausted (worker)" }),
          sum(DELIVERY_METRICS.exhausted, SERVICE_NAMES.deadLetter).with({ label: "Exhausted (dead-letter consumer)" }),
          sum(DELIVERY_METRICS.unsendable, SERVICE_NAMES.deadLetter).with({ label: "Unsendable events" }),
        ],
        leftYAxis: { min: 0, max: 1, showUnits: false },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Delivery latency (ms)",
        left: ["p50", "p90", "p99"].map((p) => deliveryMetric(DELIVERY_METRICS.latency, p).with({ label: p })),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Delivery queue",
        left: [deliveryQueue.metricApproximateNumberOfMessagesVisible(), deliveryQueue.metricApproximateNumberOfMessagesNotVisible()],
        right: [oldestAge],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: "Dead-letter queue depth", left: [deadLetterDepth], width: 8 }),
      httpApi
        ? new cloudwatch.GraphWidget({
            title: "HTTP API",
            left: [httpApi.metricCount(), httpApi.metricClientError(), httpApi.metricServerError()],
            right: [httpApi.metricLatency({ statistic: "p99" })],
            width: 8,
          })
        : new cloudwatch.GraphWidget({
            // Both have a URL of their own: the feed's carries the long polls.
            title: "Function URLs (API and feed)",
            left: urlFunctions.flatMap(([name, fn]) =>
              ["UrlRequestCount", "Url4xxCount", "Url5xxCount"].map((metric) =>
                fn.metric(metric, { period: PERIOD, statistic: "Sum", label: `${name} ${metric}` }),
              ),
            ),
            right: urlFunctions.map(([name, fn]) =>
              fn.metric("UrlRequestLatency", { period: PERIOD, statistic: "p99", label: `${name} UrlRequestLatency p99` }),
            ),
            width: 8,
          }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Slow lane queue",
        left: [slowQueue.metricApproximateNumberOfMessagesVisible(), slowQueue.metricApproximateNumberOfMessagesNotVisible()],
        right: [slowQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "Lanes: messages moved to the slow lane, endpoints changing lanes",
        left: [sum(LANE_METRICS.forwarded), sum(LANE_METRICS.handed_over)],
        right: [sum(LANE_METRICS.entered_slow), sum(LANE_METRICS.left_slow)],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Function errors and throttles",
        left: functions.flatMap((fn) => [fn.metricErrors({ period: PERIOD }), fn.metricThrottles({ period: PERIOD })]),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "Function duration p99",
        left: functions.map((fn) => fn.metricDuration({ period: PERIOD, statistic: "p99" })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(...platformWidgets(props));
  }
}

/**
 * The alarm topic made for `alarmEmail` (construct id `AlarmTopic` under `scope`). Without a
 * customer-managed key it stays unencrypted: CloudWatch alarms cannot publish to a topic under the
 * AWS managed SNS key, and the topic carries alarm state changes, no webhook data. With one, the
 * key must let CloudWatch make a data key; an imported key's policy cannot be amended from this
 * stack (addToResourcePolicy adds nothing), so the alarms would fail to publish in silence: that is
 * refused.
 */
export function createAlarmTopic(scope: Construct, email: string, key: kms.IKey | undefined): sns.Topic {
  const grant = key?.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "CloudWatchAlarmsPublishToDispatcherTopic",
      principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["*"],
    }),
  );
  if (grant && !grant.statementAdded) {
    throw new WebhookDispatcherPropsError(
      "alarmEmail with an imported encryptionKey: the key's policy cannot be amended from this stack, so CloudWatch could not publish to the encrypted alarm topic. Pass alarmTopic instead (a topic whose key lets cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey), or use a key defined in this CDK app.",
    );
  }
  const topic = new sns.Topic(scope, "AlarmTopic", { displayName: "Webhook dispatcher alarms", masterKey: key, enforceSSL: true });
  topic.addSubscription(new subscriptions.EmailSubscription(email));
  return topic;
}
