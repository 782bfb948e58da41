import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import type { PayloadValidator, SchemaIssue } from "../core/event-types.ts";
import { schemaHazards, walk } from "./schema-hazards.ts";
import { META_SCHEMA } from "./schema-meta.ts";

/*
 * The validator and what it needs, in a module of its own that json-schemas.ts imports only when a
 * schema is met: the API function's entry does not parse it on a cold start without one.
 */

const meta = new Validator(META_SCHEMA as unknown as Schema, "2020-12", false);

/** A schema's problems: not a draft 2020-12 schema, or a hazard to intake. None when it may be stored. */
export function schemaProblems(schema: Record<string, unknown>): SchemaIssue[] {
  const shape = meta.validate(schema);
  if (!shape.valid) return describe(shape.errors);
  return schemaHazards(schema);
}

/**
 * Compiles a checked schema; every error is reported (no short circuit), as paths into the value.
 * `format` stays an annotation, the draft 2020-12 default: the validator's own format checks are
 * regexes, and its `url` one backtracks exponentially (a 28-character string took 2.4 s), which
 * would let any producer stall intake.
 */
export function compileSchema(schema: Record<string, unknown>): PayloadValidator {
  const validator = new Validator(withoutFormats(schema) as Schema, "2020-12", false);
  return (value) => {
    const result = validator.validate(value);
    return result.valid ? [] : describe(result.errors);
  };
}

/** Errors that only say a subschema failed: the subschema's own errors follow them. */
const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "additionalProperties",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "unevaluatedItems",
  "$ref",
  "allOf",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "propertyNames",
]);

/** The validator's leaf errors as dotted paths (`items.0.amount`) and messages, each once. */
function describe(errors: OutputUnit[]): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const segments = e.instanceLocation
      .replace(/^#\/?/, "")
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
    const missing = e.keyword === "required" ? /property "(.*)"/.exec(e.error)?.[1] : undefined;
    if (missing !== undefined) segments.push(missing);
    const issue = { path: segments.join("."), message: e.keyword === "false" ? "is not allowed" : e.error };
    const key = JSON.stringify(issue);
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  }
  return issues;
}

/** A copy of the schema without its `format` keywords. */
function withoutFormats(schema: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(schema);
  walk(copy, [], (node) => {
    delete node.format;
  });
  return copy;
}
