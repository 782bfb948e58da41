import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SETTINGS } from "../../functions/core/config/settings.ts";
import { MAX_WAIT_SECONDS } from "../../functions/core/feed/long-poll.ts";
import { FEED_FUNCTION_TIMEOUT, FEED_MEMORY_SIZE, FEED_ROUTE_PATH } from "../../lib/dispatcher-feed.ts";
import { API_FUNCTION_TIMEOUT } from "../../lib/dispatcher-function.ts";
import { DEFAULT_FEED_RESERVED_CONCURRENCY } from "../../lib/resolved-settings.ts";
import { WebhookDispatcher, type WebhookDispatcherProps, WebhookDispatcherPropsError } from "../../lib/webhook-dispatcher.ts";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { functionEnv, functionProps, logicalId, nagFindings, newApp, roleActions, SYNTH_TIMEOUT_MS, synthDispatcher } from "./helpers.ts";
import { deployedStack } from "./synthesized.ts";

/** API Gateway's integration limit for HTTP APIs, in seconds. */
const INTEGRATION_LIMIT_SECONDS = 30;

let stack: WebhookDispatcherStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = deployedStack());
}, SYNTH_TIMEOUT_MS);

const ROUTES = SETTINGS.apiRoutes.env;

describe("the feed route's function", () => {
  it("outlives the longest wait and stays under API Gateway's integration limit, at the memory chosen from the bench (256 MB)", () => {
    const props = functionProps(template, stack, stack.dispatcher.feedFunction);
    expect(props.Timeout).toBeGreaterThan(MAX_WAIT_SECONDS + 1);
    expect(props.Timeout).toBeLessThan(INTEGRATION_LIMIT_SECONDS);
    expect(props.MemorySize).toBe(FEED_MEMORY_SIZE);
    expect(FEED_MEMORY_SIZE).toBe(256);
    expect(functionProps(template, stack, stack.dispatcher.apiFunction).Timeout).toBe(API_FUNCTION_TIMEOUT.toSeconds());
  });

  it("runs on a reserved concurrency of its own by default, the API function in the account's pool", () => {
    expect(functionProps(template, stack, stack.dispatcher.feedFunction).ReservedConcurrentExecutions).toBe(
      DEFAULT_FEED_RESERVED_CONCURRENCY,
    );
    expect(functionProps(template, stack, stack.dispatcher.apiFunction).ReservedConcurrentExecutions).toBeUndefined();
  });

  it("runs the API's entry point with the API's environment, serving the feed routes only; the API function holds no long poll", () => {
    const feedEnv = functionEnv(template, stack, stack.dispatcher.feedFunction);
    const apiEnv = functionEnv(template, stack, stack.dispatcher.apiFunction);
    expect(feedEnv[ROUTES]).toBe("feed");
    expect(apiEnv[ROUTES]).toBe("api");
    expect({ ...feedEnv, [ROUTES]: undefined }).toEqual({ ...apiEnv, [ROUTES]: undefined });
    // The feed is on the API's own URL: nothing to tell.
    expect(apiEnv[SETTINGS.feedUrl.env]).toBeUndefined();
  });

  it("is sent GET /v1/endpoints/{id}/feed by the HTTP API, everything else still going to the API function", () => {
    const feedId = logicalId(stack, stack.dispatcher.feedFunction);
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
    template.resourceCountIs("AWS::Lambda::Url", 0);
  });

  it("prints the feed's base URL as a stack output: the HTTP API's own", () => {
    expect(stack.resolve(stack.dispatcher.feedUrl)).toEqual(stack.resolve(stack.dispatcher.apiUrl));
    template.hasOutput("FeedUrl", { Value: stack.resolve(stack.dispatcher.apiUrl) });
  });

  it("may read and write only what the feed route and its leases touch: no queue, no delete", () => {
    const role = logicalId(stack, stack.dispatcher.feedFunction.role!);
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
  let urlStack: WebhookDispatcherStack;
  let urlTemplate: Template;
  beforeAll(() => {
    ({ stack: urlStack, template: urlTemplate } = deployedStack({
      key: "feed-url",
      dispatcher: { frontDoor: "function-url", apiReservedConcurrency: 40, feedReservedConcurrency: 30 },
    }));
  }, SYNTH_TIMEOUT_MS);

  it("has its own function, on its own reserved concurrency, apart from the API's pool", () => {
    const d = urlStack.dispatcher;
    expect(functionProps(urlTemplate, urlStack, d.feedFunction).ReservedConcurrentExecutions).toBe(30);
    expect(functionProps(urlTemplate, urlStack, d.apiFunction).ReservedConcurrentExecutions).toBe(40);
    expect(functionProps(urlTemplate, urlStack, d.feedFunction).Timeout).toBe(FEED_FUNCTION_TIMEOUT.toSeconds());
    expect(functionProps(urlTemplate, urlStack, d.feedFunction).MemorySize).toBe(FEED_MEMORY_SIZE);
    // The API function is back to its own short timeout: it holds no long poll.
    expect(functionProps(urlTemplate, urlStack, d.apiFunction).Timeout).toBe(API_FUNCTION_TIMEOUT.toSeconds());
    expect(functionEnv(urlTemplate, urlStack, d.feedFunction)[ROUTES]).toBe("feed");
    expect(functionEnv(urlTemplate, urlStack, d.apiFunction)[ROUTES]).toBe("api");
  });

  it("has its own function URL, which the API function tells (FEED_URL) and the stack prints", () => {
    const d = urlStack.dispatcher;
    const feedUrlId = logicalId(urlStack, d.feedFunctionUrl!);
    urlTemplate.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      TargetFunctionArn: { "Fn::GetAtt": [logicalId(urlStack, d.feedFunction), "Arn"] },
    });
    urlTemplate.resourceCountIs("AWS::Lambda::Url", 2);
    const url = { "Fn::GetAtt": [feedUrlId, "FunctionUrl"] };
    expect(urlStack.resolve(d.feedUrl)).toEqual(url);
    expect(functionEnv(urlTemplate, urlStack, d.apiFunction)[SETTINGS.feedUrl.env]).toEqual(url);
    expect(functionEnv(urlTemplate, urlStack, d.feedFunction)[SETTINGS.feedUrl.env]).toBeUndefined();
    urlTemplate.hasOutput("FeedUrl", { Value: url });
    urlTemplate.hasOutput("ApiUrl", { Value: { "Fn::GetAtt": [logicalId(urlStack, d.functionUrl!), "FunctionUrl"] } });
  });

  it("passes cdk-nag AwsSolutions", () => {
    expect(nagFindings(urlStack)).toEqual([]);
  });
});

