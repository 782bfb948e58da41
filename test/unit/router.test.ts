import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRouter, RouteNotFoundError, type RouterEntry } from "../../functions/api/router.ts";
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

  it("answers 404 for another method, another depth or another word, and reaches no route", async () => {
    await fc.assert(
      fc.asyncProperty(segments, fc.array(value, { minLength: 6, maxLength: 6 }), fc.nat(2), async (parts, values, change) => {
        const route = routerOf([{ method: "GET", path: template(parts) }]);
        const concrete = parts.map((p, i) => p ?? (values[i] as string));
        const [method, path] =
          change === 0
            ? ["POST", `/${concrete.join("/")}`]
            : change === 1
              ? ["GET", `/${[...concrete, values[5]].join("/")}`]
              : ["GET", `/${concrete.join("/")}`.replace(/^\/[^/]+/, "/elsewhere")];
        fc.pre(!(change === 2 && parts[0] === null));
        const error = await route(method, path).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RouteNotFoundError);
        expect((error as RouteNotFoundError).statusCode).toBe(404);
      }),
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
