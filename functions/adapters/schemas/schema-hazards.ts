import type { SchemaIssue } from "../../core/event-types/event-types.ts";
import { compilePattern } from "./linear-patterns.ts";
import { MAX_CHECKS_PER_VALUE, MAX_SCHEMA_PROGRAM, MAX_SCHEMA_REFS } from "./schema-limits.ts";

/**
 * What a stored schema may not do to intake, which runs it on every event of its type: reach
 * outside itself, loop without consuming the payload, or hold a pattern the linear engine cannot
 * run (or that compiles too large). Checked once, at registration; the validator then runs the
 * schema as it is.
 */

/** Keywords whose value is one subschema, and those whose value is a list or a map of them. */
const ONE = ["items", "contains", "additionalProperties", "propertyNames", "if", "then", "else", "not"];
const ONE_MORE = ["unevaluatedItems", "unevaluatedProperties", "contentSchema"];
const LIST = ["prefixItems", "allOf", "anyOf", "oneOf"];
const MAP = ["$defs", "properties", "patternProperties", "dependentSchemas"];
/** Applicators that look at the same value, not into it: a cycle through only these never ends. */
const IN_PLACE_ONE = ["not", "if", "then", "else"];
const IN_PLACE_LIST = ["allOf", "anyOf", "oneOf"];
/** Keywords refused rather than run: the loop and fan-out checks below do not follow them. */
const UNSUPPORTED = ["$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"];

type Node = Record<string, unknown>;

/** The hazards in a schema already known to be a well-formed draft 2020-12 schema; none when it is safe to run. */
export function schemaHazards(root: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const refs: [Node, string][] = [];
  // Each distinct pattern is compiled once, and `compiled` counts its instructions, a refused one's
  // included: past the schema's budget, compiling more (up to about 13 ms each) would only spend
  // the registration's time on a refusal already certain.
  const refusals = new Map<string, string | undefined>();
  let compiled = 0;
  const patternIssues = (pattern: string, path: string): SchemaIssue[] => {
    if (!refusals.has(pattern) && compiled <= MAX_SCHEMA_PROGRAM) {
      const result = compilePattern(pattern);
      compiled += result.size;
      refusals.set(pattern, "refused" in result ? result.refused : undefined);
    }
    const refused = refusals.get(pattern);
    return refused === undefined ? [] : [{ path, message: refused }];
  };
  walk(root, [], (node, path) => {
    const at = (key: string) => [...path, key].join(".");
    for (const key of UNSUPPORTED) if (key in node) issues.push({ path: at(key), message: `${key} is not supported` });
    if (path.length > 0 && "$id" in node) issues.push({ path: at("$id"), message: "only the root may carry $id" });
    // The validator compares every pair of items (unless their type is a scalar), whatever maxItems says: a long array would stall intake.
    if (node.uniqueItems === true)
      issues.push({ path: at("uniqueItems"), message: "is not supported: its check is quadratic in the array's length" });
    if (typeof node.pattern === "string") issues.push(...patternIssues(node.pattern, at("pattern")));
    if (isObject(node.patternProperties)) {
      for (const key of Object.keys(node.patternProperties)) issues.push(...patternIssues(key, at(`patternProperties.${key}`)));
    }
    if (typeof node.$ref === "string") {
      const target = resolve(root, node.$ref);
      if (typeof target === "string") issues.push({ path: at("$ref"), message: target });
      else refs.push([node, at("$ref")]);
    }
  });
  if (refs.length > MAX_SCHEMA_REFS) issues.push({ path: "", message: `must hold at most ${MAX_SCHEMA_REFS} $ref` });
  if (compiled > MAX_SCHEMA_PROGRAM) {
    issues.push({ path: "", message: `its patterns compile to over ${MAX_SCHEMA_PROGRAM} RE2 instructions together` });
  }
  if (issues.length === 0) issues.push(...loops(root, refs));
  return issues;
}

/** Calls `visit` on every subschema that is an object, with its path from the root. */
export function walk(schema: unknown, path: string[], visit: (node: Node, path: string[]) => void): void {
  if (!isObject(schema)) return;
  visit(schema, path);
  for (const key of [...ONE, ...ONE_MORE]) walk(schema[key], [...path, key], visit);
  for (const key of LIST) {
    const list = schema[key];
    if (Array.isArray(list)) {
      for (const [i, s] of list.entries()) walk(s, [...path, key, String(i)], visit);
    }
  }
  for (const key of MAP) {
    const map = schema[key];
    if (isObject(map)) for (const [name, s] of Object.entries(map)) walk(s, [...path, key, name], visit);
  }
}

/** A local reference's target, or why it is refused. */
function resolve(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return "only references inside the schema (#/...) are allowed";
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return `${ref} is not a valid JSON pointer`;
    }
    // Own members only: `#/constructor` names nothing in a schema, whatever Object.prototype holds.
    if ((!isObject(node) && !Array.isArray(node)) || !Object.hasOwn(node, token)) return `${ref} does not resolve`;
    node = (node as Record<string, unknown>)[token];
  }
  return node === undefined ? `${ref} does not resolve` : node;
}

/** Refs that lead back to where they started without looking into the value: validating would never end. */
function loops(root: unknown, refs: [Node, string][]): SchemaIssue[] {
  const state = new Map<unknown, "open" | "done">();
  const inPlace = (node: Node): unknown[] => [
    ...IN_PLACE_ONE.map((k) => node[k]),
    ...IN_PLACE_LIST.flatMap((k) => (Array.isArray(node[k]) ? (node[k] as unknown[]) : [])),
    ...(isObject(node.dependentSchemas) ? Object.values(node.dependentSchemas) : []),
    ...(typeof node.$ref === "string" ? [resolve(root, node.$ref)] : []),
  ];
  const cycles = (node: unknown): boolean => {
    if (!isObject(node) || state.get(node) === "done") return false;
    if (state.get(node) === "open") return true;
    state.set(node, "open");
    const found = inPlace(node).some(cycles);
    state.set(node, "done");
    return found;
  };
  const looping = refs.find(([node]) => cycles(node));
  if (looping) return [{ path: looping[1], message: "this reference loops back without reaching into the value" }];
  // Without loops the in-place graph is acyclic, but references can still fan out: a chain of
  // `anyOf: [{$ref: next}, {$ref: next}]` checks one value 2^n times. Count the checks per value.
  const checks = new Map<unknown, number>();
  const count = (node: unknown): number => {
    if (!isObject(node)) return 1;
    let n = checks.get(node);
    if (n === undefined) {
      n = Math.min(MAX_CHECKS_PER_VALUE + 1, 1 + inPlace(node).reduce((sum: number, child) => sum + count(child), 0));
      checks.set(node, n);
    }
    return n;
  };
  const fanning =
    refs.find(([node]) => count(node) > MAX_CHECKS_PER_VALUE) ?? (count(root) > MAX_CHECKS_PER_VALUE ? [root, ""] : undefined);
  return fanning
    ? [{ path: fanning[1] as string, message: `checks one value more than ${MAX_CHECKS_PER_VALUE} times through its references` }]
    : [];
}

function isObject(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
