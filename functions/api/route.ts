import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type * as v from "valibot";
import type { Authenticator } from "../core/access/api-keys.ts";
import type { Principal } from "../core/access/principal.ts";
import type { ApiErrorCode } from "../core/kernel/errors.ts";
import type { ApiDeps } from "./api-deps.ts";
import type * as Responses from "./openapi/response-schemas.ts";

/*
 * One route, declared once: the router serves it (routes.ts lists every declaration) and the API
 * document describes it (openapi/document.ts). Its access is a runtime fact the router enforces; its
 * `doc` is read only by the document's builder, which passes in the answer schemas, so a route
 * module does not load them, and the bundles drop its text.
 */

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A parameter: its schema is a valibot schema the route parses with, or JSON Schema where the route checks by hand. */
export interface Parameter {
  name: string;
  in: "query" | "header";
  description: string;
  schema: v.GenericSchema | Record<string, unknown>;
}

/** What the API document says of a route beyond its method, path and access. Error responses are derived from these facts. */
export interface RouteDoc {
  operationId: string;
  tag: "Endpoints" | "Events" | "Event types" | "API keys" | "Tenants" | "Portal" | "Service";
  summary: string;
  description?: string;
  /** Names a tenant: a tenant key naming another one answers 403. */
  namesTenant?: boolean;
  parameters?: Parameter[];
  /** The JSON body the route parses with this schema; `optional` when an empty body is allowed. */
  body?: { schema: v.GenericSchema; optional?: boolean; example?: unknown };
  success: { status: number; description: string; schema?: v.GenericSchema; example?: unknown; headers?: Record<string, string> };
  /** Errors beyond the ones every route of its kind answers. */
  errors?: ApiErrorCode[];
}

/** A route as declared. */
export interface Route {
  method: Method;
  path: string;
  /** No key needed (the handler gets no caller it can trust). */
  public?: true;
  /** Only the admin key may call it: what it does, for the 403 ("Only the admin key may ..."). */
  admin?: string;
  /** A portal session may call it too (narrowed to its tenant and endpoints, see portal-routes.ts). */
  portal?: true;
  /** The feed function (API_ROUTES=feed) answers it too. */
  feed?: true;
  /**
   * Its entry in the API document; `R` is openapi/response-schemas.ts. Written `DOC: return {...}`:
   * the Lambda bundles drop statements labelled DOC (lib/dispatcher-function.ts), so the text costs
   * no cold start; only the document's builder, the tests and `npm run openapi` call it.
   */
  doc: (R: typeof Responses) => RouteDoc;
  /** `deps` is the API's own object, read at each request (never a copy); `authenticator` checks and signs keys and sessions. */
  handler: (
    event: APIGatewayProxyEventV2,
    caller: Principal,
    deps: ApiDeps,
    authenticator: () => Promise<Authenticator>,
  ) => Promise<APIGatewayProxyStructuredResultV2>;
}

/** A route with its ports bound: what the router calls. */
export interface ServedRoute {
  method: Method;
  path: string;
  handler: (event: APIGatewayProxyEventV2, caller: Principal) => Promise<APIGatewayProxyStructuredResultV2>;
}

/** `GET /v1/health`: how a route is named in sets, logs and tests. */
export const routeKey = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
