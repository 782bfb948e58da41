/**
 * A payload built from a schema, for a type that stores no example: the smallest value each keyword
 * asks for (required properties only, `minItems` items, the lower bound of a range, a sample of a
 * known `format`). It does not solve `pattern`, `not` or conflicting keywords; the caller checks the
 * result against the schema and asks for a stored example when it does not match.
 *
 * The schema is the catalog's, but what it asks for is unbounded (`minLength: 1e9`, nested
 * `minItems`, `required` lists reached again through `$ref`), so the builder works within a budget of
 * values and bytes, charged before each value is made: it stops at the first value that would go over
 * and says which keyword at which place of the schema asked for it. It never makes more than its
 * budget, and never walks the schema more than once per value it makes.
 */

import { EXAMPLE_BUDGET, type ExampleBudget } from "./example-budget.ts";

type Schema = Record<string, unknown>;

/** A built example, or where the budget ran out: `at` is a JSON pointer into the schema, `keyword` what asked for too much there. */
export type BuiltExample =
  | { ok: true; payload: unknown; used: ExampleBudget }
  | { ok: false; at: string; keyword: string; limit: keyof ExampleBudget; used: ExampleBudget };

/** Nesting beyond this builds nothing: a recursive schema's example stops here. */
const MAX_DEPTH = 16;

const FORMATS: Record<string, string> = {
  "date-time": "2026-01-01T00:00:00Z",
  date: "2026-01-01",
  time: "00:00:00Z",
  email: "user@example.com",
  uri: "https://example.com/",
  "uri-reference": "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
};

/** Keywords whose value is used as it stands, in this order of preference. */
const LITERALS = ["examples", "const", "default", "enum"] as const;

/** Thrown inside the builder to unwind at the first value over budget. */
class OverBudget {
  readonly at: string;
  readonly keyword: string;
  readonly limit: keyof ExampleBudget;
  constructor(at: string, keyword: string, limit: keyof ExampleBudget) {
    this.at = at;
    this.keyword = keyword;
    this.limit = limit;
  }
}

/** Which keyword at which place of the schema asked for a value: what is named when the value is over budget. */
interface Cause {
  at: string;
  keyword: string;
}

