import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRouter, MethodNotAllowedError, RouteNotFoundError, type RouterEntry } from "../../functions/api/router.ts";
import { apiEvent } from "../support/api-event.ts";

/** A path template's segments: a literal word, or a parameter named p0, p1, … by position. */
const segments = fc.array(fc.oneof(fc.constantFrom("v1", "endpoints", "events", "secret", "rotate"), fc.constant(null)), {
  minLength: 1,
  maxLength: 5,
});
const template = (parts: (string | null)[]) => `/${parts.map((p, i) => p ?? `{p${i}}`).join("/")}`;
// Not "." or "..": a URL resolves those segments away before any router sees them.
const value = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.~-]{0,11}$/);

/** A router whose every route answers with its own name and the parameters it was given. */
function routerOf(routes: { method: string; path: string }[]) {
  const entries: RouterEntry[] = routes.map((route, i) => ({
    ...route,
    handler: (event) => ({ statusCode: 200, body: JSON.stringify({ route: i, params: event.pathParameters ?? {} }) }),
  }));
  const router = createRouter(entries);
  return async (method: string, path: string) => {
    const answer = await router(apiEvent(method, path));
    return JSON.parse(answer.body ?? "{}") as { route: number; params: Record<string, string> };
  };
}

describe("the API router", () => {
  it("reaches a route by any path its template names, with or without a trailing slash, its parameters by name", async () => {
    await fc.assert(
      fc.asyncProperty(segments, fc.array(value, { minLength: 5, maxLength: 5 }), fc.boolean(), async (parts, values, slash) => {
        const route = routerOf([{ method: "GET", path: template(parts) }]);
        const path = `/${parts.map((p, i) => p ?? values[i]).join("/")}${slash ? "/" : ""}`;
        const expected = Object.fromEntries(parts.flatMap((p, i) => (p === null ? [[`p${i}`, values[i]]] : [])));
        expect(await route("GET", path)).toEqual({ route: 0, params: expected });
      }),
    );
  });

  it("answers 404 for another depth or another word, and reaches no route", async () => {
    await fc.assert(
      fc.asyncProperty(segments, fc.array(value, { minLength: 6, maxLength: 6 }), fc.boolean(), async (parts, values, deeper) => {
        const route = routerOf([{ method: "GET", path: template(parts) }]);
        const concrete = parts.map((p, i) => p ?? (values[i] as string));
        fc.pre(deeper || parts[0] !== null);
        const path = deeper ? `/${[...concrete, values[5]].join("/")}` : `/${concrete.join("/")}`.replace(/^\/[^/]+/, "/elsewhere");
        const error = await route("GET", path).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RouteNotFoundError);
        expect((error as RouteNotFoundError).statusCode).toBe(404);
      }),
    );
  });

  it("answers 405 for a path served only with other methods, naming exactly those (HEAD wherever GET is), in the order GET, HEAD, POST, PUT, PATCH, DELETE", async () => {
    const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ method, parts: segments }), { minLength: 1, maxLength: 6 }),
        fc.nat(5),
        fc.array(value, { minLength: 5, maxLength: 5 }),
        fc.oneof(method, fc.constant("HEAD")),
        async (declared, pick, values, asked) => {
          const route = routerOf(declared.map((d) => ({ method: d.method, path: template(d.parts) })));
          const chosen = declared[pick % declared.length] as (typeof declared)[number];
          const segmentsOf = chosen.parts.map((p, i) => p ?? (values[i] as string));
          // The oracle: a template matches a path of as many segments, each its literal word or any value.
          const serving = declared.filter(
            (d) => d.parts.length === segmentsOf.length && d.parts.every((p, i) => p === null || p === segmentsOf[i]),
          );
          const path = `/${segmentsOf.join("/")}`;
          const outcome = await route(asked, path).catch((e: unknown) => e);
          const takes = (m: string) => serving.some((d) => d.method === m || (m === "HEAD" && d.method === "GET"));
          if (takes(asked)) {
            expect(outcome).not.toBeInstanceOf(Error);
            return;
          }
          const expected = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].filter(takes);
          expect(outcome).toBeInstanceOf(MethodNotAllowedError);
          expect((outcome as MethodNotAllowedError).statusCode).toBe(405);
          expect((outcome as MethodNotAllowedError).allowed).toEqual(expected);
          expect((outcome as Error).message).toContain(`${asked} is not served on this path`);
        },
      ),
    );
  });

  it("prefers a route without parameters, then the first declared that matches", async () => {
    await fc.assert(
      fc.asyncProperty(value, async (id) => {
        const route = routerOf([
          { method: "GET", path: "/v1/events/{id}" },
          { method: "GET", path: "/v1/events/{other}" },
          { method: "GET", path: `/v1/events/${id}` },
        ]);
        expect(await route("GET", `/v1/events/${id}`)).toEqual({ route: 2, params: {} });
        expect(await route("GET", `/v1/events/${id}x`)).toEqual({ route: 0, params: { id: `${id}x` } });
      }),
    );
  });

  it("keeps path parameters the event already carries over those it matched", async () => {
    const router = createRouter([
      { method: "GET", path: "/a/{id}", handler: (event) => ({ statusCode: 200, body: event.pathParameters?.id }) },
    ]);
    const event = { ...apiEvent("GET", "/a/matched"), pathParameters: { id: "given" } };
    expect(await router(event)).toMatchObject({ body: "given" });
  });
});
