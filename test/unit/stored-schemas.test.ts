import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSchemaCompiler } from "../../functions/adapters/schemas/json-schemas.ts";
import type { EventTypeRecord } from "../../functions/core/event-types/event-types.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { endpointFixture, RecordedWarnings } from "../support/fakes.ts";

/*
 * Schemas stored before the linear engine may hold patterns it cannot run. Intake must still
 * answer every event of such a type without a 5xx and in bounded time, and the migration check
 * (`GET /v1/schema-check`) must name each place an admin has to rewrite.
 */

/** Patterns RegExp accepts and the linear engine refuses, one of each kind. */
const UNRUNNABLE = ["^(?=.*\\d)\\w+$", "(?<!x)y", "^(\\w)\\1$", "^(?<q>a)\\k<q>$", "^(?i:abc)$", "^\\p{Letter}+$", "^a{1001}$"];

async function setup(types: EventTypeRecord[]) {
  const warnings = new RecordedWarnings();
  const deps = { ...memoryApiDeps(), schemas: new JsonSchemaCompiler(warnings) };
  await deps.endpoints.put(endpointFixture({ id: "ep_all" }));
  // Stored as an older version would have stored them: straight into the catalog, past today's registration.
  for (const type of types) await deps.eventTypes.create(type);
  return { deps, warnings, call: apiCaller(deps) };
}

const stored = (name: string, schema: Record<string, unknown>): EventTypeRecord => ({
  name,
  description: name,
  schema,
  archived: false,
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
});

const LEGACY = {
  type: "object",
  required: ["code"],
  properties: { code: { type: "string", pattern: "^(?=.*\\d)\\w+$" }, count: { type: "integer" } },
  patternProperties: { "^(?<!x)y": { type: "integer" } },
  propertyNames: { pattern: "^(\\w)\\1?" },
};

