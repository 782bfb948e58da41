import type { EventTypeRecord } from "../../core/event-types.ts";

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
    const { $id: _id, $schema: _schema, ...schema } = type.schema ?? {};
    schemas[key] = rebase(schema, `#/components/schemas/${key}`);
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

/** A component name OpenAPI accepts (letters, digits, `.`, `-`, `_`), distinct per type name. */
export function componentKey(name: string): string {
  return `Event_${name.replace(/:/g, "_")}`;
}

const HEADERS = [
  { name: "webhook-id", description: "The event's id: the receiver's deduplication key" },
  { name: "webhook-timestamp", description: "Unix seconds when this attempt was signed" },
  { name: "webhook-signature", description: "`v1,<base64 HMAC-SHA256>` over `id.timestamp.body`, one per active secret" },
].map((h) => ({ ...h, in: "header", required: true, schema: { type: "string" } }));

/** The schema with each local `$ref` ("#..."), at any depth, moved under `base`. */
function rebase(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rebase(v, base));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#") ? base + v.slice(1) : rebase(v, base),
    ]),
  );
}
