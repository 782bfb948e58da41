/**
 * The feed route's own function: polling endpoints' consumers hold a request open up to `wait`
 * (20 s), longer than the API function's timeout. It runs the API's entry point, so auth, errors
 * and routing are the API's; the HTTP API sends it GET /v1/endpoints/{id}/feed only.
 */
import { Duration, Validations } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { MAX_WAIT_SECONDS } from "../functions/core/feed/long-poll.ts";
import { grantReadSecret, grantTable } from "./dispatcher-access.ts";
import { DispatcherFunction, type DispatcherFunctionOptions } from "./dispatcher-function.ts";

/**
 * The feed function's timeout: the longest wait plus time to authenticate and answer, under API
 * Gateway's 30 s integration limit. With `frontDoor: "function-url"` the API function itself serves
 * the feed and gets this timeout.
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
  readonly httpApi: apigwv2.HttpApi;
}

/** Creates the feed function (construct id "Feed") and routes GET /v1/endpoints/{id}/feed of the HTTP API to it. */
export function addFeedFunction(scope: Construct, props: FeedFunctionProps): DispatcherFunction {
  const feed = new DispatcherFunction(scope, "Feed", {
    ...props.common,
    entry: "functions/api/index.ts",
    description: "Webhook dispatcher: polling endpoints' feeds, long polls included",
    memorySize: props.memorySize,
    timeout: FEED_FUNCTION_TIMEOUT,
    environment: props.environment,
  });
  // PutItem closes a hole a dead writer left; UpdateItem starts a feed's counter; GetItem and Query
  // read endpoints, API keys and the feed.
  grantTable(feed.role, props.table, ["GetItem", "PutItem", "UpdateItem", "Query"], props.indexNames);
  grantReadSecret(feed.role, props.adminKeySecret);
  const [route] = props.httpApi.addRoutes({
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
  return feed;
}
