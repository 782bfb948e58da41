import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Log } from "../adapters/lambda/logger.ts";
import type { Authenticator } from "../core/access/api-keys.ts";
import type { Principal } from "../core/access/principal.ts";
import { requireAdmin } from "../core/access/principal.ts";
import { ApiError } from "../core/kernel/errors.ts";
import { deletedError } from "../core/tenants/tenants.ts";
import type { ApiDeps } from "./api-deps.ts";
import { consolePages, isConsolePath, portalFrameAncestors } from "./console-page.ts";
import { asPortal } from "./portal-routes.ts";
import { bearerKey, portalToken } from "./request.ts";
import { errorResponse } from "./response.ts";
import type { Route, ServedRoute } from "./route.ts";
import { PUBLIC_PATHS, ROUTES } from "./routes.ts";

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

export { PUBLIC_PATHS } from "./routes.ts";

/** A declared route bound to the API's ports; an admin-only route refuses any other caller before its handler runs. */
function served(route: Route, deps: ApiDeps, authenticator: () => Promise<Authenticator>): ServedRoute & Pick<Route, "portal"> {
  const { admin } = route;
  return {
    method: route.method,
    path: route.path,
    portal: route.portal,
    handler: (event, caller) => {
      if (admin !== undefined) requireAdmin(caller, admin);
      return route.handler(event, caller, deps, authenticator);
    },
  };
}

/**
 * The routes this function serves (the pages aside), bound to its ports. The feed function
 * (API_ROUTES=feed) serves only the routes declared `feed`: behind its own URL it must not become
 * a second door to the whole API.
 */
export function apiRoutes(deps: ApiDeps, authenticator: () => Promise<Authenticator>): (ServedRoute & Pick<Route, "portal">)[] {
  const declared = deps.apiRoutes === "feed" ? ROUTES.filter((route) => route.feed) : ROUTES;
  return declared.map((route) => served(route, deps, authenticator));
}

/**
 * The API Lambda: bearer or portal-session auth on every route but health, the API document and the
 * pages, routing (a portal session only through its narrowed set), and one error shape for every failure.
 */
export function createApiHandler(deps: ApiDeps, authenticator: () => Promise<Authenticator>, log: Log) {
  const callers = new WeakMap<APIGatewayProxyEventV2, Principal>();
  const feedOnly = deps.apiRoutes === "feed";
  const pages = feedOnly ? [] : consolePages(portalFrameAncestors(deps.portalFrameAncestors));
  const table = apiRoutes(deps, authenticator).map((route) => ({
    method: route.method,
    path: route.path,
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
        // A deleted tenant's keys and portal sessions stop at its tombstone (within TENANT_STATUS_CACHE_SECONDS).
        if (!caller || (caller.kind !== "admin" && (await deps.tenantStatus.statusOf(caller.tenantId)).deleted)) {
          throw new ApiError(
            "unauthorized",
            "Send a valid API key as Authorization: Bearer <key>, or a live portal session as Portal <token>",
          );
        }
        // The admin naming a deleted tenant in the query (lists, event reads) meets its tombstone too.
        const named = caller.kind === "admin" ? request.event.queryStringParameters?.tenantId : undefined;
        if (named !== undefined && (await deps.tenantStatus.statusOf(named)).deleted) throw deletedError(named);
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
