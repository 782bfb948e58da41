/**
 * The shape of a draft 2020-12 schema, as a schema the validator itself checks registrations with.
 * The official meta-schema recurses through `$dynamicRef`, which the validator does not implement,
 * so this one recurses through `$ref: "#"` and covers the keywords the validator applies: core,
 * applicator, unevaluated, validation, meta-data, format-annotation and content. Unknown keywords
 * stay allowed, as the specification allows them.
 */

const schemaMap = { type: "object", additionalProperties: { $ref: "#" } };
const schemaList = { type: "array", minItems: 1, items: { $ref: "#" } };
const count = { type: "integer", minimum: 0 };
const stringList = { type: "array", items: { type: "string" }, uniqueItems: true };
const simpleTypes = { enum: ["array", "boolean", "integer", "null", "number", "object", "string"] };

/** A draft 2020-12 schema, recursively. */
export const META_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: ["object", "boolean"],
  properties: {
    $schema: { const: "https://json-schema.org/draft/2020-12/schema" },
    $id: { type: "string" },
    $ref: { type: "string" },
    $anchor: { type: "string" },
    $comment: { type: "string" },
    $defs: schemaMap,
    prefixItems: schemaList,
    items: { $ref: "#" },
    contains: { $ref: "#" },
    additionalProperties: { $ref: "#" },
    properties: schemaMap,
    patternProperties: { type: "object", additionalProperties: { $ref: "#" }, propertyNames: { format: "regex" } },
    dependentSchemas: schemaMap,
    propertyNames: { $ref: "#" },
    if: { $ref: "#" },
    // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited.
    then: { $ref: "#" },
    else: { $ref: "#" },
    allOf: schemaList,
    anyOf: schemaList,
    oneOf: schemaList,
    not: { $ref: "#" },
    unevaluatedItems: { $ref: "#" },
    unevaluatedProperties: { $ref: "#" },
    type: { anyOf: [simpleTypes, { type: "array", items: simpleTypes, minItems: 1, uniqueItems: true }] },
    enum: { type: "array" },
    multipleOf: { type: "number", exclusiveMinimum: 0 },
    maximum: { type: "number" },
    exclusiveMaximum: { type: "number" },
    minimum: { type: "number" },
    exclusiveMinimum: { type: "number" },
    maxLength: count,
    minLength: count,
    pattern: { type: "string", format: "regex" },
    maxItems: count,
    minItems: count,
    uniqueItems: { type: "boolean" },
    maxContains: count,
    minContains: count,
    maxProperties: count,
    minProperties: count,
    required: stringList,
    dependentRequired: { type: "object", additionalProperties: stringList },
    title: { type: "string" },
    description: { type: "string" },
    deprecated: { type: "boolean" },
    readOnly: { type: "boolean" },
    writeOnly: { type: "boolean" },
    examples: { type: "array" },
    format: { type: "string" },
    contentEncoding: { type: "string" },
    contentMediaType: { type: "string" },
    contentSchema: { $ref: "#" },
  },
} as const;
