import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { orList } from "../core/kernel/words.ts";

/*
 * The API's routing, in place of @middy/http-router, with its rules: a route's path matches with or
 * without one trailing slash, `{name}` matches one segment and becomes event.pathParameters.name,
 * routes without parameters are looked up first, the others tried in order. Beyond those: HEAD
 * reaches GET's route, and a path served with other methods only is a 405 naming them, not a 404.
 * @middy/http-router
 * reached @middy/util, which imports STATUS_CODES from node:http as an ES module; that builds a
 * facade of every node:http export, whose lazy WebSocket export loads Node's bundled undici: about
 * 12 ms of every API cold start (docs/performance.md), for one status text.
 */

type Answer = APIGatewayProxyStructuredResultV2 | Promise<APIGatewayProxyStructuredResultV2>;

/** A route the router dispatches to: its method, its path (`/v1/endpoints/{id}`) and its handler. */
export interface RouterEntry {
  method: string;
  path: string;
  handler(event: APIGatewayProxyEventV2): Answer;
}

/** No route matches the request: the error answers read its statusCode (404), as they read @middy/http-router's. */
export class RouteNotFoundError extends Error {
  readonly statusCode = 404;
  readonly status = 404;
  readonly expose = true;

  constructor(method: string, path: string) {
    super("Route does not exist", { cause: { package: "hookrelay-router", data: { method, path } } });
    this.name = "NotFoundError";
  }
}

/** The path is served, but not with this method: answered 405, with an Allow header naming the methods that are. */
export class MethodNotAllowedError extends Error {
  readonly statusCode = 405;
  readonly status = 405;
  readonly expose = true;
  /** The methods the path is served with (HEAD wherever GET is), in the order GET, HEAD, POST, PUT, PATCH, DELETE, then others. */
  readonly allowed: readonly string[];

  constructor(method: string, allowed: readonly string[]) {
    super(`${method} is not served on this path; it takes ${orList(allowed)} (the Allow header lists them)`);
    this.name = "MethodNotAllowedError";
    this.allowed = allowed;
  }
}

const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

interface Pattern {
  pattern: RegExp;
  /** Slashes in the path: a request with another count cannot match (a cheap test before the pattern). */
  slashes: number;
  handler: RouterEntry["handler"];
}

/** The handler that dispatches an API Gateway (payload 2.0 or 1.0) event to the route its method and path match. */
export function createRouter(routes: readonly RouterEntry[]): (event: APIGatewayProxyEventV2) => Answer {
  const exact = new Map<string, RouterEntry["handler"]>();
  const patterns = new Map<string, Pattern[]>();
  for (const route of routes) {
    const path = route.path !== "/" && route.path.endsWith("/") ? route.path.slice(0, -1) : route.path;
    if (!path.includes("{")) {
      exact.set(`${route.method} ${path}`, route.handler);
      exact.set(`${route.method} ${path}/`, route.handler);
      continue;
    }
    const source = path.replace(/[.+?^$()|[\]\\]/g, "\\$&").replace(/\/\{([^/{}]+)\}/g, "/(?<$1>[^/]+)");
    if (source.includes("{") || source.includes("}")) throw new Error(`Invalid route path ${path}`);
    const list = patterns.get(route.method) ?? [];
    list.push({ pattern: new RegExp(`^${source}/?$`), slashes: slashesIn(path), handler: route.handler });
    patterns.set(route.method, list);
  }
  const methods = [...new Set(routes.map((route) => route.method))].sort();
  /** The handler `method` and `path` reach, with the parameters the path gave, if any route matches. */
  const find = (method: string, path: string): { handler: RouterEntry["handler"]; params?: Record<string, string> } | undefined => {
    const handler = exact.get(`${method} ${path}`);
    if (handler) return { handler };
    const slashes = slashesIn(path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);
    for (const route of patterns.get(method) ?? []) {
      if (route.slashes !== slashes) continue;
      const match = route.pattern.exec(path);
      if (match) return { handler: route.handler, params: { ...match.groups } };
    }
    return undefined;
  };
  return (event) => {
    const { method, path } = methodAndPath(event);
    if (!method) throw new Error("Unknown HTTP event format: missing HTTP method");
    if (!path) throw new Error("Unknown HTTP event format: missing path");
    // HEAD reaches GET's route where it has none of its own (RFC 9110 9.3.2); forHead drops the body.
    const found = find(method, path) ?? (method === "HEAD" ? find("GET", path) : undefined);
    if (found) {
      if (found.params) event.pathParameters = { ...found.params, ...event.pathParameters };
      return found.handler(event);
    }
    const served = methods.filter((other) => find(other, path));
    const allowed = METHOD_ORDER.filter((m) => served.includes(m) || (m === "HEAD" && served.includes("GET")));
    allowed.push(...served.filter((m) => !METHOD_ORDER.includes(m)));
    if (allowed.length > 0) throw new MethodNotAllowedError(method, allowed);
    throw new RouteNotFoundError(method, path);
  };
}

/** The answer to a HEAD: the status and headers GET would have, no body (an error's too). */
export function forHead(event: APIGatewayProxyEventV2, answer: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  if (methodAndPath(event).method !== "HEAD") return answer;
  const { body: _body, isBase64Encoded: _encoded, ...rest } = answer;
  return { ...rest, body: "" };
}

/** Payload 2.0 (HTTP APIs, function URLs) names them in requestContext.http; 1.0 at the top. */
function methodAndPath(event: APIGatewayProxyEventV2): { method?: string; path?: string } {
  if (event.version === "2.0") return { method: event.requestContext?.http?.method, path: event.requestContext?.http?.path };
  const v1 = event as unknown as { httpMethod?: string; path?: string };
  return { method: v1.httpMethod, path: v1.path };
}

function slashesIn(text: string): number {
  let count = 0;
  for (const c of text) if (c === "/") count++;
  return count;
}
