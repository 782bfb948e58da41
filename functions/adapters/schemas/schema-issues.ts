import type { ErrorObject } from "ajv/dist/2020.js";
import type { SchemaIssue } from "../../core/event-types/event-types.ts";
import { orList } from "../../core/kernel/words.ts";

/*
 * Ajv's errors in plain words, for a payload that does not match its type's schema and for a schema
 * registration refuses. Ajv says "must be equal to one of the allowed values" without the values,
 * and for `anyOf` lists each alternative's failure as if all were required, then "must match a
 * schema in anyOf": here the values are named, and the alternatives at one place read as one issue.
 */

/** Errors that only say a subschema failed: the subschema's own errors follow them. */
const WRAPPERS = new Set(["if", "propertyNames"]);

/** At most this many allowed values are named, each in at most VALUE_CHARS characters of JSON. */
const VALUES_SHOWN = 8;
const VALUE_CHARS = 80;

/** Ajv's errors as dotted paths (`items.0.amount`) and messages, each once. */
export function issuesOf(errors: ErrorObject[]): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const { error: e, message } of mergeAlternatives(errors)) {
    if (WRAPPERS.has(e.keyword)) continue;
    const issue = { path: placeOf(e), message };
    const key = JSON.stringify(issue);
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  }
  return issues;
}

/** The property at fault, when the error is about one the object has or lacks. */
function namedProperty(e: ErrorObject): string | undefined {
  const params = e.params as Record<string, unknown>;
  const named = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty ?? e.propertyName;
  return typeof named === "string" ? named : undefined;
}

/**
 * An `anyOf` (or a `oneOf` that none matched) failing at a place, with its alternatives failing at
 * that same place, becomes one message: "must be one of "a", "b", or must be array". Alternatives
 * that failed deeper (a property of an object alternative) stay issues of their own, and the
 * merged message points at them, so that it never reads as the whole list of what is allowed.
 *
 * Ajv (allErrors) reports a failed choice's alternatives as the run of errors just before the
 * choice's own, each under the choice's schema path: that run is read back from the choice, so a
 * payload of many failing items costs time linear in them. An inner choice comes before the outer
 * one it sits in, so its merged words reach the outer. (An alternative that is a `$ref` reports
 * under the referenced schema's path and ends the run: its errors stay apart, and the choice keeps
 * Ajv's own words.)
 */
function mergeAlternatives(errors: ErrorObject[]): { error: ErrorObject; message: string }[] {
  const absorbed = new Set<ErrorObject>();
  const merged = new Map<ErrorObject, string>();
  for (const [index, choice] of errors.entries()) {
    const passing = (choice.params as { passingSchemas?: unknown }).passingSchemas;
    if (choice.keyword !== "anyOf" && !(choice.keyword === "oneOf" && passing == null)) continue;
    const run: ErrorObject[] = [];
    for (let i = index - 1; i >= 0 && (errors[i] as ErrorObject).schemaPath.startsWith(`${choice.schemaPath}/`); i--) {
      const e = errors[i] as ErrorObject;
      if (!absorbed.has(e) && !WRAPPERS.has(e.keyword)) run.push(e);
    }
    run.reverse();
    const here = (e: ErrorObject) => e.instancePath === choice.instancePath && namedProperty(e) === undefined;
    const branches = run.filter(here);
    const deeper = firstPlaces(
      run.filter((e) => !here(e)),
      3,
    );
    for (const b of branches) absorbed.add(b);
    const said = [...new Set(branches.map((b) => merged.get(b) ?? messageOf(b)))];
    if (said.length === 0 && deeper.length > 0) said.push(`must meet one of its alternatives (see ${deeper.join(", ")})`);
    else if (deeper.length > 0) said.push(`else meet another alternative (see ${deeper.join(", ")})`);
    if (said.length > 0) merged.set(choice, said.join(", or "));
  }
  return errors.filter((e) => !absorbed.has(e)).map((error) => ({ error, message: merged.get(error) ?? messageOf(error) }));
}

/** The first `count` distinct places of `errors`, stopping once found. */
function firstPlaces(errors: ErrorObject[], count: number): string[] {
  const places = new Set<string>();
  for (const e of errors) {
    if (places.size === count) break;
    places.add(placeOf(e));
  }
  return [...places];
}

/** An error's place as a dotted path, the property it names included. */
function placeOf(e: ErrorObject): string {
  const segments = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const named = namedProperty(e);
  if (named !== undefined) segments.push(named);
  return segments.join(".");
}

function messageOf(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "required" || e.keyword === "dependentRequired") return "is required";
  if (e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties" || e.keyword === "false schema")
    return "is not allowed";
  if (e.keyword === "const") return `must be ${shown(params.allowedValue)}`;
  if (e.keyword === "enum" && Array.isArray(params.allowedValues)) return `must be one of ${listed(params.allowedValues)}`;
  if (e.propertyName !== undefined) return `name ${e.message ?? "is not valid"}`;
  return e.message ?? "is not valid";
}

/** "a", "b" or "c"; past VALUES_SHOWN, how many there are in all. */
function listed(values: unknown[]): string {
  const named = values.slice(0, VALUES_SHOWN).map(shown);
  if (values.length > VALUES_SHOWN) return `${named.join(", ")}, … (${values.length} values in all)`;
  return named.length === 0 ? "nothing" : orList(named);
}

/** A value as JSON, cut to VALUE_CHARS characters. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= VALUE_CHARS ? text : `${text.slice(0, VALUE_CHARS - 1)}…`;
}
