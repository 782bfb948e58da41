/**
 * The API's router is built at cold start from the route index (functions/api/route-index.generated.ts)
 * and loads each route's area module on the first request that needs it (lazy-routes.ts). These
 * tests hold the index to ROUTES route for route, hold the generated file current, and show that no
 * area is imported before a request needs it: counted through the handler's injectable imports, and
 * in the bundle esbuild makes of the API entry (the areas are in no output a cold start loads, and
 * the bundled handler serves a route from its area's chunk).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../bench/support/bundle.ts";
import { lambdaEnvironment } from "../../bench/support/lambda-env.ts";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { type AreaLoaders, areaLoader, type IndexedRoute, servedLazily } from "../../functions/api/lazy-routes.ts";
import { routeKey } from "../../functions/api/route.ts";
import { AREAS, ROUTE_INDEX } from "../../functions/api/route-index.generated.ts";
import { ROUTES } from "../../functions/api/routes.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { ROUTE_INDEX_FILE, routeIndexText } from "../../scripts/route-index.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
const concrete = (path: string) => path.replace(/\{\w+\}/g, "x1");

/** A handler whose area imports are counted (and may fail while `failing` holds the area). */
function counted(options: { apiRoutes?: "feed"; failing?: Set<string> } = {}) {
  const imports = new Map<string, number>();
  const areas: AreaLoaders = Object.fromEntries(
    Object.entries(AREAS).map(([area, load]) => [
      area,
      () => {
        imports.set(area, (imports.get(area) ?? 0) + 1);
        return options.failing?.has(area) ? Promise.reject(new Error(`${area} failed to load`)) : load();
      },
    ]),
  );
  const deps = { ...memoryApiDeps(), maxBodyBytes: 4096, ...(options.apiRoutes && { apiRoutes: options.apiRoutes }) };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent, areas);
  const call = (method: string, path: string, key?: string | null, body: unknown = {}) =>
    handler(apiEvent(method, path, { ...(method === "POST" || method === "PATCH" ? { body } : {}), key }), {} as Context);
  return { imports, call };
}

describe("the route index", () => {
  it("is ROUTES route for route: method, path, order, the area module that exports it, and every access fact", async () => {
    expect(ROUTE_INDEX.map(routeKey)).toEqual(ROUTES.map(routeKey));
    for (const [i, route] of ROUTES.entries()) {
      const entry = ROUTE_INDEX[i];
      const load = entry && AREAS[entry.area];
      expect(load, routeKey(route)).toBeDefined();
      const module = await load?.();
      expect(Object.values(module ?? {}), `${routeKey(route)} in ${entry?.area}.ts`).toContain(route);
      expect({ public: entry?.public, admin: entry?.admin, portal: entry?.portal, feed: entry?.feed }, routeKey(route)).toEqual({
        public: route.public,
        admin: route.admin,
        portal: route.portal,
        feed: route.feed,
      });
    }
    // Each area of the index is a *-routes.ts module, and every one of them declares a route of the index.
    expect(Object.keys(AREAS).sort()).toEqual([...new Set(ROUTE_INDEX.map((r) => r.area))].sort());
    for (const area of Object.keys(AREAS)) expect(area).toMatch(/^[a-z-]+-routes$/);
  });

  it("is the file `npm run openapi` writes from ROUTES (it fails while the file is stale)", async () => {
    expect(readFileSync(`${ROOT}${ROUTE_INDEX_FILE}`, "utf8")).toBe(await routeIndexText());
  });
});

