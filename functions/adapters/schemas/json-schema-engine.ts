import { Ajv2020, type Options, type ValidateFunction } from "ajv/dist/2020.js";
import type { PayloadValidator, SchemaIssue } from "../../core/event-types/event-types.ts";
import { useJsonEquality } from "./json-equality.ts";
import { compilePattern, type LinearPattern, PatternWorkExceededError, withPatternBudget } from "./linear-patterns.ts";
import { schemaHazards, walk } from "./schema-hazards.ts";
import { issuesOf } from "./schema-issues.ts";
import { META_SCHEMA } from "./schema-meta.ts";

/*
 * The validator and what it needs, in a module of its own that json-schemas.ts imports only when a
 * schema is met: the API function's entry does not parse it on a cold start without one.
 *
 * Ajv (draft 2020-12) compiles each schema to a function; every `pattern`, `patternProperties`
 * name and `propertyNames` pattern it meets goes through `code.regExp`, here the linear engine
 * (linear-patterns.ts), so no payload string ever reaches a backtracking RegExp. `format` stays an
 * annotation, the draft 2020-12 default: format checks are regexes of their own (one `url` check
 * we tried backtracked 2.4 s on 28 characters), and none runs. `const`, `enum` and `uniqueItems`
 * compare JSON values only (json-equality.ts), whatever a payload's keys are called.
 */

const OPTIONS: Options = {
  allErrors: true,
  strict: false,
  validateFormats: false,
  // A payload's `constructor` or `toString` is its own property or absent, never Object.prototype's.
  ownProperties: true,
  // Registration checks schemas against META_SCHEMA; Ajv's own meta-schemas are not compiled.
  meta: false,
  validateSchema: false,
  // Schemas are the admin's, but what they hold must not reach the logs through Ajv's warnings.
  logger: false,
};

/** The meta-schema's validator, compiled on the first registration (about 40 ms): intake never needs it. */
let meta: ValidateFunction | undefined;

/** A schema's problems: not a draft 2020-12 schema, a hazard to intake, or one the validator cannot compile. None when it may be stored. */
export function schemaProblems(schema: Record<string, unknown>): SchemaIssue[] {
  meta ??= useJsonEquality(new Ajv2020({ ...OPTIONS, code: { regExp: linearRegExp(new Map()) } })).compile(META_SCHEMA);
  if (!meta(schema)) return issuesOf(meta.errors ?? []);
  const hazards = schemaHazards(schema);
  if (hazards.length > 0) return hazards;
  try {
    compileSchema(schema);
    return [];
  } catch (error) {
    return [{ path: "", message: `cannot be compiled: ${error instanceof Error ? error.message : String(error)}` }];
  }
}

/** A compiled schema, and the patterns it leaves out because the linear engine cannot run them. */
export interface CompiledSchema {
  validate: PayloadValidator;
  /** Where a stored schema holds a pattern registration now refuses: it is not checked (see docs/api.md, Event types). */
  skipped: SchemaIssue[];
}

/**
 * Compiles a schema; every error is reported (no short circuit), as paths into the value. A
 * pattern the linear engine refuses can only be in a schema stored before it: that `pattern` is
 * not checked and that `patternProperties` entry is left out, and `skipped` says where, so that
 * intake never falls back to a backtracking engine nor fails on a stored type.
 */
export function compileSchema(schema: Record<string, unknown>): CompiledSchema {
  const patterns = new Map<string, LinearPattern>();
  const skipped: SchemaIssue[] = [];
  const runnable = structuredClone(schema);
  walk(runnable, [], (node, path) => {
    const at = (key: string) => [...path, key].join(".");
    const runs = (pattern: string, where: string) => {
      const compiled = compilePattern(pattern);
      if ("refused" in compiled) skipped.push({ path: where, message: compiled.refused });
      else patterns.set(pattern, compiled);
      return !("refused" in compiled);
    };
    delete node.format;
    // Only the root may carry `$id`, and every `$ref` is a JSON pointer (schema-hazards.ts): neither
    // names anything here, and Ajv refuses duplicate anchors that older schemas may hold.
    delete node.$id;
    delete node.$anchor;
    if (typeof node.pattern === "string" && !runs(node.pattern, at("pattern"))) delete node.pattern;
    if (isObject(node.patternProperties)) {
      const entries = node.patternProperties;
      for (const key of Object.keys(entries)) if (!runs(key, at(`patternProperties.${key}`))) delete entries[key];
    }
  });
  const check = useJsonEquality(new Ajv2020({ ...OPTIONS, code: { regExp: linearRegExp(patterns) } })).compile(runnable);
  const validate: PayloadValidator = (value) => {
    try {
      const { result } = withPatternBudget(value, () => check(value));
      return result ? [] : issuesOf(check.errors ?? []);
    } catch (error) {
      if (!(error instanceof PatternWorkExceededError)) throw error;
      return [
        { path: pathOf(value, error.text), message: "is too long to check against the schema's patterns (see docs/api.md, Event types)" },
      ];
    }
  };
  return { validate, skipped };
}

/**
 * Ajv's `code.regExp`: the linear engine for each pattern. Ajv shares one compiled pattern per
 * `toString()`, so that names the pattern. A pattern the engine refuses never gets here (it is
 * removed above, or refused at registration); if one did, compiling throws, never a backtracking
 * fallback.
 */
function linearRegExp(patterns: Map<string, LinearPattern>) {
  const engine = (pattern: string) => {
    const compiled = patterns.get(pattern) ?? compilePattern(pattern);
    if ("refused" in compiled) throw new Error(`pattern ${JSON.stringify(pattern)} ${compiled.refused}`);
    patterns.set(pattern, compiled);
    return { test: (text: string) => compiled.test(text), toString: () => `linear:${JSON.stringify(pattern)}` };
  };
  // Only read when Ajv writes standalone code, which this does not; Ajv requires it to be set.
  return Object.assign(engine, { code: "linearPattern" });
}

/** Where `text` is in `value` (a string or a property name), as a dotted path; "" when it is the value. */
function pathOf(value: unknown, text: string): string {
  const stack: [unknown, string[]][] = [[value, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string[]];
    if (node === text) return path.join(".");
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) stack.push([item, [...path, String(i)]]);
    } else if (isObject(node)) {
      for (const [key, item] of Object.entries(node)) {
        if (key === text) return [...path, key].join(".");
        stack.push([item, [...path, key]]);
      }
    }
  }
  return "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
