import fc from "fast-check";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCodesOf, operations } from "../../functions/api/openapi/document.ts";
import type { Operation } from "../../functions/api/openapi/operation.ts";
import { WEBHOOK_ONLY_FIELDS } from "../../functions/core/feed/endpoint-kind.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";

/*
 * Every refusal of a request body or query parameter names the field in `details[].path` (never
 * ""), words the problem in plain English (nothing of the validation library shows through), and
 * answers a code the API document lists for that route. The bodies are generated for every route
 * of the route table (ROUTES) that takes one: unknown keys, wrong types, missing fields, wrong values
 * nested in lists and maps, and bodies that are not objects at all.
 */

const JARGON = /Expected|[Rr]eceived|Invalid (key|type|length|value|format)|\bnever\b|valibot|\bundefined\b|strict_object|picklist|\bNaN\b/;
const RUNS = 60;
/** Every route's operation, as the API document is built from the route table. */
const OPERATIONS = operations();

type Json = Record<string, unknown>;
type Problem = { path: unknown; message: unknown };
type Answer = { status: number; json: { error?: { code: string; message: string; details?: Problem[] }; items?: unknown[] } };

/** The object schema a body is checked against (the webhook endpoint for POST /v1/endpoints). */
function objectSchema(op: Operation): v.ObjectSchema<v.ObjectEntries, undefined> {
  const schema = op.body?.schema as unknown as { type: string; options?: unknown[] };
  return (schema.type === "union" ? schema.options?.[0] : schema) as v.ObjectSchema<v.ObjectEntries, undefined>;
}

/** An entry without its optional/nullable wrappers. */
function unwrapped(entry: v.GenericSchema): v.GenericSchema {
  let current = entry as v.GenericSchema & { wrapped?: v.GenericSchema };
  while (current.wrapped) current = current.wrapped as typeof current;
  return current;
}

const anyJson = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);
const notAnObject = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyJson, { maxLength: 3 }),
);

/** Where each route's path names an existing resource, so that only the body can be wrong. */
function concretePath(path: string, ids: { endpoint: string; event: string; type: string }): string {
  return path
    .replace("/v1/events/{id}", `/v1/events/${ids.event}`)
    .replace("{name}", ids.type)
    .replace("{recoveryId}", "rec_1")
    .replace("{id}", ids.endpoint);
}

/** The refusal an answer carries: the route's own, or the first item's for the batch route. */
function refusalOf(answer: Answer): { status: number; error: NonNullable<Answer["json"]["error"]> } {
  if (answer.status === 202 && Array.isArray(answer.json.items)) {
    const item = answer.json.items[0] as { status: number } & Answer["json"];
    return { status: item.status, error: item.error as NonNullable<Answer["json"]["error"]> };
  }
  return { status: answer.status, error: answer.json.error as NonNullable<Answer["json"]["error"]> };
}

/** The assertions every refusal meets; `field` is the path the refusal must name. */
function expectWorded(op: Operation, answer: Answer, field: (path: string) => boolean): void {
  const { status, error } = refusalOf(answer);
  expect(status, JSON.stringify(answer.json)).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(errorCodesOf(op)).toContain(error.code);
  expect(error.message).not.toMatch(JARGON);
  expect(Array.isArray(error.details), JSON.stringify(error)).toBe(true);
  for (const problem of error.details ?? []) {
    expect(typeof problem.path).toBe("string");
    expect(problem.path).not.toBe("");
    expect(typeof problem.message).toBe("string");
    expect(problem.message).not.toMatch(JARGON);
  }
  expect(
    (error.details ?? []).some((p) => field(p.path as string)),
    JSON.stringify(error),
  ).toBe(true);
}

const BODY_ROUTES = OPERATIONS.filter((op) => op.body !== undefined);

