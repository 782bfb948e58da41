/**
 * The construct's metricXxx() helpers: each names a metric the alarms and dashboard already read
 * (which metrics-agreement.test.ts shows the functions emit), with the alarms' period and a default
 * statistic, and every option a caller passes wins over the defaults.
 */
import { Duration } from "aws-cdk-lib";
import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { METRIC_PERIOD, METRICS_NAMESPACE, SERVICE_NAMES } from "../../lib/dispatcher-metrics.ts";
import type { WebhookDispatcher } from "../../lib/webhook-dispatcher.ts";
import { keyOf, metricsReadByTemplate } from "../support/emf.ts";
import { SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { alarmedStack } from "./synthesized.ts";

type Helper = (props?: Parameters<WebhookDispatcher["metricDeliveryFailures"]>[0]) => cloudwatch.Metric;

let dispatcher: WebhookDispatcher;
let helpers: [string, Helper][];
let read: Set<string>;

beforeAll(() => {
  const synthesized = alarmedStack();
  dispatcher = synthesized.dispatcher;
  helpers = [
    ["metricDeliveryAttempts", (p) => dispatcher.metricDeliveryAttempts(p)],
    ["metricDeliverySuccesses", (p) => dispatcher.metricDeliverySuccesses(p)],
    ["metricDeliveryFailures", (p) => dispatcher.metricDeliveryFailures(p)],
    ["metricDeliveriesExhausted", (p) => dispatcher.metricDeliveriesExhausted(p)],
    ["metricDeliveryLatency", (p) => dispatcher.metricDeliveryLatency(p)],
    ["metricUnsendableEvents", (p) => dispatcher.metricUnsendableEvents(p)],
  ];
  read = new Set(metricsReadByTemplate(synthesized.template.toJSON().Resources).map(keyOf));
}, SYNTH_TIMEOUT_MS);

const keyOfMetric = (m: cloudwatch.Metric) =>
  keyOf({ namespace: m.namespace, name: m.metricName, dimensions: (m.dimensions ?? {}) as Record<string, string> });

describe("the construct's metric helpers", () => {
  it("name metrics the alarms or the dashboard read, in the functions' namespace, per 5 minutes", () => {
    for (const [name, helper] of helpers) {
      const metric = helper();
      expect(read.has(keyOfMetric(metric)), name).toBe(true);
      expect(metric.namespace, name).toBe(METRICS_NAMESPACE);
      expect(metric.period.toSeconds(), name).toBe(METRIC_PERIOD.toSeconds());
      // Counts are summed; a latency is averaged, as CDK's own latency metrics are.
      expect(metric.statistic, name).toBe(name === "metricDeliveryLatency" ? "Average" : "Sum");
    }
    // The dead-letter consumer's exhausted deliveries are the same helper with its service.
    expect(read.has(keyOfMetric(dispatcher.metricDeliveriesExhausted({ service: SERVICE_NAMES.deadLetter })))).toBe(true);
  });

  it("apply whatever period, statistic, label and service a caller passes, and keep the namespace", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1440 }),
        fc.constantFrom("Sum", "Average", "Maximum", "Minimum", "SampleCount", "p50", "p99", "p99.9"),
        fc.string({ maxLength: 30 }),
        fc.constantFrom(...Object.values(SERVICE_NAMES)),
        (minutes, statistic, label, service) => {
          for (const [name, helper] of helpers) {
            const metric = helper({ period: Duration.minutes(minutes), statistic, label, service });
            expect(metric.period.toMinutes(), name).toBe(minutes);
            expect(metric.statistic, name).toBe(statistic);
            expect(metric.label, name).toBe(label);
            expect(metric.dimensions, name).toEqual({ service });
            expect(metric.namespace, name).toBe(METRICS_NAMESPACE);
            expect(metric.metricName, name).toBe(helper().metricName);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("give the failure rate the alarm watches, over the caller's period when one is passed", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: 1440 }), { nil: undefined }), (minutes) => {
        const rate = dispatcher.metricDeliveryFailureRate(minutes === undefined ? {} : { period: Duration.minutes(minutes) });
        const period = minutes ?? METRIC_PERIOD.toMinutes();
        expect(rate.period.toMinutes()).toBe(period);
        expect(Object.keys(rate.usingMetrics).sort()).toEqual(["attempts", "failures"]);
        const failures = rate.usingMetrics.failures as cloudwatch.Metric;
        expect(keyOfMetric(failures)).toBe(keyOfMetric(dispatcher.metricDeliveryFailures()));
        expect(keyOfMetric(rate.usingMetrics.attempts as cloudwatch.Metric)).toBe(keyOfMetric(dispatcher.metricDeliveryAttempts()));
        for (const inner of Object.values(rate.usingMetrics)) expect((inner as cloudwatch.Metric).period.toMinutes()).toBe(period);
      }),
      { numRuns: 30 },
    );
    expect(dispatcher.metricDeliveryFailureRate().expression).toBe(
      dispatcher.alarms.failureRate.metric.toMetricConfig().mathExpression?.expression,
    );
  });
});
