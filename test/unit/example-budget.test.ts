import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXAMPLE_BUDGET, type ExampleBudget } from "../../functions/core/event-types/example-budget.ts";
import { buildExample } from "../../functions/core/event-types/example-payload.ts";
import { heavySchema } from "../support/schema-arbitrary.ts";

/** The keywords that can ask the builder for values: what a refusal may name. */
const EXPANDING = new Set([
  "schema",
  "minItems",
  "prefixItems",
  "minLength",
  "type",
  "required",
  "$ref",
  "allOf",
  "anyOf",
  "oneOf",
  "examples",
  "const",
  "default",
  "enum",
]);

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? "");

/** The schema object a JSON pointer of the builder names, or undefined. */
function at(schema: unknown, pointer: string): unknown {
  let node = schema;
  for (const part of pointer.slice(2).split("/").filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

function within(used: ExampleBudget, budget: ExampleBudget) {
  expect(used.nodes).toBeLessThanOrEqual(budget.nodes);
  expect(used.bytes).toBeLessThanOrEqual(budget.bytes);
}

describe("the example builder's budget", () => {
  it("never makes more values or bytes than its budget, and counts every byte it makes, whatever the schema asks", () => {
    const budget = fc.record({ nodes: fc.integer({ min: 1, max: 400 }), bytes: fc.integer({ min: 1, max: 6_000 }) });
    fc.assert(
      fc.property(heavySchema, budget, (schema, limits) => {
        const built = buildExample(schema, limits);
        within(built.used, limits);
        if (built.ok) {
          // What was charged is an upper bound of what was made: the payload's JSON is no larger.
          expect(jsonBytes(built.payload)).toBeLessThanOrEqual(built.used.bytes);
        } else {
          expect(EXPANDING.has(built.keyword)).toBe(true);
          // The refusal names a place the schema has.
          expect(at(schema, built.at)).toBeTypeOf("object");
        }
      }),
      { numRuns: 400 },
    );
  });

  it("at the default budget, gives a payload within it or says where the schema asked for more", () => {
    fc.assert(
      fc.property(heavySchema, (schema) => {
        const built = buildExample(schema);
        within(built.used, EXAMPLE_BUDGET);
        if (built.ok) expect(jsonBytes(built.payload)).toBeLessThanOrEqual(EXAMPLE_BUDGET.bytes);
      }),
      { numRuns: 150 },
    );
  });

  it("refuses the reported schemas before making what they ask for, naming the keyword and its place", () => {
    const nested = { type: "array", minItems: 2000, items: { type: "array", minItems: 2000, items: { type: "string" } } };
    const cases: [unknown, string, string][] = [
      [{ type: "string", minLength: 1e9 }, "#", "minLength"],
      [{ type: "array", minItems: 3e6 }, "#", "minItems"],
      [{ type: "object", required: ["big"], properties: { big: nested } }, "#/properties/big/items", "minItems"],
      [{ type: "object", required: Array.from({ length: 20_000 }, (_, i) => `p${i}`) }, "#", "required"],
      // $ref recursion that fans out: four required children per level, 4^8 values at the depth limit.
      [
        {
          $ref: "#/$defs/n",
          $defs: {
            n: {
              type: "object",
              required: [..."abcd"],
              properties: Object.fromEntries([..."abcd"].map((k) => [k, { $ref: "#/$defs/n" }])),
            },
          },
        },
        "#/$defs/n",
        "required",
      ],
      // 5.5 MB of JSON, as in the report: a thousand strings of 5,500 characters.
      [{ type: "array", minItems: 1000, items: { type: "string", minLength: 5500 } }, "#/items", "minLength"],
    ];
    for (const [schema, place, keyword] of cases) {
      const built = buildExample(schema);
      expect(built).toMatchObject({ ok: false, keyword });
      if (!built.ok) expect(built.at).toBe(place);
      within(built.used, EXAMPLE_BUDGET);
    }
  });

  it("counts every $ref it follows as a value, and places a large literal by its measured size", () => {
    const schema = { type: "array", minItems: 50, items: { $ref: "#/$defs/d" }, $defs: { d: { type: "integer" } } };
    // The array, 50 references and the 50 integers they lead to.
    expect(buildExample(schema)).toMatchObject({ ok: true, used: { nodes: 101 } });
    const literal = { const: { text: "x".repeat(60_000) } };
    const many = buildExample({ type: "array", minItems: 10, items: literal });
    expect(many).toMatchObject({ ok: false, keyword: "const", limit: "bytes" });
    within(many.used, EXAMPLE_BUDGET);
  });
});
