import * as v from "valibot";
import type { FieldProblem } from "../kernel/errors.ts";
import { orList } from "../kernel/words.ts";

/*
 * How a refused request is worded: each problem names its field and says in plain words what is
 * wrong there. Valibot's own messages ("Invalid key: Expected never but received \"tenant\"") name
 * the library's types and leave the path empty when the whole value is wrong; callers read neither.
 * A check that carries its own message keeps it (validation.ts words those).
 */

/** Parse options that word every issue a schema leaves unworded in plain English. */
export const PLAIN: v.Config<v.BaseIssue<unknown>> = { message: plainMessage };

/**
 * Validates `input` with every problem worded plainly. An array is not an object here, though
 * valibot takes one for an object with no keys: `[]` would pass as an empty update.
 */
export function checked<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  whole = "body",
): { ok: true; output: v.InferOutput<S> } | { ok: false; problems: FieldProblem[] } {
  if (Array.isArray(input) && "entries" in schema) return { ok: false, problems: [{ path: whole, message: "must be a JSON object" }] };
  const result = v.safeParse(schema, input, PLAIN);
  return result.success ? { ok: true, output: result.output } : { ok: false, problems: describeIssues(result.issues, whole) };
}

/** The issues of a failed validation as problems; `whole` names the value when the issue is about all of it. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], whole = "body"): FieldProblem[] {
  return issues.map((issue) => ({ path: pathOf(issue, whole), message: issue.message }));
}

function pathOf(issue: v.BaseIssue<unknown>, whole: string): string {
  // A key with an empty name is shown as "" so that the path still names it.
  const keys = (issue.path ?? []).map((item) => (String(item.key) === "" ? '""' : String(item.key)));
  return keys.length === 0 ? whole : keys.join(".");
}

const TYPE_WORDS: Record<string, string> = {
  string: "must be a string",
  number: "must be a number",
  boolean: "must be true or false",
  array: "must be a list (a JSON array)",
  record: "must be a JSON object",
  object: "must be a JSON object",
  strict_object: "must be a JSON object",
  loose_object: "must be a JSON object",
  null: "must be null",
};

/** The plain words for an issue valibot would word itself. */
function plainMessage(issue: v.BaseIssue<unknown>): string {
  const requirement = issue.requirement as unknown;
  const noun = typeof issue.input === "string" ? "character" : "item";
  const size = requirement === 1 ? noun : `${noun}s`;
  switch (issue.type) {
    case "strict_object":
      // Unknown key: expected "never"; missing key: expected the key's name, received undefined.
      if (issue.kind === "schema" && issue.expected === "never") return "is not a field of this request";
      if (issue.kind === "schema" && (issue.path ?? []).length > 0 && issue.input === undefined) return "is required";
      return TYPE_WORDS.strict_object as string;
    case "literal":
    case "picklist":
      return `must be ${choices(issue.expected)}`;
    case "nullable":
      return "must be a value or null";
    case "integer":
      return "must be a whole number";
    case "min_length":
      return `must have at least ${requirement} ${size}`;
    case "max_length":
      return `must have at most ${requirement} ${size}`;
    case "min_value":
      return `must be at least ${requirement}`;
    case "max_value":
      return `must be at most ${requirement}`;
    default:
      if (issue.input === undefined && (issue.path ?? []).length > 0) return "is required";
      return TYPE_WORDS[issue.type] ?? "is not valid here";
  }
}

/** `("a" | "b" | "c")` as `"a", "b" or "c"`. */
function choices(expected: string | null): string {
  const options = (expected ?? "").replace(/^\(|\)$/g, "").split(" | ");
  return orList(options);
}
