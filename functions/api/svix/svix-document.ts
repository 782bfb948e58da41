import type { SvixRoute } from "./svix-route.ts";
import { IN_SCHEMAS, OUT_SCHEMAS } from "./svix-schemas.ts";

/** The error statuses any route may answer, as on /v1: bad request, key, access, missing, conflict, size, media type, limits, our dependencies. */
const ERRORS = [400, 401, 403, 404, 409, 413, 415, 429, 503];

/** The Svix face's OpenAPI 3.1 document, derived from its route table and shapes. */
export function svixDocument(routes: readonly SvixRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const content = (schema: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } });
    const error = (name: string) => ({ description: name, content: content(name) });
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.gap && { description: `Answers 501 for now: needs ${route.gap}.` }),
      ...(params.length > 0 && { parameters: params }),
      ...(route.body && { requestBody: { required: true, content: content(route.body) } }),
      ...(route.public ? { security: [] } : {}),
      responses: {
        ...Object.fromEntries(
          [route.success.status, route.success.also ?? route.success.status].map((status) => [
            String(status),
            { description: "Success", ...(route.success.schema && { content: content(route.success.schema) }) },
          ]),
        ),
        ...Object.fromEntries(ERRORS.map((status) => [String(status), error("HttpErrorOut")])),
        "422": error("HTTPValidationError"),
        ...(route.gap && { "501": error("HttpErrorOut") }),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "hookrelay: Svix-compatible API",
      version: "1",
      description:
        "The routes of Svix's API that hookrelay serves under /api/v1 (see docs/svix.md). Shapes from Svix's OpenAPI document at svix-webhooks v2.0.0-9-g4fc0cfb8b.",
    },
    components: {
      schemas: { ...OUT_SCHEMAS, ...IN_SCHEMAS },
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
