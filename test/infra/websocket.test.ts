import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { DEADLINE_BACKSTOP_MS, SUBSCRIBE_DEADLINE_MS } from "../../functions/core/push/deps.ts";
import { PUSH_FUNCTION_TIMEOUT, WEBSOCKET_STAGE } from "../../lib/dispatcher-websocket.ts";
import { PUSH_DEADLINE_QUEUE } from "../../lib/resource-settings.ts";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { functionEnv, logicalId, resourcesOfType, SYNTH_TIMEOUT_MS, synthDispatcher } from "./helpers.ts";
import { deployedStack } from "./synthesized.ts";

let stack: WebhookDispatcherStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = deployedStack());
}, SYNTH_TIMEOUT_MS);

describe("the WebSocket push", () => {
  it("is a WebSocket API whose $connect, $disconnect and $default routes run the push function", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Api", 2);
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "WEBSOCKET" });
    const api = logicalId(stack, stack.dispatcher.webSocketApi as never);
    const routes = Object.values(resourcesOfType(template, "AWS::ApiGatewayV2::Route")).filter(
      (r) => (r.Properties?.ApiId as { Ref?: string })?.Ref === api,
    );
    expect(routes.map((r) => r.Properties?.RouteKey).sort()).toEqual(["$connect", "$default", "$disconnect"]);
    const push = logicalId(stack, stack.dispatcher.pushFunction as never);
    for (const integration of Object.values(resourcesOfType(template, "AWS::ApiGatewayV2::Integration")).filter(
      (r) => (r.Properties?.ApiId as { Ref?: string })?.Ref === api,
    )) {
      expect(JSON.stringify(integration.Properties?.IntegrationUri)).toContain(push);
    }
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", { ApiId: { Ref: api }, StageName: WEBSOCKET_STAGE, AutoDeploy: true });
  });

  it("grants execute-api:ManageConnections on this API's stage only, for POST and DELETE", () => {
    const role = logicalId(stack, stack.dispatcher.pushFunction?.role as never);
    const statements = Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
      .filter((p) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement)
      .filter((s) => JSON.stringify(s.Action).includes("execute-api"));
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe("execute-api:ManageConnections");
    const resources = JSON.stringify(statements[0]?.Resource);
    const api = logicalId(stack, stack.dispatcher.webSocketApi as never);
    expect(resources).toContain(api);
    expect(resources).toContain(`/${WEBSOCKET_STAGE}/POST/@connections/*`);
    expect(resources).toContain(`/${WEBSOCKET_STAGE}/DELETE/@connections/*`);
    // No other API's connections, and no wildcard stage or method.
    expect(resources).not.toMatch(/\/\*\/\*\/@connections/);
    // No other function may manage connections.
    const others = Object.values(resourcesOfType(template, "AWS::IAM::Policy")).filter(
      (p) => !(p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === role),
    );
    expect(JSON.stringify(others)).not.toContain("execute-api:ManageConnections");
  });

  it("keeps connections in the table with TTL, and pushes from its keys-only stream, filtered to inserted feed slots", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      StreamSpecification: { StreamViewType: "KEYS_ONLY" },
    });
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: logicalId(stack, stack.dispatcher.pushFunction as never) },
      StartingPosition: "LATEST",
      FilterCriteria: {
        Filters: [{ Pattern: Match.serializedJson({ eventName: ["INSERT"], dynamodb: { Keys: { pk: { S: [{ prefix: "FEED#" }] } } } }) }],
      },
    });
  });

  it("sweeps every minute, alarms on the push function's errors, and tells its URL to the API, the feed function and the stack's outputs", () => {
    const push = logicalId(stack, stack.dispatcher.pushFunction as never);
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [push, "Arn"] } })],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: push } }],
    });
    for (const fn of [stack.dispatcher.apiFunction, stack.dispatcher.feedFunction]) {
      expect(JSON.stringify(functionEnv(template, stack, fn).WEBSOCKET_URL)).toContain("wss://");
    }
    expect(JSON.stringify(functionEnv(template, stack, stack.dispatcher.pushFunction as never).WEBSOCKET_CALLBACK_URL)).toContain(
      "https://",
    );
    template.hasOutput("WebSocketUrl", { Value: Match.objectLike({}) });
  });

  it("schedules the 10 s subscribe deadline on an encrypted SQS queue that the push function sends to and consumes", () => {
    const queue = logicalId(stack, stack.dispatcher.pushDeadlineQueue as never);
    const push = logicalId(stack, stack.dispatcher.pushFunction as never);
    const resource = template.toJSON().Resources[queue];
    expect(resource.Type).toBe("AWS::SQS::Queue");
    expect(resource.Properties).toMatchObject({
      MessageRetentionPeriod: PUSH_DEADLINE_QUEUE.retentionSeconds,
      VisibilityTimeout: PUSH_DEADLINE_QUEUE.visibilityTimeoutSeconds,
    });
    // Encrypted like the other queues (SQS-managed here, as the stack has no customer key), and TLS only.
    expect(resource.Properties.SqsManagedSseEnabled ?? resource.Properties.KmsMasterKeyId).toBeTruthy();
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]),
      },
    });
    // Visible for 6 x the function's timeout, as AWS advises for an event source; the retention outlasts the sweep's backstop.
    expect(PUSH_DEADLINE_QUEUE.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * PUSH_FUNCTION_TIMEOUT.toSeconds());
    expect(PUSH_DEADLINE_QUEUE.retentionSeconds * 1000).toBeGreaterThan(SUBSCRIBE_DEADLINE_MS + DEADLINE_BACKSTOP_MS + 60_000);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: push },
      EventSourceArn: { "Fn::GetAtt": [queue, "Arn"] },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
    expect(functionEnv(template, stack, stack.dispatcher.pushFunction as never).PUSH_DEADLINE_QUEUE_URL).toEqual({ Ref: queue });
    // The push function alone sends to it.
    const senders = Object.values(resourcesOfType(template, "AWS::IAM::Policy")).filter((p) =>
      (p.Properties?.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.some(
        (st) => JSON.stringify(st.Action).includes("sqs:SendMessage") && JSON.stringify(st.Resource).includes(queue),
      ),
    );
    const role = logicalId(stack, stack.dispatcher.pushFunction?.role as never);
    expect(senders.map((p) => (p.Properties?.Roles as { Ref: string }[]).map((r) => r.Ref))).toEqual([[role]]);
  });

  it("is left out whole with webSocket: false", () => {
    const { template: without, dispatcher } = synthDispatcher({ webSocket: false });
    without.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
    // The delivery queue, the slow lane, the dead-letter queue, the ordered queue and its dead-letter queue: no table stream, no deadline queue.
    without.resourceCountIs("AWS::Lambda::EventSourceMapping", 5);
    expect(dispatcher.pushDeadlineQueue).toBeUndefined();
    expect(JSON.stringify(without.toJSON())).not.toContain("StreamSpecification");
    expect(dispatcher.pushFunction).toBeUndefined();
  });
});