/** An example value for `schema`, whose local `$ref`s resolve against it, made within `budget`. */
export function buildExample(schema: unknown, budget: Readonly<ExampleBudget> = EXAMPLE_BUDGET): BuiltExample {
  const used: ExampleBudget = { nodes: 0, bytes: 0 };
  const refs = new Map<string, unknown>();
  const literalBytes = new WeakMap<object, number>();

  /** Fails when `nodes` more values and `bytes` more bytes would not fit; charges them when `charge`. */
  const take = (cause: Cause, nodes: number, bytes: number, charge = true) => {
    if (used.nodes + nodes > budget.nodes) throw new OverBudget(cause.at, cause.keyword, "nodes");
    if (used.bytes + bytes > budget.bytes) throw new OverBudget(cause.at, cause.keyword, "bytes");
    if (!charge) return;
    used.nodes += nodes;
    used.bytes += bytes;
  };

  const sizeOf = (value: unknown): number => {
    if (typeof value !== "object" || value === null) return Buffer.byteLength(JSON.stringify(value) ?? "null");
    // A literal of the schema (at most its size) may be placed many times: it is measured once.
    let size = literalBytes.get(value);
    if (size === undefined) {
      size = Buffer.byteLength(JSON.stringify(value) ?? "null");
      literalBytes.set(value, size);
    }
    return size;
  };

  const resolve = (ref: string): unknown => {
    // Resolved once per reference: a long pointer reached by every item is walked only once.
    if (!refs.has(ref)) refs.set(ref, pointerTarget(schema, ref));
    return refs.get(ref);
  };

  const build = (node: unknown, at: string, cause: Cause, depth: number, skipAllOf = false): unknown => {
    // Every visit is one value, whether or not it ends up in the payload: the budget bounds the walk too.
    take(cause, 1, 0);
    if (node === true) return scalar(cause, {});
    if (!isSchema(node) || depth > MAX_DEPTH) return scalar(cause, null);
    for (const keyword of LITERALS) {
      const value = literalOf(node, keyword);
      if (value !== undefined) {
        take({ at, keyword }, 0, sizeOf(value.value));
        return value.value;
      }
    }
    if (typeof node.$ref === "string") return build(resolve(node.$ref), node.$ref, { at, keyword: "$ref" }, depth + 1);
    if (!skipAllOf && Array.isArray(node.allOf)) {
      const via = { at, keyword: "allOf" };
      const parts = [build(node, at, via, depth + 1, true), ...node.allOf.map((s, i) => build(s, `${at}/allOf/${i}`, via, depth + 1))];
      const present = parts.filter((p) => p !== null);
      // Merged by defining properties: Object.assign would set the prototype from a literal's own `__proto__`.
      return present.some(isSchema) ? Object.fromEntries(present.filter(isSchema).flatMap(ownEntries)) : (present[0] ?? null);
    }
    for (const keyword of ["anyOf", "oneOf"]) {
      const options = node[keyword];
      if (Array.isArray(options) && options.length > 0) return build(options[0], `${at}/${keyword}/0`, { at, keyword }, depth + 1);
    }
    const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
    switch (type ?? (isSchema(node.properties) ? "object" : undefined)) {
      case "object": {
        const properties = isSchema(node.properties) ? node.properties : {};
        const required = Array.isArray(node.required) ? node.required.filter((n): n is string => typeof n === "string") : [];
        const via = { at, keyword: "required" };
        // Each property costs a value at least: refused before any is built when they cannot all fit.
        const nameBytes = required.reduce((sum, name) => sum + Buffer.byteLength(JSON.stringify(name)) + 2, 2);
        take(via, required.length, nameBytes + required.length, false);
        take(via, 0, nameBytes);
        // A required name the schema does not describe gets null, charged like any value.
        const entries = required.map((name) => {
          const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
          return [name, build(property, `${at}/properties/${pointerPart(name)}`, via, depth + 1)] as const;
        });
        return Object.fromEntries(entries);
      }
      case "array": {
        const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : [];
        const more = Math.max(0, count(node.minItems) - prefix.length);
        const items = prefix.length + more;
        // Checked before the first item, so `minItems: 3e6` allocates nothing: each item is a value and a byte at least.
        const via = { at, keyword: more > 0 ? "minItems" : "prefixItems" };
        take(via, items, 2 * items + 1, false);
        take(via, 0, Math.max(2, items + 1));
        const out: unknown[] = prefix.map((s, i) => build(s, `${at}/prefixItems/${i}`, via, depth + 1));
        const itemsAt = `${at}/items`;
        for (let i = 0; i < more; i++) out.push(build(node.items ?? {}, itemsAt, via, depth + 1));
        return out;
      }
      case "string": {
        // Own entries only: a `format` named `toString` or `constructor` is unknown, not Object.prototype's.
        const sample = (typeof node.format === "string" && Object.hasOwn(FORMATS, node.format) && FORMATS[node.format]) || "string";
        const length = Math.max(sample.length, count(node.minLength));
        // Charged before the string exists: `minLength: 1e9` is refused without allocating it.
        take({ at, keyword: length > sample.length ? "minLength" : "type" }, 0, length + 2);
        return length > sample.length ? sample.padEnd(length, "x") : sample;
      }
      case "integer":
      case "number":
        return scalar(cause, numberFor(node, type));
      case "boolean":
        return scalar(cause, true);
      default:
        return scalar(cause, null);
    }
  };

  const scalar = (cause: Cause, value: unknown): unknown => {
    take(cause, 0, Buffer.byteLength(JSON.stringify(value)));
    return value;
  };

  try {
    const payload = build(schema, "#", { at: "#", keyword: "schema" }, 0);
    return { ok: true, payload, used };
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    return { ok: false, at: error.at, keyword: error.keyword, limit: error.limit, used };
  }
}

/** The value of a literal keyword, wrapped so that a literal `undefined` is told apart from none. */
function literalOf(schema: Schema, keyword: (typeof LITERALS)[number]): { value: unknown } | undefined {
  if (keyword === "examples" || keyword === "enum") {
    const list = schema[keyword];
    return Array.isArray(list) && list.length > 0 ? { value: list[0] } : undefined;
  }
  return Object.hasOwn(schema, keyword) ? { value: schema[keyword] } : undefined;
}

function numberFor(schema: Schema, type: unknown): number {
  const low = "minimum" in schema ? number(schema.minimum, 0) : number(schema.exclusiveMinimum, -1) + 1;
  const step = number(schema.multipleOf, 0);
  const at = Math.max(low, "maximum" in schema ? Math.min(0, number(schema.maximum, 0)) : 0);
  return step > 0 ? Math.ceil(at / step) * step : type === "integer" ? Math.ceil(at) : at;
}

function pointerTarget(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/").filter(Boolean)) {
    const part = decodePart(raw);
    // Own members only: `#/constructor` or `#/__proto__` names nothing in a JSON schema.
    node = (isSchema(node) || Array.isArray(node)) && Object.hasOwn(node, part) ? (node as Schema)[part] : undefined;
  }
  return node;
}

function decodePart(raw: string): string {
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // A malformed escape is taken literally: the pointer then names nothing and builds null.
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

function pointerPart(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A whole, finite count from a schema keyword; anything else asks for none. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
}

function number(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** An object's own entries, an own `__proto__` included, as values. */
function ownEntries(value: Schema): [string, unknown][] {
  return Object.keys(value).map((key) => [key, Object.getOwnPropertyDescriptor(value, key)?.value]);
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