describe("the feed's reserved concurrency prop", () => {
  it(
    'runs the feed in the account\'s unreserved pool with "unreserved" (accounts whose limit cannot spare a reservation)',
    () => {
      const scope = new Stack(newApp(), "LowQuota");
      scope.node.setContext("aws:cdk:bundling-stacks", []);
      const dispatcher = new WebhookDispatcher(scope, "Webhooks", { feedReservedConcurrency: "unreserved" });
      const props = functionProps(Template.fromStack(scope), scope, dispatcher.feedFunction);
      expect(props.ReservedConcurrentExecutions).toBeUndefined();
    },
    SYNTH_TIMEOUT_MS,
  );

  const refused: [string, WebhookDispatcherProps, RegExp][] = [
    ["0, which would throttle every feed request", { feedReservedConcurrency: 0 }, /throttle every feed request.*"unreserved"/],
    ["a fraction", { feedReservedConcurrency: 2.5 }, /feedReservedConcurrency/],
    ["a word other than unreserved", { feedReservedConcurrency: "none" as unknown as number }, /feedReservedConcurrency/],
    [
      "a tenant's poll limit above the pool",
      { feedReservedConcurrency: 5, maxPollsPerTenant: 6 },
      /maxPollsPerTenant \(6\).*feedReservedConcurrency \(5\)/,
    ],
    ["the default tenant limit above a small pool", { feedReservedConcurrency: 4 }, /maxPollsPerTenant \(10\)/],
    [
      "a tenant limit below the endpoint limit",
      { maxPollsPerEndpoint: 5, maxPollsPerTenant: 3 },
      /maxPollsPerTenant must be at least maxPollsPerEndpoint/,
    ],
    ["an endpoint limit of 0", { maxPollsPerEndpoint: 0 }, /maxPollsPerEndpoint must be a whole number from 1 to 10/],
    ["a tenant limit past the hot-key bound", { maxPollsPerTenant: 101 }, /maxPollsPerTenant must be a whole number from 1 to 100/],
  ];
  it.each(refused)("refuses %s at synthesis", (_what, props, message) => {
    const scope = new Stack(new App(), "Refused");
    expect(() => new WebhookDispatcher(scope, "Webhooks", props)).toThrow(WebhookDispatcherPropsError);
    expect(() => new WebhookDispatcher(scope, "Webhooks2", props)).toThrow(message);
  });

  it("passes the poll limits to the feed function's environment", () => {
    const scope = new Stack(newApp(), "Limits");
    scope.node.setContext("aws:cdk:bundling-stacks", []);
    const dispatcher = new WebhookDispatcher(scope, "Webhooks", {
      maxPollsPerEndpoint: 3,
      maxPollsPerTenant: 7,
      feedReservedConcurrency: 7,
    });
    const env = functionEnv(Template.fromStack(scope), scope, dispatcher.feedFunction);
    expect(env[SETTINGS.maxPollsPerEndpoint.env]).toBe("3");
    expect(env[SETTINGS.maxPollsPerTenant.env]).toBe("7");
  });
});

describe("the feedMemorySize prop", () => {
  it("sizes the feed function, and only it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 128, max: 10_240 }), (feedMemorySize) => {
        const { stack, dispatcher, template } = synthDispatcher({ feedMemorySize });
        expect(functionProps(template, stack, dispatcher.feedFunction).MemorySize).toBe(feedMemorySize);
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