describe("every 4xx names the field in plain words", () => {
  const deps = memoryApiDeps();
  const call = apiCaller(deps);
  const ids = { endpoint: "", event: "", type: "order.created" };
  beforeAll(async () => {
    ids.endpoint = (await call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook" } })).json.id;
    ids.event = (await call("POST", "/v1/events", { body: { type: "a", payload: 1 } })).json.id;
    await call("POST", "/v1/event-types", { body: { name: ids.type, description: "d" } });
  });

  /** Sends `body` to the route; the batch route gets it as its first event when `asItem`. */
  const send = (op: Operation, body: unknown, asItem = false) =>
    call(op.method, concretePath(op.path, ids), { body: asItem ? { events: [body] } : body }) as Promise<Answer>;

  it("covers every route of the table that takes a body, each with a valid example", () => {
    expect(BODY_ROUTES.length).toBeGreaterThanOrEqual(12);
    for (const op of BODY_ROUTES) expect(v.is(op.body?.schema as v.GenericSchema, op.body?.example), op.operationId).toBe(true);
  });

  describe.each(BODY_ROUTES.map((op) => [`${op.method} ${op.path}`, op] as const))("%s", (_name, op) => {
    const schema = objectSchema(op);
    const example = op.body?.example as Json;
    const keys = Object.keys(schema.entries);
    const required = keys.filter((k) => (schema.entries[k] as v.GenericSchema).type !== "optional");
    const checked = keys.filter((k) => unwrapped(schema.entries[k] as v.GenericSchema).type !== "unknown");

    it("an unknown key is named as not a field", async () => {
      const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k) && k !== "__proto__");
      await fc.assert(
        fc.asyncProperty(unknownKey, anyJson, async (key, value) => {
          const answer = await send(op, { ...example, [key]: value });
          expectWorded(op, answer, (p) => p === key);
          expect(refusalOf(answer).error.code).toBe("validation_failed");
        }),
        { numRuns: RUNS },
      );
    });

    it("a value of the wrong type is named at its key", async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...checked), anyJson, async (key, value) => {
          const body = { ...example, [key]: value };
          fc.pre(!v.is(op.body?.schema as v.GenericSchema, body));
          expectWorded(op, await send(op, body), (p) => p === key || p.startsWith(`${key}.`));
        }),
        { numRuns: RUNS },
      );
    });

    if (required.length > 0)
      it("a missing field is named as required", async () => {
        await fc.assert(
          fc.asyncProperty(fc.subarray(required, { minLength: 1 }), async (missing) => {
            const body = Object.fromEntries(Object.entries(example).filter(([k]) => !missing.includes(k)));
            const answer = await send(op, body);
            expectWorded(op, answer, (p) => missing.includes(p));
            const named = (refusalOf(answer).error.details ?? []).filter((d) => missing.includes(d.path as string));
            for (const problem of named) expect(problem.message).toBe("is required");
          }),
          { numRuns: RUNS },
        );
      });

    // Lists and maps whose items are checked (not `events` or `examples`, which hold any JSON).
    const nested = keys.filter((k) => {
      const inner = unwrapped(schema.entries[k] as v.GenericSchema) as v.GenericSchema & {
        item?: v.GenericSchema;
        value?: v.GenericSchema;
      };
      const item = inner.type === "array" ? inner.item : inner.type === "record" ? inner.value : undefined;
      return item !== undefined && unwrapped(item).type !== "unknown";
    });
    if (nested.length > 0)
      it("a wrong value inside a list or a map is named by its full path", async () => {
        const inner = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...nested), inner, fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), async (key, value, name) => {
            const isList = unwrapped(schema.entries[key] as v.GenericSchema).type === "array";
            const body = { ...example, [key]: isList ? [value] : { [name]: value } };
            fc.pre(!v.is(op.body?.schema as v.GenericSchema, body));
            // A check of the whole list (a retry schedule's total) names the list itself.
            expectWorded(op, await send(op, body), (p) => p === `${key}.${isList ? 0 : name}` || p === key);
          }),
          { numRuns: RUNS },
        );
      });

    if (!op.body?.optional)
      it("a body that is not an object is named as the body", async () => {
        await fc.assert(
          fc.asyncProperty(notAnObject, async (body) => {
            // An emitted event is worded as one, alone or in a batch.
            expectWorded(op, await send(op, body), (p) => p === (op.path === "/v1/events" ? "event" : "body"));
          }),
          { numRuns: RUNS },
        );
      });
  });

  it("an event of a batch is worded on its own, at the same paths as a single event", async () => {
    const batch = OPERATIONS.find((op) => op.path === "/v1/events/batch") as Operation;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("type", "tenantId", "id"), anyJson, async (key, value) => {
        const event = { type: "a", payload: 1, [key]: value };
        fc.pre(typeof value !== "string" || !/^[A-Za-z0-9_.\-:]{1,64}$/.test(value));
        expectWorded(batch, await send(batch, event, true), (p) => p === key);
      }),
      { numRuns: RUNS },
    );
    expectWorded(batch, await send(batch, 5, true), (p) => p === "event");
  });

  it("a polling endpoint refuses each webhook-only field by name, with validation_failed like any unknown field", async () => {
    const create = OPERATIONS.find((op) => op.path === "/v1/endpoints" && op.method === "POST") as Operation;
    await fc.assert(
      fc.asyncProperty(fc.subarray([...WEBHOOK_ONLY_FIELDS], { minLength: 1 }), async (fields) => {
        const body = { kind: "polling", ...Object.fromEntries(fields.map((f) => [f, "x"])) };
        const answer = await send(create, body);
        for (const field of fields) expectWorded(create, answer, (p) => p === field);
        expect(answer.json.error?.code).toBe("validation_failed");
      }),
      { numRuns: 20 },
    );
  });

  it("a bad query parameter is named by its name, on every route that reads one", async () => {
    const withQuery = OPERATIONS.flatMap((op) =>
      (op.parameters ?? [])
        .filter((p) => p.in === "query" && (p.name === "limit" || (p.schema as { kind?: string }).kind === "schema"))
        .map((p) => [op, p] as const),
    );
    expect(withQuery.length).toBeGreaterThanOrEqual(8);
    const raw = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("0", "-1", "1.5", "100000", "ten", " 5", "%", "a b"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withQuery), raw, async ([op, parameter], value) => {
        const schema = parameter.schema as v.GenericSchema & { maximum?: number };
        const accepted =
          parameter.name === "limit"
            ? /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= (schema.maximum ?? 250)
            : v.is(schema, value);
        fc.pre(!accepted && value !== "");
        const path = `${concretePath(op.path, ids)}?${new URLSearchParams({ [parameter.name]: value })}`;
        const answer = (await call(op.method, path)) as Answer;
        expectWorded(op, answer, (p) => p === parameter.name);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the feed answers the codes every other route does", () => {
  const deps = memoryApiDeps();
  const call = apiCaller(deps);
  const feed = OPERATIONS.find((op) => op.path === "/v1/endpoints/{id}/feed") as Operation;
  const list = OPERATIONS.find((op) => op.path === "/v1/endpoints" && op.method === "GET") as Operation;
  let polling = "";
  beforeAll(async () => {
    polling = (await call("POST", "/v1/endpoints", { body: { kind: "polling", tenantId: "acme" } })).json.id;
  });

  it("lists no code of its own for what other routes already name (not found, a bad limit, wait or cursor)", () => {
    const others = new Set(OPERATIONS.filter((op) => op !== feed).flatMap((op) => errorCodesOf(op)));
    const own = errorCodesOf(feed).filter((c) => !others.has(c));
    expect(own.sort()).toEqual(["cursor_expired", "not_a_polling_endpoint", "too_many_polls", "use_feed_url"]);
  });

  it("an endpoint that is not there, or another tenant's, is 404 not_found as on GET /v1/endpoints/{id}", async () => {
    const key = (await call("POST", "/v1/api-keys", { body: { tenantId: "other", name: "k" } })).json.key;
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^ep_[a-z0-9]{1,20}$/), async (missing) => {
        for (const [id, as] of [
          [missing, undefined],
          [polling, key],
        ] as const) {
          const fromFeed = await call("GET", `/v1/endpoints/${id}/feed`, { key: as });
          const fromGet = await call("GET", `/v1/endpoints/${id}`, { key: as });
          expect(fromFeed.status).toBe(404);
          expect(fromFeed.json.error.code).toBe(fromGet.json.error.code);
          expect(errorCodesOf(feed)).toContain(fromFeed.json.error.code);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("a bad limit is 400 invalid_request naming it, on the feed as on the lists", async () => {
    const limit = fc.oneof(fc.constantFrom("0", "-3", "1.5", "ten", "1e2", "100000"), fc.integer({ min: 251, max: 10_000 }).map(String));
    await fc.assert(
      fc.asyncProperty(limit, async (value) => {
        const fromFeed = (await call("GET", `/v1/endpoints/${polling}/feed?limit=${value}`)) as Answer;
        const fromList = (await call("GET", `/v1/endpoints?limit=${value}`)) as Answer;
        expectWorded(feed, fromFeed, (p) => p === "limit");
        expectWorded(list, fromList, (p) => p === "limit");
        expect(fromFeed.json.error?.code).toBe("invalid_request");
        expect(fromList.json.error?.code).toBe("invalid_request");
      }),
      { numRuns: 60 },
    );
  });

  // The lists' cursors are the DynamoDB adapter's (test/unit/sharded-paging.test.ts); the in-memory stores here take any.
  it("a cursor the feed did not give out is 400 invalid_request naming cursor", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/), async (value) => {
        const answer = (await call("GET", `/v1/endpoints/${polling}/feed?cursor=${value}`)) as Answer;
        expectWorded(feed, answer, (p) => p === "cursor");
        expect(answer.json.error?.code).toBe("invalid_request");
      }),
      { numRuns: 60 },
    );
  });

  it("a bad wait is 400 invalid_request naming wait", async () => {
    const wait = fc.oneof(fc.constantFrom("-1", "1.5", "21", "soon", ""), fc.integer({ min: 21, max: 100_000 }).map(String));
    await fc.assert(
      fc.asyncProperty(wait, async (value) => {
        fc.pre(value !== "");
        const answer = (await call("GET", `/v1/endpoints/${polling}/feed?wait=${encodeURIComponent(value)}`)) as Answer;
        expectWorded(feed, answer, (p) => p === "wait");
        expect(answer.json.error?.code).toBe("invalid_request");
      }),
      { numRuns: 40 },
    );
  });
});
