import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { compileSchema, schemaProblems } from "../../functions/adapters/schemas/json-schema-engine.ts";
import { openApiDocument } from "../../functions/api/openapi/document.ts";
import { withCatalog } from "../../functions/api/openapi/webhooks.ts";
import type { EventTypeRecord } from "../../functions/core/event-types/event-types.ts";
import { buildExample } from "../../functions/core/event-types/example-payload.ts";

// Backtracking engines take about 2^38 steps on ATTACK against each of these.
const BACKTRACKERS = ["^(a+)+$", "^(a|a)*$", "^(a|aa)*$", "^(?:a*)*$"];
const ATTACK = `${"a".repeat(38)}!`;

describe("a schema's patterns", () => {
  it("are stored and run in linear time, those that backtrack exponentially in RegExp included, wherever they sit", () => {
    for (const pattern of BACKTRACKERS) {
      for (const [schema, value] of [
        [{ type: "string", pattern }, ATTACK],
        [{ type: "object", properties: { name: { type: "string", pattern } } }, { name: ATTACK }],
        [{ type: "array", items: { anyOf: [{ type: "string", pattern: `^(?:${pattern.slice(1, -1)})*$` }] } }, [ATTACK]],
        [{ type: "object", propertyNames: { pattern } }, { [ATTACK]: 1 }],
        [{ type: "object", patternProperties: { [pattern]: { type: "string" } } }, { [ATTACK]: 1 }],
      ] as const) {
        expect(schemaProblems(schema)).toEqual([]);
        const { validate, skipped } = compileSchema(schema);
        expect(skipped).toEqual([]);
        // The first four refuse ATTACK by its pattern; patternProperties let it through (it is no match).
        const messages = validate(value).map((i) => i.message);
        if ("patternProperties" in schema) expect(messages).toEqual([]);
        else expect(messages.join()).toMatch(/pattern/);
      }
    }
  });

  it("accepts the linear patterns schemas use, and runs them on the attacker's string", () => {
    const schema = { type: "string", pattern: "^[a-z][a-z0-9-]*$" };
    expect(schemaProblems(schema)).toEqual([]);
    expect(compileSchema(schema).validate(ATTACK)).toEqual([{ path: "", message: expect.stringContaining("pattern") }]);
    expect(compileSchema(schema).validate("acme-42")).toEqual([]);
  });

  it("refuses a pattern that is not a regular expression, or is too long", () => {
    expect(schemaProblems({ pattern: "([a-z" })[0]?.path).toBe("pattern");
    expect(schemaProblems({ pattern: "a".repeat(300) })[0]?.message).toMatch(/at most/);
  });

  it("refuses each place of a refused pattern, and patterns too large together, without compiling the rest", () => {
    const twice = { properties: { a: { pattern: "(?=x)" }, b: { items: { pattern: "(?=x)" } } } };
    expect(schemaProblems(twice).map((p) => p.path)).toEqual(["properties.a.pattern", "properties.b.items.pattern"]);
    // Each compiles to about 1,003 instructions: 19 fit in the schema's 20,000, 25 do not.
    const fits = (n: number) => ({
      properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { pattern: `^${i}[a-z]{1000}$` }])),
    });
    expect(schemaProblems(fits(19))).toEqual([]);
    expect(schemaProblems(fits(25))).toEqual([{ path: "", message: expect.stringMatching(/over 20000 RE2 instructions together/) }]);
    // A pattern far over its own limit stops the compiling: one issue for it, one for the total.
    const huge = {
      properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, { pattern: `${".{1000}".repeat(36)}${i}` }])),
    };
    expect(schemaProblems(huge)).toEqual([
      { path: "properties.p0.pattern", message: expect.stringMatching(/instructions, over 2000/) },
      { path: "", message: expect.stringMatching(/together/) },
    ]);
  });
});

