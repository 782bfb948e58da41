import fc from "fast-check";

/**
 * JSON Schemas that ask the example builder for a lot: `minItems`, `minLength` and `required` with
 * small and huge counts (2,000, 3e6, 1e9, 1e300, fractions, negatives), nested arrays, objects,
 * `allOf`/`anyOf` combinations and `$ref`s back to the root or to `$defs` that refer to each other.
 * Every `$ref` names a place the root holds, so the schemas are valid draft 2020-12.
 */
const count = fc.oneof(
  fc.integer({ min: 0, max: 4 }),
  fc.integer({ min: 0, max: 300 }),
  fc.constantFrom(2_000, 10_001, 65_536, 3e6, 1e9, 1e300, 2.5, -1),
);

const { node } = fc.letrec<{ node: Record<string, unknown>; leaf: Record<string, unknown> }>((tie) => ({
  leaf: fc.oneof(
    fc.record({ type: fc.constant("string"), minLength: count }, { requiredKeys: ["type"] }),
    fc.record({ type: fc.constant("string"), format: fc.constantFrom("email", "uuid", "date-time") }),
    fc.record({ type: fc.constantFrom("integer", "number"), minimum: fc.integer({ min: -5, max: 1e9 }) }, { requiredKeys: ["type"] }),
    fc.constant({ type: "boolean" }),
    fc.record({ const: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ enum: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 3 }) }),
    fc.constantFrom({ $ref: "#" }, { $ref: "#/$defs/a" }, { $ref: "#/$defs/b" }),
  ),
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc.record({ type: fc.constant("array"), minItems: count, items: tie("node") }, { requiredKeys: ["type", "items"] }),
    fc.dictionary(fc.constantFrom("id", "lines", "note", "a/b", "~x"), tie("node"), { maxKeys: 4 }).chain((properties) =>
      fc.record({
        type: fc.constant("object"),
        properties: fc.constant(properties),
        required: fc.subarray([...Object.keys(properties), "absent"]),
      }),
    ),
    fc.record({ allOf: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ anyOf: fc.array(tie("node"), { minLength: 1, maxLength: 2 }) }),
  ),
}));

/** A root schema: a node, with `$defs` a and b that the nodes may refer to (and that may refer back). */
export const heavySchema: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(node, node, node)
  .map(([root, a, b]) => ({ ...root, $defs: { a, b } }));
