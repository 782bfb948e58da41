/**
 * Deployment settings that only show in the synthesized template: the log filter lets the metric
 * lines through at every log level, an imported key with alarmEmail is refused, and source maps
 * follow the `sourceMaps` prop. Bundling is skipped: these tests read settings, not code.
 */
import type { Stack } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { describe, expect, it } from "vitest";
import { createDeliveryMetrics } from "../../functions/adapters/lambda/metrics.ts";
import { DEFAULT_SOURCE_MAPS } from "../../lib/dispatcher-function.ts";
import { type WebhookDispatcherProps, WebhookDispatcherPropsError } from "../../lib/webhook-dispatcher.ts";
import { captureEmf } from "../support/emf.ts";
import { lambdaKeeps } from "../support/lambda-log-filter.ts";
import { functionEnv, functionProps, synthDispatcher } from "./helpers.ts";

/** A stack holding the construct, synthesized without bundling the functions. */
function synth(props: WebhookDispatcherProps = {}, build?: (stack: Stack) => WebhookDispatcherProps) {
  const { stack, dispatcher, template } = synthDispatcher(props, { build });
  const functions = [dispatcher.apiFunction, dispatcher.deliveryFunction, dispatcher.deadLetterFunction, dispatcher.sweeperFunction];
  return { stack, dispatcher, template, functions };
}

describe("metric lines and Lambda's log filter", () => {
  for (const logLevel of ["DEBUG", "INFO", "WARN", "ERROR"] as const) {
    it(`keeps the EMF lines of every function with logLevel ${logLevel}, and the functions apply ${logLevel} themselves`, async () => {
      const { stack, template, functions } = synth({ logLevel });
      const [emf] = await captureEmf(async () => {
        const metrics = createDeliveryMetrics("json", "delivery");
        metrics.queueAge(5);
        metrics.flush();
      });
      expect(emf).toBeDefined();
      for (const fn of functions) {
        const logging = functionProps(template, stack, fn).LoggingConfig as { ApplicationLogLevel: string; LogFormat: string };
        expect(logging.LogFormat).toBe("JSON");
        expect(lambdaKeeps(emf as Record<string, unknown>, logging.ApplicationLogLevel)).toBe(true);
        expect(functionEnv(template, stack, fn).LOG_LEVEL).toBe(logLevel);
      }
    });
  }
});

describe("an imported customer-managed key", () => {
  const imported = (stack: Stack) =>
    kms.Key.fromKeyArn(stack, "Imported", "arn:aws:kms:us-east-1:111111111111:key/0d3c3e57-6b1e-4c1f-9d59-6d2f2f1f0c01");

  it("is refused with alarmEmail, naming the way out, since CloudWatch could not publish to the topic", () => {
    const build = (stack: Stack) => ({ encryptionKey: imported(stack), alarmEmail: "oncall@example.com" });
    expect(() => synth({}, build)).toThrow(WebhookDispatcherPropsError);
    expect(() => synth({}, build)).toThrow(/imported encryptionKey.*Pass alarmTopic/);
  });

  it("is accepted with a topic of the user's own, and the construct then changes no key policy", () => {
    const { dispatcher, template } = synth({}, (stack) => ({
      encryptionKey: imported(stack),
      alarmTopic: new sns.Topic(stack, "OwnTopic"),
    }));
    expect(dispatcher.alarmTopic).toBeDefined();
    expect(Object.keys(template.findResources("AWS::KMS::Key"))).toEqual([]);
  });

  it("defined in the same app gets the statement that lets CloudWatch publish to the encrypted topic", () => {
    const { template } = synth({}, (stack) => ({ encryptionKey: new kms.Key(stack, "Own"), alarmEmail: "oncall@example.com" }));
    const [key] = Object.values(template.findResources("AWS::KMS::Key")) as {
      Properties: { KeyPolicy: { Statement: { Sid?: string }[] } };
    }[];
    expect(key?.Properties.KeyPolicy.Statement.map((s) => s.Sid)).toContain("CloudWatchAlarmsPublishToDispatcherTopic");
  });
});

describe("the sourceMaps prop", () => {
  it(`defaults to ${DEFAULT_SOURCE_MAPS ? "on" : "off"}: no --enable-source-maps in any function's NODE_OPTIONS`, () => {
    const { stack, template, functions } = synth();
    for (const fn of functions) {
      const env = functionEnv(template, stack, fn);
      expect(String(env.NODE_OPTIONS ?? "").includes("--enable-source-maps")).toBe(DEFAULT_SOURCE_MAPS);
    }
  });

  it("turns --enable-source-maps on for every function when set", () => {
    const { stack, template, functions } = synth({ sourceMaps: true });
    for (const fn of functions) expect(functionEnv(template, stack, fn).NODE_OPTIONS).toBe("--enable-source-maps");
  });
});
