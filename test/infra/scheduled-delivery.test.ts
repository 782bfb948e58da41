import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, SCHEDULE_OVERDUE_METRIC } from "../../functions/adapters/lambda/metric-names.ts";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { functionEnv, logicalId, resourcesOfType, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { deployedStack } from "./synthesized.ts";

/* The scheduler of scheduled delivery (docs/scheduling.md): its rule, its alarm and its settings. */
let stack: WebhookDispatcherStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = deployedStack());
}, SYNTH_TIMEOUT_MS);

describe("the scheduler", () => {
  it("runs the sweeper function every minute with the scheduled job, retried twice", () => {
    const sweeper = logicalId(stack, stack.dispatcher.sweeperFunction);
    // The sweeper's one-minute rule (the WebSocket push has a one-minute sweep of its own).
    const rules = Object.values(resourcesOfType(template, "AWS::Events::Rule")).filter(
      (r) => r.Properties?.ScheduleExpression === "rate(1 minute)" && JSON.stringify(r.Properties?.Targets).includes(sweeper),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      State: "ENABLED",
      Targets: [
        { Arn: { "Fn::GetAtt": [sweeper, "Arn"] }, Input: JSON.stringify({ job: "scheduled" }), RetryPolicy: { MaximumRetryAttempts: 2 } },
      ],
    });
  });

  it("alarms when a held message is found a minute late, and when the scheduler publishes nothing", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: METRICS_NAMESPACE,
      MetricName: SCHEDULE_OVERDUE_METRIC,
      Dimensions: [{ Name: "service", Value: "sweeper" }],
      Statistic: "Maximum",
      Threshold: 60,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "breaching",
    });
    expect(stack.dispatcher.alarms.scheduleOverdue).toBeDefined();
  });

  it("passes the scheduling and signature settings given as props to the functions", () => {
    const custom = deployedStack({
      key: "scheduling-props",
      dispatcher: { maxScheduledPerTenant: 7, scheduleHorizonHours: 48, signatureHeaders: "both" },
    });
    const env = functionEnv(custom.template, custom.stack, custom.stack.dispatcher.apiFunction);
    expect(env).toMatchObject({ MAX_SCHEDULED_PER_TENANT: "7", SCHEDULE_HORIZON_HOURS: "48", SIGNATURE_HEADERS: "both" });
    expect(functionEnv(custom.template, custom.stack, custom.stack.dispatcher.deliveryFunction)).toMatchObject({
      SIGNATURE_HEADERS: "both",
    });
  });
});
