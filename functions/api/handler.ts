import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Log } from "../adapters/lambda/logger.ts";
import type { Authenticator } from "../core/access/api-keys.ts";
import type { Principal } from "../core/access/principal.ts";
import { ApiError } from "../core/kernel/errors.ts";
import { consolePages, isConsolePath, portalFrameAncestors } from "./console-page.ts";
import { consoleRoutes } from "./console-routes.ts";
import { feedRoutes } from "./feed-routes.ts";
import { asPortal, portalRoutes } from "./portal-routes.ts";
import { bearerKey, portalToken } from "./request.ts";
import { errorResponse } from "./response.ts";
import { type ApiDeps, type Route, routes } from "./routes.ts";

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** The routes every caller may read without a key: health and the API document. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/v1/health", "/v1/openapi.json"]);

/** Every API route (the pages aside): the table the router serves and the tests enumerate. */
export function apiRoutes(deps: ApiDeps, authenticator: () => Promise<Authenticator>): Route[] {
  return [...routes(deps), ...consoleRoutes(deps), ...feedRoutes(deps), ...portalRoutes(deps, authenticator)];
}

/** What the feed function (API_ROUTES=feed) answers: behind its own URL it must not become a second door to the whole API. */
const FEED_FUNCTION_ROUTES = new Set(["GET /v1/health", "GET /v1/endpoints/{id}/feed"]);

/**
 * The API Lambda: bearer or portal-session auth on every route but health, the API document and the
 * pages, routing (a portal session only through its narrowed set), and one error shape for every failure.
 */
export function createApiHandler(deps: ApiDeps, authenticator: () => Promise<Authenticator>, log: Log) {
  const callers = new WeakMap<APIGatewayProxyEventV2, Principal>();
  const feedOnly = deps.apiRoutes === "feed";
  const pages = feedOnly ? [] : consolePages(portalFrameAncestors(deps.portalFrameAncestors));
  const every = apiRoutes(deps, authenticator);
  const served = feedOnly ? every.filter((route) => FEED_FUNCTION_ROUTES.has(`${route.method} ${route.path}`)) : every;
  const table = served.map((route) => ({
    ...route,
    handler: (event: APIGatewayProxyEventV2) => {
      const caller = callers.get(event) ?? { kind: "tenant", tenantId: "", keyId: "" };
      return caller.kind === "portal" ? authenticator().then((a) => asPortal(route, event, caller, a)) : route.handler(event, caller);
    },
  }));
  const router = httpRouterHandler([...table, ...pages] as Parameters<typeof httpRouterHandler>[0]);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use({
      before: async (request: Request) => {
        if (PUBLIC_PATHS.has(request.event.rawPath) || isConsolePath(request.event.rawPath)) return;
        const session = portalToken(request.event);
        const presented = session === undefined ? bearerKey(request.event) : undefined;
        let caller: Principal | undefined;
        if (session !== undefined) caller = await (await authenticator()).authenticatePortal(session, deps.clock.now());
        else if (presented !== undefined) caller = await (await authenticator()).authenticate(presented);
        if (!caller) {
          throw new ApiError(
            "unauthorized",
            "Send a valid API key as Authorization: Bearer <key>, or a live portal session as Portal <token>",
          );
        }
        callers.set(request.event, caller);
      },
      onError: async (request: Request) => {
        const { response, unexpected } = errorResponse(request.error);
        if (unexpected) log.error("unexpected API error", { error: String(request.error), stack: (request.error as Error)?.stack });
        else if (response.statusCode === 503)
          log.warn("dependency failure", { error: String((request.error as Error)?.cause ?? request.error) });
        request.response = response;
      },
    })
    .handler(router as never);
}
