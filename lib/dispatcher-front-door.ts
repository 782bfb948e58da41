/**
 * The dispatcher's front door: the HTTP API (access-logged, throttled, its feed route sent to the
 * feed function) or, with `frontDoor: "function-url"`, the API function's URL and the feed
 * function's own. The feed function is made here because its door is the API's choice.
 */
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { SETTINGS } from "../functions/core/config/settings.ts";
import { ACCESS_LOG_FORMAT } from "./access-log.ts";
import { addFeedFunction, type FeedFunctionProps } from "./dispatcher-feed.ts";
import type { ResolvedSettings } from "./resolved-settings.ts";

/** What the front door is made from. */
export interface FrontDoorProps {
  readonly apiFunction: NodejsFunction;
  /** The feed function's props but its door, which is decided here. */
  readonly feed: Omit<FeedFunctionProps, "frontDoor">;
  readonly settings: Pick<
    ResolvedSettings,
    "frontDoor" | "functionLogRetention" | "removalPolicy" | "throttleRateLimit" | "throttleBurstLimit"
  >;
}

/** The front door's resources and URLs, as the WebhookDispatcher exposes them. */
export interface FrontDoor {
  readonly httpApi?: apigwv2.HttpApi;
  readonly httpStage?: apigwv2.HttpStage;
  readonly accessLogGroup?: logs.LogGroup;
  readonly functionUrl?: lambda.FunctionUrl;
  readonly apiUrl: string;
  readonly feedFunction: NodejsFunction;
  readonly feedFunctionUrl?: lambda.FunctionUrl;
  readonly feedUrl: string;
  /** The functions whose own URLs are public (none behind the HTTP API): the 5xx alarm counts their Url5xxCount. */
  readonly urlFunctions: NodejsFunction[];
}

/** Creates the front door and the feed function under `scope` (construct ids `AccessLogs`, `HttpApi`, `DefaultStage`, `Feed`). */
export function addFrontDoor(scope: Construct, props: FrontDoorProps): FrontDoor {
  const { apiFunction, settings } = props;
  if (settings.frontDoor === "function-url") {
    // The same payload format 2.0 events as the HTTP API, so the same handler serves both. The API
    // function authenticates every request itself (Bearer key), as behind the HTTP API.
    const functionUrl = apiFunction.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    const { feed, url } = addFeedFunction(scope, { ...props.feed, frontDoor: "function-url" });
    const feedUrl = (url as lambda.FunctionUrl).url;
    // /v1/health tells it, and a long poll sent to the API function is answered 400 use_feed_url naming it.
    apiFunction.addEnvironment(SETTINGS.feedUrl.env, feedUrl);
    return {
      functionUrl,
      apiUrl: functionUrl.url,
      feedFunction: feed.function,
      feedFunctionUrl: url,
      feedUrl,
      urlFunctions: [apiFunction, feed.function],
    };
  }
  const accessLogGroup = new logs.LogGroup(scope, "AccessLogs", {
    retention: settings.functionLogRetention,
    removalPolicy: settings.removalPolicy,
  });
  const httpApi = new apigwv2.HttpApi(scope, "HttpApi", {
    description: "Webhook dispatcher API",
    createDefaultStage: false,
    defaultIntegration: new HttpLambdaIntegration("ApiIntegration", apiFunction),
  });
  const httpStage = new apigwv2.HttpStage(scope, "DefaultStage", {
    httpApi,
    stageName: "$default",
    autoDeploy: true,
    throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
    accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogGroup), format: ACCESS_LOG_FORMAT },
  });
  const { feed } = addFeedFunction(scope, { ...props.feed, frontDoor: { httpApi } });
  return {
    httpApi,
    httpStage,
    accessLogGroup,
    apiUrl: httpStage.url,
    feedFunction: feed.function,
    feedUrl: httpStage.url,
    urlFunctions: [],
  };
}
