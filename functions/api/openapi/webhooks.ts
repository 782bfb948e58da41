import type { EventTypeRecord } from "../../core/event-types/event-types.ts";

type Json = Record<string, unknown>;

/**
 * The catalog as an OpenAPI 3.1 `webhooks` section: one entry per type, a POST whose body is the
 * type's schema, with the Standard Webhooks headers. Each schema goes into `components.schemas`
 * under the type's name, its local `$ref`s rewritten to point there, so that a generator
 * (openapi-typescript, for one) names each payload type and resolves its references.
 */
export function withCatalog(document: Json, types: EventTypeRecord[]): Json {
  const components = (document.components ?? {}) as Json;
  const schemas: Json = { ...((components.schemas ?? {}) as Json) };
  const webhooks: Json = {};
  for (const type of types) {
    const key = componentKey(type.name);
    const { $id: _id, $schema: _schema, $defs, ...schema } = type.schema ?? {};
    // Each of the root's $defs becomes a component of its own, so that generators name it as a type
    // rather than show `$defs` as a property of the payload.
    const defs = Object.keys(isObject($defs) ? $defs : {});
    const rebase = (value: unknown) => rebased(value, key, defs);
    schemas[key] = rebase(schema);
    for (const name of defs) schemas[`${key}.${safe(name)}`] = rebase(($defs as Json)[name]);
    webhooks[type.name] = {
      post: {
        operationId: `receive_${key}`,
        summary: type.description,
        ...(type.archived && { deprecated: true }),
        parameters: HEADERS,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { $ref: `#/components/schemas/${key}` },
              ...(type.examples?.length && { example: type.examples[0] }),
            },
          },
        },
        responses: { "2XX": { description: "Received; any other status is retried" } },
      },
    };
  }
  return { ...document, webhooks, components: { ...components, schemas } };
}

/** A component name OpenAPI accepts (letters, digits, `.`, `-`, `_`) for a type's name. */
export function componentKey(name: string): string {
  return `Event_${safe(name)}`;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

const HEADERS = [
  { name: "webhook-id", description: "The event's `messageId`: the receiver's deduplication key" },
  { name: "webhook-timestamp", description: "Unix seconds when this attempt was signed" },
  { name: "webhook-signature", description: "`v1,<base64 HMAC-SHA256>` over `id.timestamp.body`, one per active secret" },
].map((h) => ({ ...h, in: "header", required: true, schema: { type: "string" } }));

/** The schema with each local `$ref` ("#..."), at any depth, pointing into the components instead. */
function rebased(value: unknown, key: string, defs: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => rebased(v, key, defs));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#") ? target(v, key, defs) : rebased(v, key, defs),
    ]),
  );
}

function target(ref: string, key: string, defs: string[]): string {
  const [, name, rest = ""] = /^#\/\$defs\/([^/]+)(.*)$/.exec(ref) ?? [];
  const def = name === undefined ? undefined : decodeURIComponent(name).replace(/~1/g, "/").replace(/~0/g, "~");
  if (def !== undefined && defs.includes(def)) return `#/components/schemas/${key}.${safe(def)}${rest}`;
  return `#/components/schemas/${key}${ref.slice(1)}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
