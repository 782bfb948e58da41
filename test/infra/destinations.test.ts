/**
 * IAM for AWS destinations in the default stack: the Destinations session role, who may assume it
 * and with which tag, and how the functions may assume customers' roles.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { actionsOf, allStatements, functionEnv, logicalId, type Statement, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { deployedStack } from "./synthesized.ts";

let stack: WebhookDispatcherStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = deployedStack());
}, SYNTH_TIMEOUT_MS);

const role = () => logicalId(stack, stack.dispatcher.destinationSessionRole);
const deliveryRole = () => logicalId(stack, stack.dispatcher.deliveryFunction.role as never);
const apiRole = () => logicalId(stack, stack.dispatcher.apiFunction.role as never);
const NOT_OWN = { StringNotEquals: { "aws:ResourceAccount": { Ref: "AWS::AccountId" } } };

describe("the Destinations session role", () => {
  it("is assumed only by the delivery function's role, and only with the hookrelay-tenant tag and no other", () => {
    const trust = allStatements(template)
      .filter((s) => s.owner === `${role()} (trust)`)
      .map((s) => s.statement as Statement & { Condition?: unknown });
    expect(trust.flatMap(actionsOf).sort()).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    for (const s of trust) {
      expect(s.Principal).toEqual({ AWS: { "Fn::GetAtt": [deliveryRole(), "Arn"] } });
      expect(s.Condition).toEqual({
        StringLike: { "aws:RequestTag/hookrelay-tenant": "?*" },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["hookrelay-tenant"] },
      });
    }
  });

  it("may put into other accounts' queues, topics, buses, streams and buckets only, and use their keys only through those services", () => {
    const granted = allStatements(template)
      .filter((s) => s.statement.Sid === "PutIntoCustomerResources" || s.statement.Sid === "UseCustomerKeysThroughTheirServices")
      .map((s) => s.statement as Statement & { Condition?: Record<string, unknown> });
    expect(granted.flatMap(actionsOf).sort()).toEqual(
      [
        "events:PutEvents",
        "kinesis:PutRecord",
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "s3:PutObject",
        "sns:Publish",
        "sqs:SendMessage",
      ].sort(),
    );
    for (const s of granted) expect(s.Condition).toMatchObject(NOT_OWN);
    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: role() }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: "UseCustomerKeysThroughTheirServices",
            Condition: Match.objectLike({ StringLike: { "kms:ViaService": Match.arrayWith(["sqs.*.amazonaws.com"]) } }),
          }),
        ]),
      }),
    });
  });
});

describe("the functions", () => {
  it("assume customers' roles only in other accounts, with an ExternalId and session name of the dispatcher's form", () => {
    const statements = allStatements(template).filter((s) => s.statement.Sid === "AssumeCustomerRoles");
    expect(new Set(statements.map((s) => s.owner)).size).toBeGreaterThanOrEqual(1);
    for (const { statement } of statements) {
      expect(actionsOf(statement)).toEqual(["sts:AssumeRole"]);
      expect((statement as { Condition?: unknown }).Condition).toEqual({
        ...NOT_OWN,
        StringLike: { "sts:ExternalId": "hookrelay-*", "sts:RoleSessionName": "hookrelay-*" },
      });
    }
    for (const r of [deliveryRole(), apiRole()]) {
      template.hasResourceProperties("AWS::IAM::Policy", {
        Roles: Match.arrayWith([{ Ref: r }]),
        PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Sid: "AssumeCustomerRoles" })]) }),
      });
    }
  });

  it("the delivery function alone may assume the session role; both know it and the dispatcher's account", () => {
    const owners = allStatements(template).filter((s) => s.statement.Sid === "AssumeDestinationSessionRole");
    expect(owners.map((s) => actionsOf(s.statement).sort())).toEqual([["sts:AssumeRole", "sts:TagSession"]]);
    for (const fn of [stack.dispatcher.deliveryFunction, stack.dispatcher.apiFunction]) {
      expect(functionEnv(template, stack, fn)).toMatchObject({
        DESTINATION_ROLE_ARN: { "Fn::GetAtt": [role(), "Arn"] },
        DISPATCHER_ACCOUNT_ID: { Ref: "AWS::AccountId" },
      });
    }
  });
});
