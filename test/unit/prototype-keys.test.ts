import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSchema, schemaProblems } from "../../functions/adapters/schemas/json-schema-engine.ts";
import { buildExample } from "../../functions/core/event-types/example-payload.ts";
import { checkPayloadLimits } from "../../functions/core/event-types/payload-limits.ts";
import { feedItems } from "../../functions/core/feed/items.ts";
import { endpointFixture } from "../support/fakes.ts";

/*
 * A payload is JSON from a tenant, and its keys may be named like Object.prototype's members. Code
 * that handles payloads must treat them as data: Ajv's equality (fast-deep-equal) once called a
 * payload's own `toString` and threw. The reference here compares canonical JSON text.
 */

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROTO_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) });

/** JSON values whose objects are built by defining properties, so an own `__proto__` is a key like any other. */
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: "json" },
    fc.constantFrom(null, true, false, 0, 1, "", "x"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  ),
})).value;

/** As the API receives it: parsed from text. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Canonical JSON text: keys sorted, own enumerable ones only. */
function canon(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canon).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canon(Object.getOwnPropertyDescriptor(value, k)?.value)}`)
    .join(",")}}`;
}
const same = (a: unknown, b: unknown) => canon(a) === canon(b);
const ownValue = (value: object, k: string) => Object.getOwnPropertyDescriptor(value, k)?.value;
const isObject = (value: unknown): value is object => typeof value === "object" && value !== null && !Array.isArray(value);

/** A matching pattern the linear engine runs, over prototype-like names. */
const PATTERN = "^(to|__|has|val|con)";
const matches = (k: string) => /^(to|__|has|val|con)/.test(k);

/** A schema with a reference verdict written without the validator. */
type Case = { schema: Record<string, unknown>; accepts: (payload: unknown) => boolean; samples: unknown[] };

const constCase = json.map((c): Case => ({ schema: { const: c }, accepts: (p) => same(p, c), samples: [c] }));
const enumCase = fc.array(json, { minLength: 1, maxLength: 3 }).map(
  (cs): Case => ({
    schema: { enum: cs },
    accepts: (p) => cs.some((c) => same(p, c)),
    samples: cs,
  }),
);
const objectCase = fc
  .record({
    properties: fc.array(fc.tuple(key, json), { maxLength: 3 }).map((e) => Object.fromEntries(e) as Record<string, unknown>),
    required: fc.uniqueArray(key, { maxLength: 2 }),
    allowed: fc.array(json, { minLength: 1, maxLength: 2 }),
  })
  .map(({ properties, required, allowed }): Case => {
    const names = Object.keys(properties);
    const schema = {
      type: "object",
      required,
      properties: Object.fromEntries(names.map((k) => [k, { const: ownValue(properties, k) }])),
      patternProperties: { [PATTERN]: { enum: allowed } },
    };
    const accepts = (p: unknown) =>
      isObject(p) &&
      required.every((k) => Object.hasOwn(p, k)) &&
      names.every((k) => !Object.hasOwn(p, k) || same(ownValue(p, k), ownValue(properties, k))) &&
      Object.keys(p).every((k) => !matches(k) || allowed.some((a) => same(ownValue(p, k), a)));
    // Payloads near the schema: its own constants under its names, and the allowed values under prototype names.
    const near = Object.fromEntries([
      ...names.map((k) => [k, ownValue(properties, k)] as const),
      ...required.filter((k) => !names.includes(k)).map((k) => [k, allowed[0]] as const),
    ]);
    return { schema, accepts, samples: [near, properties] };
  });

describe("payload keys named like Object.prototype members", () => {
  it("const, enum, required, properties and patternProperties give the reference verdict, never a throw (generated)", () => {
    fc.assert(
      fc.property(fc.oneof(constCase, enumCase, objectCase), fc.array(json, { maxLength: 3 }), (c, others) => {
        const schema = wire(c.schema) as Record<string, unknown>;
        expect(schemaProblems(schema)).toEqual([]);
        const { validate } = compileSchema(schema);
        for (const payload of [...c.samples, ...others].map(wire)) {
          const issues = validate(payload);
          expect(issues.length === 0).toBe(c.accepts(payload));
          for (const issue of issues) expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("says where a nested const or enum fails, naming the values it takes", () => {
    const { validate } = compileSchema({ properties: { toString: { const: { valueOf: 1 } }, constructor: { enum: [{}, []] } } });
    expect(validate(wire({ toString: { valueOf: 1 }, constructor: {} }))).toEqual([]);
    expect(validate(JSON.parse('{"toString":{"valueOf":2},"constructor":{"__proto__":{}}}'))).toEqual([
      { path: "toString", message: 'must be {"valueOf":1}' },
      { path: "constructor", message: "must be one of {} or []" },
    ]);
  });

  it("a $ref naming a prototype member or a malformed escape is refused at registration, never a throw (generated)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTO_NAMES, "%", "%E0%A4%A", "a%"), (name) => {
        expect(schemaProblems({ properties: { a: { $ref: `#/${name}` } } })).toEqual([
          { path: "properties.a.$ref", message: expect.stringMatching(/does not resolve|not a valid JSON pointer/) },
        ]);
      }),
    );
  });

  it("uniqueItems in a stored schema tells equal items from different ones by their JSON (generated)", () => {
    const { validate } = compileSchema({ uniqueItems: true });
    fc.assert(
      fc.property(fc.array(json, { maxLength: 5 }), (items) => {
        const payload = wire(items) as unknown[];
        const distinct = new Set(payload.map(canon)).size === payload.length;
        expect(validate(payload).length === 0).toBe(distinct);
      }),
      { numRuns: 300 },
    );
  });

  it("payload limits, feed items and the example builder keep such keys as data (generated)", () => {
    const endpoint = endpointFixture({ id: "ep_1" });
    fc.assert(
      fc.property(json, fc.constantFrom(...PROTO_NAMES), (value, name) => {
        const payload = wire(value);
        const limits = checkPayloadLimits(payload);
        expect(limits).toEqual({ body: JSON.stringify(payload) });
        const body = JSON.stringify(payload);
        const [item] = feedItems(
          [{ id: "fi_1", eventId: "evt_1", eventType: "t", timestamp: "2026-11-01T00:00:00.000Z", body }],
          endpoint,
          new Date(),
        );
        expect(canon(item?.payload)).toBe(canon(payload));
        // A literal, a `format` and a `$ref` named like prototype members, merged through allOf.
        const schema = wire({ allOf: [{ const: value }, { type: "string", format: name }, { $ref: `#/${name}` }] });
        const built = buildExample(schema);
        expect(built.ok).toBe(true);
        if (built.ok) expect(canon(JSON.parse(JSON.stringify(built.payload)))).toBe(canon(built.payload));
        const example = buildExample(wire({ type: "string", format: name }));
        expect(example.ok && typeof example.payload === "string").toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
