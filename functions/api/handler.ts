import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Log } from "../adapters/lambda/logger.ts";
import type { Authenticator } from "../core/access/api-keys.ts";
import type { Principal } from "../core/access/principal.ts";
import { requireAdmin } from "../core/access/principal.ts";
import { ApiError } from "../core/kernel/errors.ts";
import { deletedError } from "../core/tenants/tenant-record.ts";
import type { ApiDeps } from "./api-deps.ts";
import { consolePages, isConsolePath, portalFrameAncestors, websocketSource } from "./console-page.ts";
import { type AreaLoaders, areaLoader, servedLazily } from "./lazy-routes.ts";
import { asPortal } from "./portal-access.ts";
import { bearerKey, portalToken } from "./request.ts";
import { errorResponse } from "./response.ts";
import type { Route, ServedRoute } from "./route.ts";
import { AREAS, ROUTE_INDEX } from "./route-index.generated.ts";
import { createRouter, forHead, type RouterEntry } from "./router.ts";
import { svixErrorResponse } from "./svix/svix-errors.ts";
import { SVIX_PUBLIC_PATHS, SVIX_ROUTE_KEYS } from "./svix/svix-paths.ts";
import { SVIX_PREFIX, type SvixRoute } from "./svix/svix-route.ts";

/** The routes every caller may read without a key: health and the API document (read from the route index, as the router is). */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(ROUTE_INDEX.filter((route) => route.public).map((route) => route.path));

/**
 * The routes this function serves (the pages aside), bound to its ports; each route's area module is
 * imported on its first request (lazy-routes.ts says why). The feed function (API_ROUTES=feed) serves
 * only the routes declared `feed`: behind its own URL it must not become a second door to the whole
 * API. `areas` is the areas' imports (a test passes its own to count them).
 */
export function apiRoutes(
  deps: ApiDeps,
  authenticator: () => Promise<Authenticator>,
  areas: AreaLoaders = AREAS,
): (ServedRoute & Pick<Route, "portal">)[] {
  const declared = deps.apiRoutes === "feed" ? ROUTE_INDEX.filter((route) => route.feed) : ROUTE_INDEX;
  const load = areaLoader(areas);
  return declared.map((route) => servedLazily(route, deps, authenticator, load));
}

/** The Svix face's routes, loaded on the first /api/v1 request (svix-paths.ts says why). */
let svixFace: Promise<readonly SvixRoute[]> | undefined;
function svixRoutes(): Promise<readonly SvixRoute[]> {
  svixFace ??= import("./svix/svix-routes.ts").then((face) => face.SVIX_ROUTES);
  return svixFace;
}

/**
 * A route of the Svix face bound to the API's ports: the same keys and rules as /v1; a portal
 * session has no access to it. Its declaration is read from the face when the route is first called.
 */
function servedSvix(method: string, path: string, deps: ApiDeps, authenticator: () => Promise<Authenticator>) {
  return {
    method,
    path,
    handler: async (event: APIGatewayProxyEventV2, caller: Principal) => {
      if (caller.kind === "portal") throw new ApiError("forbidden", "A portal session may not use the Svix-compatible API");
      const route = (await svixRoutes()).find((r) => r.method === method && r.path === path);
      if (!route) throw new Error(`The Svix face declares no ${method} ${path}: svix-paths.ts and svix-routes.ts disagree`);
      if (route.admin !== undefined) requireAdmin(caller, route.admin);
      return route.handler(event, caller, deps, authenticator);
    },
  };
}

/**
 * Svix's 1.x SDKs keep a trailing slash of their server URL, so `//api/v1/…` arrives: it is read as
 * `/api/v1/…` (and no other doubled slash is).
 */
function svixPath(event: APIGatewayProxyEventV2): void {
  if (!event.rawPath.startsWith(`/${SVIX_PREFIX}`)) return;
  event.rawPath = event.rawPath.slice(1);
  if (event.requestContext?.http) event.requestContext.http.path = event.rawPath;
}

