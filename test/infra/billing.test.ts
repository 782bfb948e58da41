/**
 * The construct's `billing` option (issue 27): on demand by default; provisioned with auto scaling
 * at 70 % on the table and on each index, within the given bounds; refused values named.
 */
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TABLE_DESIGN } from "../../functions/adapters/dynamo/table-design.ts";
import { resolveSettings } from "../../lib/resolved-settings.ts";
import { WebhookDispatcher, type WebhookDispatcherProps, WebhookDispatcherPropsError } from "../../lib/webhook-dispatcher.ts";
import { nagFindings, type Resource, resourcesOfType, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { appThatBundles, deployedStack } from "./synthesized.ts";

const BOUNDS = { minWrite: 10, maxWrite: 2000, minRead: 7, maxRead: 900 };
let provisioned: { stack: Stack; template: Template };

beforeAll(() => {
  const stack = new Stack(appThatBundles(false), "Provisioned");
  new WebhookDispatcher(stack, "Webhooks", { billing: "provisioned", provisionedCapacity: BOUNDS });
  provisioned = { stack, template: Template.fromStack(stack) };
}, SYNTH_TIMEOUT_MS);

const tableOf = (template: Template) => Object.values(resourcesOfType(template, "AWS::DynamoDB::Table"))[0] as Resource;
/** Each scalable target as `dimension index-or-table min max`, and the target tracking policies' targets. */
function scaling(template: Template) {
  const targets = Object.values(resourcesOfType(template, "AWS::ApplicationAutoScaling::ScalableTarget")).map((r) => {
    const p = r.Properties as { ScalableDimension: string; ResourceId: unknown; MinCapacity: number; MaxCapacity: number };
    const onIndex = JSON.stringify(p.ResourceId).match(/\/index\/(\w+)/)?.[1] ?? "table";
    return `${p.ScalableDimension} ${onIndex} ${p.MinCapacity} ${p.MaxCapacity}`;
  });
  const policies = Object.values(resourcesOfType(template, "AWS::ApplicationAutoScaling::ScalingPolicy")).map(
    (r) =>
      (r.Properties as { TargetTrackingScalingPolicyConfiguration: { TargetValue: number } }).TargetTrackingScalingPolicyConfiguration
        .TargetValue,
  );
  return { targets: targets.sort(), policies };
}

describe("billing", () => {
  it("is on demand by default, with no capacity and no auto scaling", () => {
    const { template } = deployedStack();
    const props = tableOf(template).Properties as Record<string, unknown>;
    expect(props.BillingMode).toBe("PAY_PER_REQUEST");
    expect(props.ProvisionedThroughput).toBeUndefined();
    expect(scaling(template).targets).toEqual([]);
  });

  it('"provisioned" bills capacity on the table and each index, starting at the minimums', () => {
    const props = tableOf(provisioned.template).Properties as {
      BillingMode?: string;
      ProvisionedThroughput: unknown;
      GlobalSecondaryIndexes: { IndexName: string; ProvisionedThroughput: unknown }[];
    };
    expect(props.BillingMode ?? "PROVISIONED").toBe("PROVISIONED");
    const start = { ReadCapacityUnits: BOUNDS.minRead, WriteCapacityUnits: BOUNDS.minWrite };
    expect(props.ProvisionedThroughput).toEqual(start);
    expect(props.GlobalSecondaryIndexes.map((i) => [i.IndexName, i.ProvisionedThroughput])).toEqual(
      TABLE_DESIGN.indexes.map((i) => [i.name, start]),
    );
  });

  it('"provisioned" auto scales reads and writes of the table and of each index at a 70 % target, within the bounds', () => {
    const { targets, policies } = scaling(provisioned.template);
    const expected = ["table", ...TABLE_DESIGN.indexes.map((i) => i.name)].flatMap((on) => [
      `dynamodb:${on === "table" ? "table" : "index"}:ReadCapacityUnits ${on} ${BOUNDS.minRead} ${BOUNDS.maxRead}`,
      `dynamodb:${on === "table" ? "table" : "index"}:WriteCapacityUnits ${on} ${BOUNDS.minWrite} ${BOUNDS.maxWrite}`,
    ]);
    expect(targets).toEqual(expected.sort());
    expect(policies).toEqual(expected.map(() => 70));
  });

  it("passes cdk-nag AwsSolutions provisioned too", () => {
    expect(nagFindings(provisioned.stack)).toEqual([]);
  });

  it("refuses a mode it does not know, bounds without provisioned, and bounds out of order, naming the prop", () => {
    const refused: [WebhookDispatcherProps, RegExp][] = [
      [{ billing: "reserved" as never }, /billing must be/],
      [{ provisionedCapacity: { minWrite: 5 } }, /provisionedCapacity applies to billing "provisioned" only/],
      [{ billing: "provisioned", provisionedCapacity: { minWrite: 0 } }, /provisionedCapacity.minWrite/],
    ];
    for (const [props, message] of refused) {
      const scope = new Stack(new App(), "Refused");
      expect(() => new WebhookDispatcher(scope, "Webhooks", props)).toThrow(WebhookDispatcherPropsError);
      expect(() => new WebhookDispatcher(scope, "Webhooks2", props)).toThrow(message);
    }
  });

  it("accepts any bounds with min ≤ max and refuses any max below its min", () => {
    const unit = fc.integer({ min: 1, max: 40_000 });
    fc.assert(
      fc.property(unit, unit, fc.constantFrom("Write", "Read"), (a, b, kind) => {
        const capacity = { [`min${kind}`]: a, [`max${kind}`]: b };
        const resolve = () => resolveSettings({ billing: "provisioned", provisionedCapacity: capacity });
        if (a <= b) {
          const billing = resolve().billing;
          expect(billing.mode === "provisioned" && [billing[`min${kind}` as "minWrite"], billing[`max${kind}` as "maxWrite"]]).toEqual([
            a,
            b,
          ]);
        } else expect(resolve).toThrow(`provisionedCapacity.max${kind}`);
      }),
    );
  });
});