describe("a schema's other hazards to intake", () => {
  it("accepts local references, recursion through a property, and refuses loops in place", () => {
    const tree = {
      $defs: { node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } } } },
      $ref: "#/$defs/node",
    };
    expect(schemaProblems(tree)).toEqual([]);
    const { validate } = compileSchema(tree);
    expect(validate({ children: [{ children: [] }] })).toEqual([]);
    expect(validate({ children: [{ children: 5 }] })).toEqual([{ path: "children.0.children", message: expect.any(String) }]);
    expect(schemaProblems({ $ref: "#" })).toEqual([{ path: "$ref", message: expect.stringContaining("loops") }]);
    expect(schemaProblems({ anyOf: [{ not: { $ref: "#" } }] })[0]?.message).toMatch(/loops/);
  });

  it("refuses references that fan out to check one value exponentially often", () => {
    // d0 -> d1 twice -> d2 twice ...: 2^12 checks of the same value, with only 24 references.
    const $defs = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`d${i}`, { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] }]),
    );
    const fanning = { $defs: { ...$defs, d12: { type: "string" } }, $ref: "#/$defs/d0" };
    expect(
      schemaProblems(fanning)
        .map((p) => p.message)
        .join(),
    ).toMatch(/more than 1000 times/);
    const shallow = { $defs: { ...Object.fromEntries(Object.entries($defs).slice(8)), d12: { type: "string" } }, $ref: "#/$defs/d8" };
    expect(schemaProblems(shallow)).toEqual([]);
  });

  it("refuses $id below the root, the keywords the validator does not implement, and uniqueItems", () => {
    expect(schemaProblems({ properties: { a: { $id: "https://x.example/a" } } })[0]?.path).toBe("properties.a.$id");
    expect(schemaProblems({ $recursiveRef: "#" })[0]?.path).toBe("$recursiveRef");
    // uniqueItems compares every pair of items: a 256 KB array of distinct values would stall intake.
    expect(schemaProblems({ type: "array", maxItems: 10, uniqueItems: true })[0]?.path).toBe("uniqueItems");
    expect(schemaProblems({ type: "array", uniqueItems: false })).toEqual([]);
  });
});

describe("formats", () => {
  it("are annotations, as draft 2020-12 has them by default: no format regex runs on a payload", () => {
    // The validator's own url check backtracks exponentially on "http://" + "a" * n + "!".
    const schema = { type: "object", properties: { site: { type: "string", format: "url" }, at: { format: "date-time" } } };
    expect(schemaProblems(schema)).toEqual([]);
    expect(compileSchema(schema).validate({ site: `http://${"a".repeat(40)}!`, at: "yesterday" })).toEqual([]);
    expect(compileSchema(schema).validate({ site: 5 })).toEqual([{ path: "site", message: expect.any(String) }]);
  });
});

describe("payload errors", () => {
  it("name each failing place as a dotted path, once, with required properties named", () => {
    const { validate } = compileSchema({
      type: "object",
      required: ["id"],
      additionalProperties: false,
      properties: { id: { type: "string" }, lines: { type: "array", items: { type: "object", required: ["sku"] } } },
    });
    const paths = validate({ lines: [{ sku: "a" }, {}], extra: true }).map((i) => i.path);
    expect(paths.sort()).toEqual(["extra", "id", "lines.1.sku"]);
  });

  it("name the values an enum or const takes, a long list by its first values and its count", () => {
    const sizes = Array.from({ length: 12 }, (_, i) => `size-${i}`);
    const { validate } = compileSchema({
      properties: { kind: { const: "order" }, size: { enum: sizes }, flag: { enum: [true, null] }, long: { const: "y".repeat(200) } },
    });
    expect(validate({ kind: "refund", size: "huge", flag: 1, long: "n" })).toEqual([
      { path: "kind", message: 'must be "order"' },
      {
        path: "size",
        message: `must be one of ${sizes
          .slice(0, 8)
          .map((s) => JSON.stringify(s))
          .join(", ")}, … (12 values in all)`,
      },
      { path: "flag", message: "must be one of true or null" },
      // Cut to 80 characters of JSON: the opening quote, 78 of the value, and an ellipsis.
      { path: "long", message: `must be "${"y".repeat(78)}…` },
    ]);
  });

  it("read the alternatives of an anyOf failing at one place as one issue, and keep those failing deeper apart", () => {
    const { validate } = compileSchema({
      properties: {
        amount: { anyOf: [{ type: "integer" }, { type: "string", pattern: "^[0-9]+$" }, { enum: ["free"] }] },
        to: { anyOf: [{ type: "string" }, { type: "object", required: ["email"] }] },
        nested: { oneOf: [{ anyOf: [{ type: "null" }, { type: "boolean" }] }, { type: "number" }] },
      },
    });
    expect(validate({ amount: 1.5, to: {}, nested: "x" })).toEqual([
      { path: "amount", message: 'must be integer, or must be string, or must be one of "free"' },
      { path: "to.email", message: "is required" },
      // Not "must be string" alone: an object with an email would do too.
      { path: "to", message: "must be string, or else meet another alternative (see to.email)" },
      { path: "nested", message: "must be null, or must be boolean, or must be number" },
    ]);
    expect(validate({ amount: "12", to: "a@b.example", nested: null })).toEqual([]);
  });

  it("point an anyOf whose alternatives all failed deeper at those places", () => {
    const { validate } = compileSchema({ anyOf: [{ required: ["a"] }, { required: ["b"] }] });
    expect(validate({})).toEqual([
      { path: "a", message: "is required" },
      { path: "b", message: "is required" },
      { path: "", message: "must meet one of its alternatives (see a, b)" },
    ]);
  });

  it("take time linear in the failing items: 100,000 items each failing an anyOf read as 100,000 merged issues", () => {
    const { validate } = compileSchema({ type: "array", items: { anyOf: [{ type: "string" }, { type: "null" }] } });
    const issues = validate(Array(100_000).fill(1));
    expect(issues).toHaveLength(100_000);
    expect(new Set(issues.map((i) => i.message))).toEqual(new Set(["must be string, or must be null"]));
    expect(issues[99_999]?.path).toBe("99999");
    // An anyOf around the whole array: its run of alternatives' errors is 100,000 long, read once.
    const whole = compileSchema({ anyOf: [{ type: "array", items: { type: "string" } }, { type: "null" }] });
    expect(whole.validate(Array(100_000).fill(1)).at(-1)).toEqual({
      path: "",
      message: "must be null, or else meet another alternative (see 0, 1, 2)",
    });
  });

  it("are named at registration in the same words: a wrong type keyword reads as one issue listing the types", () => {
    expect(schemaProblems({ type: "objekt" })).toEqual([
      {
        path: "type",
        message: 'must be one of "array", "boolean", "integer", "null", "number", "object" or "string", or must be array',
      },
    ]);
    // A list with one wrong entry: the list is allowed, so the message points at the entry.
    expect(schemaProblems({ type: ["string", "nope"] })).toEqual([
      { path: "type.1", message: expect.stringMatching(/^must be one of "array", /) },
      {
        path: "type",
        message: expect.stringMatching(/^must be one of "array", .*, or else meet another alternative \(see type\.1\)$/),
      },
    ]);
    expect(schemaProblems({ $schema: "http://json-schema.org/draft-07/schema#" })).toEqual([
      { path: "$schema", message: 'must be "https://json-schema.org/draft/2020-12/schema"' },
    ]);
  });
});

