import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { IndexedRoute } from "../functions/api/lazy-routes.ts";
import type { Route } from "../functions/api/route.ts";
import { ROUTES } from "../functions/api/routes.ts";

/*
 * The route index the API's handler reads at cold start (functions/api/route-index.generated.ts),
 * generated from ROUTES by `npm run openapi`: each route's method, path, the area module that
 * declares it, and its access facts, in ROUTES' order; and one dynamic import per area module.
 * lazy-routes.ts says why the facts are generated rather than read from the declaration.
 */

/** Where the index is written. */
export const ROUTE_INDEX_FILE = "functions/api/route-index.generated.ts";

const API_DIR = fileURLToPath(new URL("../functions/api/", import.meta.url));

/** Every *-routes.ts module of functions/api by its name without the extension, in name order. */
export async function areaModules(): Promise<Map<string, Record<string, unknown>>> {
  const areas = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(API_DIR)
    .filter((f) => f.endsWith("-routes.ts"))
    .sort()) {
    areas.set(file.slice(0, -".ts".length), await import(`${API_DIR}${file}`));
  }
  return areas;
}

/** ROUTES as the index lists them: each route found, by identity, among the exports of exactly one area module. */
export async function indexedRoutes(): Promise<IndexedRoute[]> {
  const areas = await areaModules();
  return ROUTES.map((route: Route) => {
    const found = [...areas].flatMap(([area, module]) =>
      Object.values(module)
        .filter((value) => value === route)
        .map(() => area),
    );
    if (found.length !== 1) throw new Error(`${route.method} ${route.path} is exported ${found.length} times by the *-routes.ts modules`);
    const [area] = found as [string];
    return {
      method: route.method,
      path: route.path,
      area,
      ...(route.public && { public: route.public }),
      ...(route.admin !== undefined && { admin: route.admin }),
      ...(route.portal && { portal: route.portal }),
      ...(route.feed && { feed: route.feed }),
    };
  });
}

/** An object literal on one line when it fits biome's 140 columns (at an indent of `indent`), else one property a line. */
function literal(fields: Record<string, unknown>, indent: string): string {
  const parts = Object.entries(fields).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  const line = `${indent}{ ${parts.join(", ")} },`;
  if (line.length <= 140) return line;
  return [`${indent}{`, ...parts.map((p) => `${indent}  ${p},`), `${indent}},`].join("\n");
}

/** The index module's exact text. */
export async function routeIndexText(): Promise<string> {
  const routes = await indexedRoutes();
  const areas = [...new Set(routes.map((r) => r.area))].sort();
  return [
    "// Generated from ROUTES (functions/api/routes.ts) by `npm run openapi` (scripts/route-index.ts): do not edit.",
    'import type { AreaLoaders, IndexedRoute } from "./lazy-routes.ts";',
    "",
    "/** Each area module's import, on the first request to one of its routes: one dynamic import each, so each is a chunk. */",
    "export const AREAS: AreaLoaders = {",
    ...areas.map((area) => `  ${JSON.stringify(area)}: () => import(${JSON.stringify(`./${area}.ts`)}),`),
    "};",
    "",
    "/** Every route of ROUTES, in its order: what the router is built from at cold start, before any area is loaded. */",
    "export const ROUTE_INDEX: readonly IndexedRoute[] = [",
    ...routes.map((route) => literal({ ...route }, "  ")),
    "];",
    "",
  ].join("\n");
}