describe("a stored schema holding patterns the linear engine refuses", () => {
  it("still validates the rest of each payload, skips those patterns, and warns once", async () => {
    const t = await setup([stored("legacy", LEGACY)]);
    // The lookahead is not checked: "abc" passes although it has no digit.
    const ok = await t.call("POST", "/v1/events", { body: { type: "legacy", payload: { code: "abc", y: "not checked either" } } });
    expect(ok.status).toBe(202);
    const bad = await t.call("POST", "/v1/events", { body: { type: "legacy", payload: { count: "x" } } });
    expect(bad).toMatchObject({ status: 422, json: { error: { code: "schema_validation_failed" } } });
    expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["payload.code", "payload.count"]);
    expect(t.warnings.lines).toEqual([
      {
        message: expect.stringMatching(/not checked/),
        fields: {
          eventType: "legacy",
          updatedAt: "2026-11-01T00:00:00.000Z",
          skipped: [
            { path: "patternProperties.^(?<!x)y", message: expect.stringMatching(/lookbehind/) },
            { path: "propertyNames.pattern", message: expect.stringMatching(/backreference/) },
            { path: "properties.code.pattern", message: expect.stringMatching(/lookahead/) },
          ],
        },
      },
    ]);
  });

  it("is listed by the migration check until an admin rewrites it; tenants may not run the check", async () => {
    const t = await setup([stored("legacy", LEGACY), stored("fine", { type: "object", properties: { id: { pattern: "^[a-z]+$" } } })]);
    const check = await t.call("GET", "/v1/schema-check");
    expect(check).toMatchObject({ status: 200 });
    expect(check.json.items).toEqual([
      {
        name: "legacy",
        updatedAt: "2026-11-01T00:00:00.000Z",
        issues: [
          { path: "schema.patternProperties.^(?<!x)y", message: expect.stringMatching(/lookbehind/) },
          { path: "schema.propertyNames.pattern", message: expect.stringMatching(/backreference/) },
          { path: "schema.properties.code.pattern", message: expect.stringMatching(/lookahead/) },
        ],
      },
    ]);
    const { key } = (await t.call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "acme" } })).json;
    expect(await t.call("GET", "/v1/schema-check", { key })).toMatchObject({ status: 403, json: { error: { code: "forbidden" } } });

    const rewritten = {
      ...LEGACY,
      properties: { ...LEGACY.properties, code: { type: "string", pattern: "^\\w*\\d\\w*$" } },
      patternProperties: { "^y": { type: "integer" } },
      propertyNames: { pattern: "^\\w" },
    };
    expect((await t.call("PATCH", "/v1/event-types/legacy", { body: { schema: rewritten } })).status).toBe(200);
    expect((await t.call("GET", "/v1/schema-check")).json.items).toEqual([]);
  });

  it("that the validator cannot compile at all refuses its events with a 422 saying why, never a 500", async () => {
    // `enum: []` passed the older validator (and matched nothing); Ajv refuses to compile it.
    const t = await setup([stored("empty-enum", { type: "object", properties: { kind: { enum: [] } } })]);
    const refused = await t.call("POST", "/v1/events", { body: { type: "empty-enum", payload: { kind: "a" } } });
    expect(refused).toMatchObject({ status: 422, json: { error: { code: "schema_validation_failed" } } });
    expect(refused.json.error.details).toEqual([{ path: "payload", message: expect.stringMatching(/does not compile.*admin/) }]);
    expect((await t.call("GET", "/v1/schema-check")).json.items).toEqual([
      {
        name: "empty-enum",
        updatedAt: expect.any(String),
        issues: [{ path: "schema", message: expect.stringMatching(/cannot be compiled/) }],
      },
    ]);
    // Registration refuses the same schema today.
    const again = await t.call("POST", "/v1/event-types", { body: { name: "x", description: "x", schema: { enum: [] } } });
    expect(again).toMatchObject({ status: 422, json: { error: { code: "invalid_schema" } } });
  });

  it("never answers a 5xx, wherever the unrunnable pattern sits and whatever the payload (generated)", async () => {
    const places: [string, (p: string) => Record<string, unknown>, string][] = [
      ["pattern", (p) => ({ type: "string", pattern: p }), "pattern"],
      ["property", (p) => ({ properties: { a: { pattern: p } } }), "properties.a.pattern"],
      ["items", (p) => ({ items: { anyOf: [{ pattern: p }, { type: "integer" }] } }), "items.anyOf.0.pattern"],
      ["patternProperties", (p) => ({ patternProperties: { [p]: { type: "string" } }, additionalProperties: false }), `patternProperties.`],
      ["propertyNames", (p) => ({ propertyNames: { pattern: p } }), "propertyNames.pattern"],
      ["$defs", (p) => ({ $defs: { d: { pattern: p } }, properties: { a: { $ref: "#/$defs/d" } } }), "$defs.d.pattern"],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...places),
        fc.constantFrom(...UNRUNNABLE),
        fc.jsonValue({ maxDepth: 3 }),
        async (place, pattern, payload) => {
          const [, build, path] = place;
          const t = await setup([stored("legacy", build(pattern))]);
          const emitted = await t.call("POST", "/v1/events", { body: { type: "legacy", payload } });
          expect([202, 422]).toContain(emitted.status);
          const check = await t.call("GET", "/v1/schema-check");
          expect(check.json.items.map((i: { issues: { path: string }[] }) => i.issues.map((x) => x.path))).toEqual([
            [`schema.${path}${path.endsWith(".") ? pattern : ""}`],
          ]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Generated schemas over the keywords the validator applies, well-formed or not, runnable patterns or not. */
const NAMES = ["a", "b", "constructor", "toString", "x-y"];
const PATTERNS = ["^[a-z]+$", "\\d", "^(a|a)*$", ".*.*=", ...UNRUNNABLE];
const LEAF = {
  type: fc.constantFrom("object", "string", "integer", "array", ["string", "null"]),
  required: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }),
  propertyNames: fc.record({ pattern: fc.constantFrom(...PATTERNS) }),
  unevaluatedProperties: fc.boolean(),
  enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
  const: fc.jsonValue({ maxDepth: 1 }),
  pattern: fc.constantFrom(...PATTERNS),
  minLength: fc.nat(3),
  maximum: fc.integer(),
  dependentRequired: fc.dictionary(fc.constantFrom(...NAMES), fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }), { maxKeys: 1 }),
  $anchor: fc.constantFrom("x", "y"),
  format: fc.constantFrom("email", "uri", "date-time"),
};
const schemas = fc.letrec<{ schema: Record<string, unknown> }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: "schema" },
    fc.record(LEAF, { requiredKeys: [] }),
    fc.record(
      {
        ...LEAF,
        properties: fc.dictionary(fc.constantFrom(...NAMES), tie("schema"), { maxKeys: 2 }),
        additionalProperties: fc.oneof(fc.boolean(), tie("schema")),
        patternProperties: fc.dictionary(fc.constantFrom(...PATTERNS), tie("schema"), { maxKeys: 2 }),
        items: tie("schema"),
        prefixItems: fc.array(tie("schema"), { minLength: 1, maxLength: 2 }),
        contains: tie("schema"),
        anyOf: fc.array(tie("schema"), { minLength: 1, maxLength: 2 }),
        not: tie("schema"),
        if: tie("schema"),
        // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited.
        then: tie("schema"),
      },
      { requiredKeys: [] },
    ),
  ) as fc.Arbitrary<Record<string, unknown>>,
}));

describe("any schema a catalog may hold", () => {
  it("compiles when registration accepts it, and a stored one answers every payload with issues or none, never a throw (generated)", async () => {
    const { compileSchema, schemaProblems } = await import("../../functions/adapters/schemas/json-schema-engine.ts");
    const compiler = new JsonSchemaCompiler(new RecordedWarnings());
    let version = 0;
    await fc.assert(
      fc.asyncProperty(
        schemas.schema,
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 5 }),
        async (schema, payloads) => {
          if (schemaProblems(schema).length === 0) expect(() => compileSchema(schema)).not.toThrow();
          const type = { ...stored("any", schema), schema, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, version++)).toISOString() };
          const validate = await compiler.validator(type);
          for (const payload of payloads) expect(Array.isArray(validate(payload))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
