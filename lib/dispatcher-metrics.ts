/**
 * The custom metrics the dispatcher's functions publish (EMF, namespace `Hookrelay`, one dimension
 * `service`), as CloudWatch metrics: the one home of their namespace, dimension and default period,
 * read by the alarms, the dashboard and the construct's `metricXxx()` helpers alike.
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { Construct } from "constructs";
import { METRICS_NAMESPACE, UNSENDABLE_METRIC } from "../functions/adapters/lambda/metric-names.ts";

export { METRICS_NAMESPACE };

/** The period of the dispatcher's metrics unless a caller says otherwise: that of its alarms and dashboard. */
export const METRIC_PERIOD = Duration.minutes(5);

/** The service names, which are also the values of the `service` metric dimension. */
export const SERVICE_NAMES = { api: "api", delivery: "delivery", deadLetter: "dead-letter", sweeper: "sweeper" } as const;

/** Options of a dispatcher metric: CloudWatch's own, and the function whose output it counts. */
export interface DispatcherMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The function that publishes it (the `service` dimension).
   * @default "delivery"
   */
  readonly service?: (typeof SERVICE_NAMES)[keyof typeof SERVICE_NAMES];
}

/** One of the functions' metrics, by name, with the given statistic unless `options` overrides it; period 5 minutes. */
export function dispatcherMetric(metricName: string, statistic: string, options: DispatcherMetricOptions = {}): cloudwatch.Metric {
  const { service = SERVICE_NAMES.delivery, ...metricOptions } = options;
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic,
    period: METRIC_PERIOD,
    ...metricOptions,
    dimensionsMap: { service, ...metricOptions.dimensionsMap },
  });
}

/** The EMF metric names the delivery worker and the dead-letter consumer emit. */
export const DELIVERY_METRICS = {
  attempts: "Attempts",
  successes: "Successes",
  failures: "Failures",
  exhausted: "Exhausted",
  latency: "DeliveryLatency",
  /** Events SQS refused for good, whose deliveries the dead-letter consumer ended unsendable. */
  unsendable: UNSENDABLE_METRIC,
} as const;

/** Failures / Attempts of the delivery worker per period (5 minutes unless `options.period` says otherwise). */
export function deliveryFailureRate(options: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
  const period = options.period ?? METRIC_PERIOD;
  return new cloudwatch.MathExpression({
    // FILL: a period with attempts and no Failures datapoint has a rate of 0, not no data.
    expression: "FILL(failures, 0) / attempts",
    usingMetrics: {
      failures: dispatcherMetric(DELIVERY_METRICS.failures, "Sum", { period }),
      attempts: dispatcherMetric(DELIVERY_METRICS.attempts, "Sum", { period }),
    },
    label: "Failures / Attempts",
    ...options,
    period,
  });
}

/**
 * What every WebhookDispatcher offers beside its resources: its metrics, as CDK's own constructs
 * offer theirs (`queue.metricXxx()`, `fn.metricErrors()`), each with a default statistic and
 * period that `props` overrides.
 */
export abstract class WebhookDispatcherBase extends Construct {
  /**
   * A metric the dispatcher's functions publish, by name (namespace `Hookrelay`, dimension `service`:
   * the delivery function's unless `props.service` says otherwise): Sum over 5 minutes by default.
   */
  public metric(metricName: string, props?: DispatcherMetricOptions): cloudwatch.Metric {
    return dispatcherMetric(metricName, "Sum", props);
  }

  /** Delivery attempts (POSTs to receivers): Sum over 5 minutes by default. */
  public metricDeliveryAttempts(props?: DispatcherMetricOptions): cloudwatch.Metric {
    return this.metric(DELIVERY_METRICS.attempts, props);
  }

  /** Attempts a receiver answered 2xx: Sum over 5 minutes by default. */
  public metricDeliverySuccesses(props?: DispatcherMetricOptions): cloudwatch.Metric {
    return this.metric(DELIVERY_METRICS.successes, props);
  }

  /** Attempts that failed (an answer other than 2xx, a timeout, a refused destination): Sum over 5 minutes by default. */
  public metricDeliveryFailures(props?: DispatcherMetricOptions): cloudwatch.Metric {
    return this.metric(DELIVERY_METRICS.failures, props);
  }

  /**
   * Deliveries the delivery function ended exhausted, its last retry failed: Sum over 5 minutes by
   * default. Those the dead-letter consumer ended are `{ service: "dead-letter" }`.
   */
  public metricDeliveriesExhausted(props?: DispatcherMetricOptions): cloudwatch.Metric {
    return this.metric(DELIVERY_METRICS.exhausted, props);
  }

  /** How long an attempt's POST took, in milliseconds: Average over 5 minutes by default (`{ statistic: "p99" }` for the tail). */
  public metricDeliveryLatency(props?: DispatcherMetricOptions): cloudwatch.Metric {
    return dispatcherMetric(DELIVERY_METRICS.latency, "Average", props);
  }

  /** Events SQS refused for good, whose deliveries the dead-letter consumer ended unsendable: Sum over 5 minutes by default. */
  public metricUnsendableEvents(props?: DispatcherMetricOptions): cloudwatch.Metric {
    return this.metric(DELIVERY_METRICS.unsendable, { service: SERVICE_NAMES.deadLetter, ...props });
  }

  /** Failures / Attempts per 5 minutes by default: what the `failureRate` alarm watches. */
  public metricDeliveryFailureRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return deliveryFailureRate(props);
  }
}
