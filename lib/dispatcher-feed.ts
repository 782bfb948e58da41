/**
 * The feed route's own function: polling endpoints' consumers hold a request open up to `wait`
 * (20 s), longer than the API function's timeout. It runs the API's entry point, so auth, errors
 * and routing are the API's, with API_ROUTES=feed: it answers GET /v1/endpoints/{id}/feed and
 * health only. The HTTP API sends it that route; with `frontDoor: "function-url"` it has a function
 * URL of its own. Either way it runs on its own reserved concurrency, never in the API's pool.
 */
import { Duration, Validations } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { settingsEnvironment } from "../functions/core/config/config.ts";
import { MAX_WAIT_SECONDS } from "../functions/core/feed/long-poll.ts";
import { grantReadSecret, grantTable } from "./dispatcher-access.ts";
import { DispatcherFunction, type DispatcherFunctionOptions, FUNCTION_ENTRIES } from "./dispatcher-function.ts";

/**
 * The feed function's timeout: the longest wait plus time to authenticate and answer, under API
 * Gateway's 30 s integration limit. It bounds every feed request, long poll or not.
 */
export const FEED_FUNCTION_TIMEOUT = Duration.seconds(MAX_WAIT_SECONDS + 8);
/**
 * The feed function's default memory (the `feedMemorySize` prop), chosen from `npm run bench --
 * --stage feed-memory` (docs/performance.md, "Feed function memory"): at 128 MB a page of 100 items
 * of 25 KB (a 5 MB answer, under Lambda's 6 MB) peaks above the memory and the import alone takes
 * about 1.4 s of a cold start; 256 MB holds that page and halves the cold start, for twice the
 * price of a long poll's wait (about $67 instead of $34 per million 20 s polls).
 */
export const FEED_MEMORY_SIZE = 256;
/** The route the feed function serves. */
export const FEED_ROUTE_PATH = "/v1/endpoints/{id}/feed";

/** What the feed function shares with the API function. */
export interface FeedFunctionProps {
  /** In MiB: the `feedMemorySize` prop. */
  readonly memorySize: number;
  readonly common: Omit<DispatcherFunctionOptions, "entry" | "description" | "memorySize" | "timeout" | "environment">;
  /** The API function's environment: the feed function is the same entry point. */
  readonly environment: Record<string, string>;
  readonly table: dynamodb.Table;
  readonly indexNames: readonly string[];
  readonly adminKeySecret: secretsmanager.Secret;
  /** The HTTP API that routes the feed to it, or `"function-url"`: a function URL of its own. */
  readonly frontDoor: { httpApi: apigwv2.HttpApi } | "function-url";
  /** Its reserved concurrency; undefined runs it in the account's unreserved pool. */
  readonly reservedConcurrency?: number;
}

/** The feed function and, with `frontDoor: "function-url"`, its own URL. */
export interface FeedFunction {
  readonly feed: DispatcherFunction;
  readonly url?: lambda.FunctionUrl;
}

/** Creates the feed function (construct id "Feed") and its door: the HTTP API's feed route, or a function URL. */
export function addFeedFunction(scope: Construct, props: FeedFunctionProps): FeedFunction {
  const feed = new DispatcherFunction(scope, "Feed", {
    ...props.common,
    entry: FUNCTION_ENTRIES.api,
    description: "Webhook dispatcher: polling endpoints' feeds, long polls included",
    memorySize: props.memorySize,
    timeout: FEED_FUNCTION_TIMEOUT,
    reservedConcurrentExecutions: props.reservedConcurrency,
    environment: { ...props.environment, ...settingsEnvironment({ apiRoutes: "feed" }) },
  });
  // PutItem closes a hole a dead writer left and takes a long poll's lease; UpdateItem starts a
  // feed's counter and releases a lease; GetItem and Query read endpoints, API keys, the feed and leases.
  grantTable(feed.role, props.table, ["GetItem", "PutItem", "UpdateItem", "Query"], props.indexNames);
  grantReadSecret(feed.role, props.adminKeySecret);
  if (props.frontDoor === "function-url") {
    // Public as the API's own URL is: the function authenticates every request (Bearer key).
    return { feed, url: feed.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }) };
  }
  const [route] = props.frontDoor.httpApi.addRoutes({
    path: FEED_ROUTE_PATH,
    methods: [apigwv2.HttpMethod.GET],
    integration: new HttpLambdaIntegration("FeedIntegration", feed.function),
  });
  if (route) {
    Validations.of(route).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "The feed route runs the API's own authentication (Bearer key or portal session) in the function, as every API route does; an API Gateway authorizer would add a Lambda call to every long poll for the same check.",
    });
  }
  return { feed };
}
