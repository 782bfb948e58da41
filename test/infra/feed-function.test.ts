import { type App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_WAIT_SECONDS } from "../../functions/core/feed/long-poll.ts";
import { FEED_FUNCTION_TIMEOUT, FEED_MEMORY_SIZE, FEED_ROUTE_PATH } from "../../lib/dispatcher-feed.ts";
import { API_FUNCTION_TIMEOUT } from "../../lib/dispatcher-function.ts";
import { WebhookDispatcher, WebhookDispatcherPropsError } from "../../lib/webhook-dispatcher.ts";
import { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { functionEnv, functionProps, logicalId, newApp, roleActions, SYNTH_TIMEOUT_MS, synthDispatcher } from "./helpers.ts";

/** API Gateway's integration limit for HTTP APIs, in seconds. */
const INTEGRATION_LIMIT_SECONDS = 30;

let app: App;
let stack: WebhookDispatcherStack;
let template: Template;

beforeAll(() => {
  app = newApp();
  stack = new WebhookDispatcherStack(app, "Hookrelay");
  template = Template.fromStack(stack);
}, SYNTH_TIMEOUT_MS);

describe("the feed route's function", () => {
  it("outlives the longest wait and stays under API Gateway's integration limit, at the memory chosen from the bench (256 MB)", () => {
    const feed = stack.dispatcher.feedFunction;
    expect(feed).toBeDefined();
    const props = functionProps(template, stack, feed!);
    expect(props.Timeout).toBeGreaterThan(MAX_WAIT_SECONDS + 1);
    expect(props.Timeout).toBeLessThan(INTEGRATION_LIMIT_SECONDS);
    expect(props.MemorySize).toBe(FEED_MEMORY_SIZE);
    expect(FEED_MEMORY_SIZE).toBe(256);
    expect(functionProps(template, stack, stack.dispatcher.apiFunction).Timeout).toBe(API_FUNCTION_TIMEOUT.toSeconds());
  });

  it("runs the API's entry point with the API's environment", () => {
    const feedEnv = functionEnv(template, stack, stack.dispatcher.feedFunction!);
    const apiEnv = functionEnv(template, stack, stack.dispatcher.apiFunction);
    expect(feedEnv).toEqual(apiEnv);
  });

  it("is sent GET /v1/endpoints/{id}/feed by the HTTP API, everything else still going to the API function", () => {
    const feedId = logicalId(stack, stack.dispatcher.feedFunction!);
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: `GET ${FEED_ROUTE_PATH}` });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "$default" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      PayloadFormatVersion: "2.0",
      IntegrationUri: { "Fn::GetAtt": [feedId, "Arn"] },
    });
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [feedId, "Arn"] },
      Principal: "apigateway.amazonaws.com",
      SourceArn: Match.anyValue(),
    });
  });

  it("may read and write only what the feed route touches: no queue, no delete", () => {
    const role = logicalId(stack, stack.dispatcher.feedFunction!.role!);
    expect(roleActions(template, role)).toEqual(
      [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "secretsmanager:GetSecretValue",
      ].sort(),
    );
  });
});

describe('the feed behind frontDoor: "function-url"', () => {
  it(
    "is served by the API function, whose timeout outlives the longest wait",
    () => {
      const urlApp = newApp();
      const urlStack = new Stack(urlApp, "Url");
      const dispatcher = new WebhookDispatcher(urlStack, "Webhooks", { frontDoor: "function-url", apiReservedConcurrency: 40 });
      const urlTemplate = Template.fromStack(urlStack);
      expect(dispatcher.feedFunction).toBeUndefined();
      urlTemplate.resourceCountIs("AWS::Lambda::Function", 4);
      expect(functionProps(urlTemplate, urlStack, dispatcher.apiFunction).Timeout).toBe(FEED_FUNCTION_TIMEOUT.toSeconds());
      expect(FEED_FUNCTION_TIMEOUT.toSeconds()).toBeGreaterThan(MAX_WAIT_SECONDS + 1);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe("the feedMemorySize prop", () => {
  it("sizes the feed function, and only it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 128, max: 10_240 }), (feedMemorySize) => {
        const { stack, dispatcher, template } = synthDispatcher({ feedMemorySize });
        expect(functionProps(template, stack, dispatcher.feedFunction!).MemorySize).toBe(feedMemorySize);
        expect(functionProps(template, stack, dispatcher.apiFunction).MemorySize).toBe(512);
      }),
      { numRuns: 4 },
    );
  });

  it("refuses a size Lambda does not offer, naming the prop", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: 127 }), fc.integer({ min: 10_241 }), fc.double({ min: 128.1, max: 1000, noInteger: true })),
        (size) => {
          const stack = new Stack();
          expect(() => new WebhookDispatcher(stack, "A", { feedMemorySize: size })).toThrow(WebhookDispatcherPropsError);
          expect(() => new WebhookDispatcher(stack, "B", { feedMemorySize: size })).toThrow(/feedMemorySize/);
        },
      ),
    );
  });
});
