/**
 * Each route is declared once (functions/api/*-routes.ts) and listed in the route table
 * (functions/api/routes.ts); the router and the API document are both derived from the table. These
 * tests hold that derivation: every declaration is in the table, every route in it is served and
 * documented, and a request the table does not declare is answered "No such route", or 405 naming
 * the methods that serve its path.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { openApiDocument, operations } from "../../functions/api/openapi/document.ts";
import { type Route, routeKey } from "../../functions/api/route.ts";
import { ROUTES } from "../../functions/api/routes.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { ContractChecker } from "../support/contract.ts";

const API_DIR = fileURLToPath(new URL("../../functions/api/", import.meta.url));
const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
const document = openApiDocument() as { paths: Record<string, Record<string, unknown>> };

const isRoute = (value: unknown): value is Route =>
  typeof value === "object" && value !== null && "method" in value && "path" in value && "handler" in value && "doc" in value;

/** Every route object the *-routes.ts modules export. */
async function declaredRoutes(): Promise<Route[]> {
  const found: Route[] = [];
  for (const file of readdirSync(API_DIR).filter((f) => f.endsWith("-routes.ts"))) {
    const module: Record<string, unknown> = await import(`${API_DIR}${file}`);
    found.push(...Object.values(module).filter(isRoute));
  }
  return found;
}

function handler() {
  const deps = { ...memoryApiDeps(), maxBodyBytes: 4096 };
  return createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
}

const NO_ROUTE = "No such route";
const errorOf = (body: string | undefined) => (JSON.parse(body || "{}") as { error?: { code?: string; message?: string } }).error;
const errorMessage = (body: string | undefined) => errorOf(body)?.message;
const concrete = (path: string) => path.replace(/\{\w+\}/g, "x1");

describe("the route table", () => {
  it("holds every route a *-routes.ts module declares, each method and path and operationId once", async () => {
    const declared = await declaredRoutes();
    expect(declared.length).toBeGreaterThan(25);
    for (const route of declared) expect(ROUTES, routeKey(route)).toContain(route);
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
    expect(new Set(operations().map((o) => o.operationId)).size).toBe(ROUTES.length);
  });

  it("is what the API document describes, route for route, and nothing else", () => {
    expect(new ContractChecker(document as never).operations().sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const route of ROUTES) expect(document.paths[route.path]?.[route.method.toLowerCase()], routeKey(route)).toBeDefined();
  });

  it("is what the router serves: every declared route answers, never with the router's 404", async () => {
    const api = handler();
    for (const route of ROUTES) {
      const answer = await api(apiEvent(route.method, concrete(route.path), route.method === "POST" ? { body: {} } : {}), {} as Context);
      expect(errorMessage(answer.body), routeKey(route)).not.toBe(NO_ROUTE);
    }
  });

  it("answers a request it does not declare with 405 naming the methods that serve its path, or else the router's 404", async () => {
    const api = handler();
    const declared = ROUTES.map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/\{\w+\}/g, "[^/]+")}$`) }));
    const segment = fc.constantFrom("endpoints", "events", "x1", "feed", "secret", "rotate", "api-keys", "event-types", "batch", "health");
    const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PATCH", "DELETE"),
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        async (method, parts) => {
          const path = `/v1/${parts.join("/")}`;
          const serving = order.filter((m) =>
            declared.some((d) => (d.method === m || (m === "HEAD" && d.method === "GET")) && d.pattern.test(path)),
          );
          const answer = await api(apiEvent(method, path, method === "POST" || method === "PATCH" ? { body: {} } : {}), {} as Context);
          const error = errorOf(answer.body);
          if (serving.includes(method)) {
            expect(error?.message, `${method} ${path}`).not.toBe(NO_ROUTE);
            expect(answer.statusCode, `${method} ${path}`).not.toBe(405);
          } else if (serving.length > 0) {
            expect(answer.statusCode, `${method} ${path}`).toBe(405);
            expect(error?.code).toBe("method_not_allowed");
            expect(answer.headers?.allow).toBe(serving.join(", "));
            for (const m of serving) expect(error?.message).toContain(m);
          } else {
            expect(answer.statusCode, `${method} ${path}`).toBe(404);
            expect(error?.message, `${method} ${path}`).toBe(NO_ROUTE);
          }
        },
      ),
      { numRuns: 200 },
    );
    // docs/api.md's example.
    const listOnly = await api(apiEvent("DELETE", "/v1/events"), {} as Context);
    expect([listOnly.statusCode, listOnly.headers?.allow]).toEqual([405, "GET, HEAD, POST"]);
  });
});