describe("an example built from a schema", () => {
  it("holds the required properties with values their keywords accept, following local references", () => {
    const schema = {
      type: "object",
      required: ["id", "at", "amount", "currency", "lines", "customer"],
      properties: {
        id: { type: "string", minLength: 12 },
        at: { type: "string", format: "date-time" },
        amount: { type: "integer", minimum: 1, multipleOf: 5 },
        currency: { enum: ["EUR", "USD"] },
        lines: { type: "array", minItems: 2, items: { $ref: "#/$defs/line" } },
        customer: { allOf: [{ type: "object", required: ["email"], properties: { email: { type: "string", format: "email" } } }] },
        note: { type: "string" },
      },
      $defs: { line: { type: "object", required: ["qty"], properties: { qty: { type: "integer", exclusiveMinimum: 0 } } } },
    };
    const built = buildExample(schema);
    const example = built.ok ? built.payload : built;
    expect(compileSchema(schema).validate(example)).toEqual([]);
    expect(Object.keys(example as object).sort()).toEqual(["amount", "at", "currency", "customer", "id", "lines"]);
  });

  it("does not solve patterns: the caller's check against the schema catches that", () => {
    const schema = { type: "object", required: ["sku"], properties: { sku: { type: "string", pattern: "^SKU-[0-9]{4}$" } } };
    const built = buildExample(schema);
    expect(compileSchema(schema).validate(built.ok && built.payload)).toHaveLength(1);
  });
});

describe("the catalog as OpenAPI webhooks", () => {
  const type = (name: string, schema: Record<string, unknown>): EventTypeRecord => ({
    name,
    description: `about ${name}`,
    schema,
    archived: false,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
  });

  it("lets a generator write one payload type per event type, references included", async () => {
    const invoice = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      required: ["invoice", "line"],
      properties: { invoice: { type: "string" }, line: { $ref: "#/$defs/line" } },
      $defs: { line: { type: "object", required: ["qty"], properties: { qty: { type: "integer" } } } },
    };
    const document = withCatalog(openApiDocument(), [type("invoice.paid", invoice), type("stock:moved", { type: "object" })]);
    expect(Object.keys(document.webhooks as object)).toEqual(["invoice.paid", "stock:moved"]);
    const schemas = (document.components as { schemas: Record<string, { properties?: { line: unknown } }> }).schemas;
    expect(schemas["Event_invoice.paid"]?.properties?.line).toEqual({ $ref: "#/components/schemas/Event_invoice.paid.line" });
    const source = astToString(await openapiTS(document as never));
    expect(source).toMatch(
      /"Event_invoice\.paid": \{\s*invoice: string;\s*line: components\["schemas"\]\["Event_invoice\.paid\.line"\];\s*\};/,
    );
    expect(source).toMatch(/"Event_invoice\.paid\.line": \{\s*qty: number;\s*\};/);
    expect(source).toContain("Event_stock_moved");
    expect(source).toContain('"invoice.paid": {');
  });
});
