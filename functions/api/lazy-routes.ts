import type { Authenticator } from "../core/access/api-keys.ts";
import { requireAdmin } from "../core/access/principal.ts";
import type { ApiDeps } from "./api-deps.ts";
import type { Method, Route, ServedRoute } from "./route.ts";

/*
 * A cold start parses every module its entry imports statically (docs/performance.md, "Cold start"),
 * and the route modules with what they import were about 42 KB of the API's. So the router is built
 * from a static index of the routes (route-index.generated.ts) and a route's area module is imported
 * on the first request that needs it, as the Svix face is (svix-paths.ts).
 *
 * The index is generated from ROUTES (`npm run openapi`, scripts/route-index.ts) rather than kept as
 * keys alone with the other facts read from the declaration once loaded: whether a path needs a key
 * (`public`) and which routes the feed function serves (`feed`) are needed before any area is
 * loaded, so some facts must be in the static table anyway; generating all of them writes none
 * twice by hand, and a test fails while the file is stale.
 */

/** A route as the index knows it: its key, the area module that declares it, and its access facts (route.ts). */
export interface IndexedRoute {
  method: Method;
  path: string;
  /** The *-routes.ts module that declares it, without its extension: a key of AREAS. */
  area: string;
  public?: true;
  admin?: string;
  portal?: true;
  feed?: true;
}

/** Each area's import: one dynamic import per module, so the bundle makes each a chunk loaded on first use. */
export type AreaLoaders = Readonly<Record<string, () => Promise<Record<string, unknown>>>>;

/** Loads an area module once; a failed import is forgotten, so the next request tries again (as loaded-on-first-call.ts does). */
export function areaLoader(areas: AreaLoaders): (area: string) => Promise<Record<string, unknown>> {
  const loaded = new Map<string, Promise<Record<string, unknown>>>();
  return (area) => {
    let module = loaded.get(area);
    if (module) return module;
    const load = areas[area];
    if (!load) return Promise.reject(new Error(`No area module ${area}: the route index is stale (npm run openapi)`));
    module = load().catch((error: unknown) => {
      loaded.delete(area);
      throw error;
    });
    loaded.set(area, module);
    return module;
  };
}

/**
 * The route's declaration among its loaded area's exports, found by method and path as the Svix face's
 * are (the index leaves out export names: they would be bytes every cold start parses). None, or one
 * whose access differs from the index's, is a stale index: an error (500), never a route served
 * under other rules than its declaration's.
 */
function declaration(entry: IndexedRoute, module: Record<string, unknown>): Route {
  const route = Object.values(module).find(
    (value): value is Route =>
      typeof value === "object" && value !== null && (value as Route).method === entry.method && (value as Route).path === entry.path,
  );
  const stale = `the route index is stale (npm run openapi)`;
  if (typeof route?.handler !== "function") throw new Error(`${entry.area}.ts declares no ${entry.method} ${entry.path}: ${stale}`);
  const differs = (["public", "admin", "portal", "feed"] as const).find((fact) => route[fact] !== entry[fact]);
  if (differs) throw new Error(`${entry.method} ${entry.path} is declared with another \`${differs}\` than the index's: ${stale}`);
  return route;
}

/**
 * An indexed route bound to the API's ports: an admin-only route refuses any other caller before its
 * area is loaded (as before its handler ran); then the area is imported and the declaration called.
 */
export function servedLazily(
  entry: IndexedRoute,
  deps: ApiDeps,
  authenticator: () => Promise<Authenticator>,
  load: (area: string) => Promise<Record<string, unknown>>,
): ServedRoute & Pick<Route, "portal"> {
  const { admin } = entry;
  let route: Route | undefined;
  return {
    method: entry.method,
    path: entry.path,
    ...(entry.portal && { portal: entry.portal }),
    handler: async (event, caller) => {
      if (admin !== undefined) requireAdmin(caller, admin);
      route ??= declaration(entry, await load(entry.area));
      return route.handler(event, caller, deps, authenticator);
    },
  };
}
