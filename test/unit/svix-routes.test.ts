/**
 * The Svix face's route table: every route is served and documented in its own document (and
 * none in /v1's), every route naming an app keeps a tenant key inside its own, and every path or
 * method of /api/v1 the face does not serve answers in Svix's error shape.
 */
import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { openApiDocument } from "../../functions/api/openapi/document.ts";
import { svixDocument } from "../../functions/api/svix/svix-document.ts";
import { SVIX_PUBLIC_PATHS, SVIX_ROUTE_KEYS } from "../../functions/api/svix/svix-paths.ts";
import { SVIX_ROUTES } from "../../functions/api/svix/svix-routes.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
const concrete = (path: string, values: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "x1");

describe("the Svix face's routes", () => {
  it("are each in the face's document once, and /v1's document names none of them", () => {
    const doc = svixDocument(SVIX_ROUTES) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const route of SVIX_ROUTES) expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.operationId);
    expect(new Set(SVIX_ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(SVIX_ROUTES.length);
    const v1 = openApiDocument() as { paths: Record<string, unknown> };
    expect(Object.keys(v1.paths).filter((p) => p.startsWith("/api/"))).toEqual([]);
  });

  it("are the router's table at start, route for route, and its public paths are the routes declared public", () => {
    // The router knows the face by svix-paths.ts and loads the declarations on the first /api/v1 request.
    expect(SVIX_ROUTE_KEYS.map(([method, path]) => `${method} ${path}`)).toEqual(SVIX_ROUTES.map((r) => `${r.method} ${r.path}`));
    expect([...SVIX_PUBLIC_PATHS].sort()).toEqual(
      SVIX_ROUTES.filter((r) => r.public)
        .map((r) => r.path)
        .sort(),
    );
  });

  it("serve /api/v1/openapi.json without a key, describing every route", async () => {
    const call = apiCaller(memoryApiDeps());
    const served = await call("GET", "/api/v1/openapi.json", { key: null });
    expect(served.status).toBe(200);
    expect(Object.keys(served.json.paths).sort()).toEqual([...new Set(SVIX_ROUTES.map((r) => r.path))].sort());
  });

  it("keep a tenant key inside its own app on every route that names one", async () => {
    const deps = memoryApiDeps();
    const call = apiCaller(deps);
    for (const uid of ["mine", "theirs"]) await call("POST", "/api/v1/app", { body: { name: uid, uid } });
    const theirs = await call("POST", "/api/v1/app/theirs/endpoint", { body: { url: "https://example.com/t" } });
    const msg = await call("POST", "/api/v1/app/theirs/msg", { body: { eventType: "a.b", payload: {}, eventId: "e1" } });
    const key = (await call("POST", "/v1/api-keys", { body: { tenantId: "mine", name: "k" } })).json.key as string;
    const values = { app_id: "theirs", endpoint_id: theirs.json.id, msg_id: msg.json.id };
    for (const route of SVIX_ROUTES.filter((r) => r.path.includes("{app_id}"))) {
      const body =
        route.method === "GET" || route.method === "DELETE"
          ? undefined
          : { name: "x", url: "https://example.com/x", eventType: "a.b", payload: {}, headers: {}, since: "2020-01-01T00:00:00Z" };
      const answer = await call(route.method, concrete(route.path, values), { key, body });
      expect([403, 404], `${route.method} ${route.path}: ${JSON.stringify(answer.json)}`).toContain(answer.status);
    }
    // Nothing of theirs changed.
    expect((await call("GET", "/api/v1/app/theirs/endpoint")).json.data).toHaveLength(1);
  });

  it("answer any path of /api/v1 they do not serve with 404 in Svix's shape", async () => {
    const call = apiCaller(memoryApiDeps());
    const served = new Set(SVIX_ROUTES.map((r) => r.path.replace(/\{\w+\}/g, "*")));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z-]{1,12}$/), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("GET", "POST", "DELETE"),
        async (parts, method) => {
          const path = `/api/v1/${parts.join("/")}/zz`;
          fc.pre(![...served].some((p) => new RegExp(`^${p.replace(/\*/g, "[^/]+")}$`).test(path)));
          const answer = await call(method, path, method === "POST" ? { body: {} } : {});
          expect(answer.status).toBe(404);
          expect(answer.json).toEqual({ code: "not_found", detail: expect.any(String) });
        },
      ),
      { numRuns: 50 },
    );
  });

  it("answer a method a served path does not take with 405 in Svix's shape, the methods it takes in Allow", async () => {
    const deps = memoryApiDeps();
    const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
    const call = async (method: string, path: string, options: { body?: unknown }) => {
      const response = await handler(apiEvent(method, path, options), {} as Context);
      return { status: response.statusCode, headers: response.headers ?? {}, json: JSON.parse(response.body ?? "null") };
    };
    const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    const paths = [...new Set(SVIX_ROUTES.map((r) => r.path))];
    let refused = 0;
    // A concrete path may match another template too (msg/{msg_id} matches msg/expunge-all-contents).
    const matches = (template: string, path: string) => new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`).test(path);
    for (const path of paths.map((p) => concrete(p, {}))) {
      const takes = order.filter((m) =>
        SVIX_ROUTES.some((r) => (r.method === m || (m === "HEAD" && r.method === "GET")) && matches(r.path, path)),
      );
      for (const method of order.filter((m) => m !== "HEAD" && !takes.includes(m))) {
        const answer = await call(method, path, method === "GET" || method === "DELETE" ? {} : { body: {} });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.allow, `${method} ${path}`).toBe(takes.join(", "));
        expect(answer.json).toEqual({
          code: "method_not_allowed",
          detail: expect.stringContaining(`${method} is not served on this path`),
        });
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(paths.length);
  });

  it("leave endpoints without a URL out: a polling endpoint is neither listed nor found", async () => {
    const call = apiCaller(memoryApiDeps());
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const polling = await call("POST", "/v1/endpoints", { body: { kind: "polling", tenantId: "a" } });
    const hook = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "https://example.com/h" } });
    expect((await call("GET", "/api/v1/app/a/endpoint")).json.data.map((e: { id: string }) => e.id)).toEqual([hook.json.id]);
    expect((await call("GET", `/api/v1/app/a/endpoint/${polling.json.id}`)).status).toBe(404);
  });

  it("a message or portal call carrying application creates the app inline", async () => {
    const call = apiCaller(memoryApiDeps());
    const sent = await call("POST", "/api/v1/app/fresh/msg", {
      body: { eventType: "a.b", payload: {}, application: { name: "Fresh", uid: "fresh" } },
    });
    expect(sent.status).toBe(202);
    expect((await call("GET", "/api/v1/app/fresh")).json).toMatchObject({ uid: "fresh", name: "Fresh" });
    const portal = await call("POST", "/api/v1/auth/app-portal-access/new", { body: { application: { name: "New" } } });
    expect(portal.json).toEqual({ url: expect.stringContaining(portal.json.token), token: expect.any(String) });
    expect((await call("GET", "/api/v1/app/new")).status).toBe(200);
  });

  it("refuses a portal narrower than hookrelay's (read-only, capabilities) instead of opening a wider one", async () => {
    const call = apiCaller(memoryApiDeps());
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    for (const body of [{ readOnly: true }, { capabilities: ["ViewBase"] }]) {
      const answer = await call("POST", "/api/v1/auth/app-portal-access/a", { body });
      expect(answer.status).toBe(422);
      expect(answer.json.detail[0].loc).toEqual(["body", Object.keys(body)[0]]);
    }
  });
});

describe("docs/svix.md", () => {
  it("lists every route of the Svix face in its supported-routes table, and no other", async () => {
    const { readFileSync } = await import("node:fs");
    const page = readFileSync(new URL("../../docs/svix.md", import.meta.url), "utf8");
    const listed = [...page.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/api\/v1[^`]*)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(listed.sort()).toEqual(SVIX_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
