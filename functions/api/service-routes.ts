import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import * as v from "valibot";
import { json } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * The service's own routes: health and the API document. Both are public.
 */

/** GET /v1/health; `feedUrl` says where long polls go (null: this same URL) and `websocketUrl` where pushes are, so that clients and the console find the feed. */
export const healthRoute: Route = {
  method: "GET",
  path: "/v1/health",
  public: true,
  feed: true,
  doc: (R) => {
    DOC: return {
      operationId: "getHealth",
      tag: "Service",
      summary: "Health check",
      success: {
        status: 200,
        description: "The API answers",
        schema: R.Health,
        example: { status: "ok", feedUrl: null, websocketUrl: null },
      },
    };
  },
  handler: async (_e, _caller, deps) => json(200, { status: "ok", feedUrl: deps.feedUrl ?? null, websocketUrl: deps.websocketUrl ?? null }),
};

/** GET /v1/openapi.json: the document, unpacked from its generated copy on the first request. */
export const openApiRoute: Route = {
  method: "GET",
  path: "/v1/openapi.json",
  public: true,
  doc: () => {
    DOC: return {
      operationId: "getOpenApiDocument",
      tag: "Service",
      summary: "This document",
      success: { status: 200, description: "The OpenAPI 3.1 document of this API", schema: v.looseObject({ openapi: v.string() }) },
    };
  },
  handler: async () => {
    const served = await apiDocument();
    return { ...served, headers: { ...served.headers } };
  },
};

let document: Promise<APIGatewayProxyStructuredResultV2> | undefined;

/**
 * The API document, unpacked on its first request. `npm run openapi` generates it from the route
 * declarations into a gzipped copy (about 7 KB of bundle against 30 KB for the converter); a test
 * holds the copy equal to what the code generates.
 */
export function apiDocument(): Promise<APIGatewayProxyStructuredResultV2> {
  document ??= Promise.all([import("node:zlib"), import("./openapi/served-document.ts")]).then(([zlib, served]) => ({
    statusCode: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    body: zlib.gunzipSync(Buffer.from(served.DOCUMENT_GZIP_BASE64, "base64")).toString("utf8"),
  }));
  return document;
}
