/**
 * A payload built from a schema, for a type that stores no example: the smallest value each keyword
 * asks for (required properties only, `minItems` items, the lower bound of a range, a sample of a
 * known `format`). It does not solve `pattern`, `not` or conflicting keywords; the caller checks the
 * result against the schema and asks for a stored example when it does not match.
 */

type Schema = Record<string, unknown>;

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

/** An example value for `schema`, whose local `$ref`s resolve against `root`. */
export function examplePayload(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (schema === true) return {};
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ("const" in schema) return schema.const;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const next = (s: unknown) => examplePayload(s, root, depth + 1);
  if (typeof schema.$ref === "string") return next(resolve(root, schema.$ref));
  if (Array.isArray(schema.allOf)) {
    const parts = [withoutAllOf(schema), ...schema.allOf].map(next).filter((p) => p !== null);
    return parts.some(isSchema) ? Object.assign({}, ...parts.filter(isSchema)) : (parts[0] ?? null);
  }
  for (const key of ["anyOf", "oneOf"]) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return next(options[0]);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (isSchema(schema.properties) ? "object" : undefined)) {
    case "object": {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(required.map((name) => [name, name in properties ? next(properties[name]) : null]));
    }
    case "array": {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.map(next) : [];
      const more = Math.max(0, number(schema.minItems, 0) - prefix.length);
      return [...prefix, ...Array.from({ length: more }, () => next(schema.items ?? {}))];
    }
    case "string": {
      const sample = FORMATS[String(schema.format)] ?? "string";
      return sample.length >= number(schema.minLength, 0) ? sample : sample.padEnd(number(schema.minLength, 0), "x");
    }
    case "integer":
    case "number": {
      const low = "minimum" in schema ? number(schema.minimum, 0) : number(schema.exclusiveMinimum, -1) + 1;
      const step = number(schema.multipleOf, 0);
      const at = Math.max(low, "maximum" in schema ? Math.min(0, number(schema.maximum, 0)) : 0);
      return step > 0 ? Math.ceil(at / step) * step : type === "integer" ? Math.ceil(at) : at;
    }
    case "boolean":
      return true;
    default:
      return null;
  }
}

function resolve(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/").filter(Boolean)) {
    node =
      isSchema(node) || Array.isArray(node) ? (node as Schema)[decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  return node;
}

function withoutAllOf(schema: Schema): Schema {
  const { allOf: _allOf, ...rest } = schema;
  return rest;
}

function number(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