/**
 * The API Lambda: bearer or portal-session auth on every route but health, the API document and the
 * pages, routing (a portal session only through its narrowed set), and one error shape for every failure.
 * `areas` imports each route area on its first request (route-index.generated.ts; a test passes its own).
 */
export function createApiHandler(deps: ApiDeps, authenticator: () => Promise<Authenticator>, log: Log, areas: AreaLoaders = AREAS) {
  const callers = new WeakMap<APIGatewayProxyEventV2, Principal>();
  const feedOnly = deps.apiRoutes === "feed";
  const pages = feedOnly ? [] : consolePages(portalFrameAncestors(deps.portalFrameAncestors), websocketSource(deps.websocketUrl));
  const table = apiRoutes(deps, authenticator, areas).map((route) => ({
    method: route.method,
    path: route.path,
    handler: (event: APIGatewayProxyEventV2) => {
      const caller = callers.get(event) ?? { kind: "tenant", tenantId: "", keyId: "" };
      return caller.kind === "portal" ? authenticator().then((a) => asPortal(route, event, caller, a)) : route.handler(event, caller);
    },
  }));
  // The Svix face answers with the same keys and the same core; the feed function serves none of it.
  const svix = (feedOnly ? [] : SVIX_ROUTE_KEYS)
    .map(([method, path]) => servedSvix(method, path, deps, authenticator))
    .map((route) => ({
      ...route,
      handler: (event: APIGatewayProxyEventV2) => route.handler(event, callers.get(event) ?? { kind: "tenant", tenantId: "", keyId: "" }),
    }));
  const router = createRouter([...table, ...svix, ...pages] as RouterEntry[]);
  /** Who calls: nothing for the public paths; otherwise a valid key or portal session of a live tenant, or the request fails. */
  const authorize = async (event: APIGatewayProxyEventV2): Promise<void> => {
    svixPath(event);
    const path = event.rawPath;
    if (PUBLIC_PATHS.has(path) || SVIX_PUBLIC_PATHS.has(path) || isConsolePath(path)) return;
    const session = portalToken(event);
    const presented = session === undefined ? bearerKey(event) : undefined;
    let caller: Principal | undefined;
    if (session !== undefined) caller = await (await authenticator()).authenticatePortal(session, deps.clock.now());
    else if (presented !== undefined) caller = await (await authenticator()).authenticate(presented);
    // A deleted tenant's keys and portal sessions stop at its tombstone (within TENANT_STATUS_CACHE_SECONDS).
    if (!caller || (caller.kind !== "admin" && (await deps.tenantStatus.statusOf(caller.tenantId)).deleted)) {
      throw new ApiError("unauthorized", "Send a valid API key as Authorization: Bearer <key>, or a live portal session as Portal <token>");
    }
    // The admin naming a deleted tenant in the query (lists, event reads) meets its tombstone too.
    const named = caller.kind === "admin" ? event.queryStringParameters?.tenantId : undefined;
    if (named !== undefined && (await deps.tenantStatus.statusOf(named)).deleted) throw deletedError(named);
    callers.set(event, caller);
  };
  // One error shape for every failure, thrown by the check above or by a route.
  const answerError = (event: APIGatewayProxyEventV2, error: unknown): APIGatewayProxyStructuredResultV2 => {
    const svixFace = event.rawPath?.startsWith(SVIX_PREFIX) || event.rawPath === SVIX_PREFIX.slice(0, -1);
    const { response, unexpected } = svixFace ? svixErrorResponse(error) : errorResponse(error);
    if (unexpected) log.error("unexpected API error", { error: String(error), stack: (error as Error)?.stack });
    else if (response.statusCode === 503) log.warn("dependency failure", { error: String((error as Error)?.cause ?? error) });
    return response;
  };
  return async (event: APIGatewayProxyEventV2, _context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      await authorize(event);
      return forHead(event, await router(event));
    } catch (error) {
      return forHead(event, answerError(event, error));
    }
  };
}