describe("the API's route areas", () => {
  it("are imported only by the first request a route of theirs serves, once each, whatever the order of requests", async () => {
    const request = fc.record({ index: fc.nat(ROUTE_INDEX.length - 1), key: fc.constantFrom<string | null>("admin-key", null, "wrong") });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 12 }), async (requests) => {
        const { imports, call } = counted();
        const expected = new Set<string>();
        expect(imports.size).toBe(0);
        for (const { index, key } of requests) {
          const route = ROUTE_INDEX[index];
          if (!route) continue;
          const answer = await call(route.method, concrete(route.path), key);
          // Past the key check (the admin key, or a public route), the route's area is loaded; before it, nothing is.
          if (key === "admin-key" || route.public) expected.add(route.area);
          else expect(answer.statusCode, routeKey(route)).toBe(401);
          expect(new Set(imports.keys()), routeKey(route)).toEqual(expected);
          for (const count of imports.values()) expect(count).toBe(1);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("are not imported for an unknown path, a method a path does not serve, the console's pages or a tenant key on an admin route", async () => {
    const { imports, call } = counted();
    expect((await call("GET", "/v1/nothing-here")).statusCode).toBe(404);
    expect((await call("PUT", "/v1/endpoints")).statusCode).toBe(405);
    expect((await call("GET", "/console", null)).statusCode).toBe(200);
    const admin = ROUTE_INDEX.filter((r) => r.admin !== undefined);
    expect(admin.length).toBeGreaterThan(0);
    const created = call("POST", "/v1/api-keys", "admin-key", { tenantId: "acme", name: "acme" });
    const tenantKey = await created.then((a) => (JSON.parse(a.body ?? "{}") as { key?: string }).key);
    expect(tenantKey).toEqual(expect.any(String));
    imports.clear();
    for (const route of admin) expect((await call(route.method, concrete(route.path), tenantKey)).statusCode, routeKey(route)).toBe(403);
    expect([...imports.keys()]).toEqual([]);
  });

  it("serves only the feed's areas in the feed function", async () => {
    const { imports, call } = counted({ apiRoutes: "feed" });
    for (const route of ROUTE_INDEX) await call(route.method, concrete(route.path));
    expect([...imports.keys()].sort()).toEqual([...new Set(ROUTE_INDEX.filter((r) => r.feed).map((r) => r.area))].sort());
  });

  it("retry a failed import on the next request, answering the failed one as any unexpected error", async () => {
    for (const route of ROUTE_INDEX.filter((r, i, all) => all.findIndex((o) => o.area === r.area) === i)) {
      const failing = new Set([route.area]);
      const { imports, call } = counted({ failing });
      const failed = await call(route.method, concrete(route.path));
      expect(failed.statusCode, routeKey(route)).toBe(500);
      expect(JSON.parse(failed.body ?? "{}"), routeKey(route)).toMatchObject({ error: { code: "internal_error" } });
      failing.clear();
      expect((await call(route.method, concrete(route.path))).statusCode, routeKey(route)).not.toBe(500);
      expect(imports.get(route.area), routeKey(route)).toBe(2);
    }
  });

  it("refuse to serve a route whose declaration's access differs from the index's (a stale index), for every route and fact", async () => {
    const deps = { ...memoryApiDeps(), maxBodyBytes: 4096 };
    const authenticator = async () => new Authenticator("admin-key", deps.apiKeys);
    const flipped = { public: true, admin: "do anything", portal: true, feed: true } as const;
    for (const route of ROUTES) {
      for (const fact of ["public", "admin", "portal", "feed"] as const) {
        let called = false;
        const declared = {
          ...route,
          [fact]: route[fact] === undefined ? flipped[fact] : undefined,
          handler: async () => {
            called = true;
            return { statusCode: 200 };
          },
        };
        const entry: IndexedRoute = {
          method: route.method,
          path: route.path,
          area: "stale-routes",
          ...(route.public && { public: true }),
          ...(route.admin && { admin: route.admin }),
          ...(route.portal && { portal: true }),
          ...(route.feed && { feed: true }),
        };
        const served = servedLazily(entry, deps, authenticator, areaLoader({ "stale-routes": async () => ({ declared }) }));
        const event = apiEvent(route.method, concrete(route.path));
        await expect(served.handler(event, { kind: "admin" }), `${routeKey(route)} ${fact}`).rejects.toThrow(/route index is stale/);
        expect(called).toBe(false);
      }
    }
  });
});

describe("the API's bundle", () => {
  let outdir: string;
  let built: Awaited<ReturnType<typeof bundle>>;
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), "route-areas-"));
    built = await bundle("functions/api/index.ts", outdir);
  }, 60_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("holds each area in chunks of its own: no output a cold start loads holds an area module", () => {
    const loadedInputs = new Set(built.loaded.flatMap((output) => Object.keys(built.metafile.outputs[output]?.inputs ?? {})));
    expect(loadedInputs.has("functions/api/handler.ts")).toBe(true);
    const allInputs = new Set(Object.values(built.metafile.outputs).flatMap((output) => Object.keys(output.inputs)));
    for (const area of Object.keys(AREAS)) {
      expect(allInputs.has(`functions/api/${area}.ts`), area).toBe(true);
      expect(loadedInputs.has(`functions/api/${area}.ts`), area).toBe(false);
    }
  });

  it("serves a route from its area's chunk, loaded by the bundled handler on the request (no AWS call: the public routes)", () => {
    // A fresh process, as Lambda's: the bundle reads its settings at import. Any AWS endpoint is loopback (none is called).
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(built.file).href)});
      const context = { getRemainingTimeInMillis: () => 10_000, awsRequestId: "r", functionName: "api" };
      const answers = [];
      for (const path of ["/v1/health", "/v1/openapi.json", "/v1/health"]) {
        const event = { version: "2.0", rawPath: path, rawQueryString: "", headers: {}, requestContext: { http: { method: "GET", path } } };
        const answer = await handler(event, context);
        answers.push({ path, status: answer.statusCode, body: JSON.parse(answer.body) });
      }
      process.stdout.write("ANSWERS" + JSON.stringify(answers));`;
    const env = lambdaEnvironment({ AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8", timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const answers = JSON.parse(run.stdout.slice(run.stdout.indexOf("ANSWERS") + "ANSWERS".length)) as {
      path: string;
      status: number;
      body: Record<string, unknown>;
    }[];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[0]?.body).toMatchObject({ status: "ok" });
    expect(answers[1]?.body).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });
});
