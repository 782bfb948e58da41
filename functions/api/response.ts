import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { ApiError, DependencyError } from "../core/kernel/errors.ts";
import { MethodNotAllowedError } from "./router.ts";

/** Every API answer: never cached (they carry secrets and tenant data), never sniffed as another type. */
const API_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { "content-type": "application/json", ...API_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** A page as every list answers it: `nextCursor` is null on the last page. */
export function page<T>(p: { items: T[]; nextCursor?: string }): { items: T[]; nextCursor: string | null } {
  return { items: p.items, nextCursor: p.nextCursor ?? null };
}

/** An empty response. */
export function empty(statusCode: number): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...API_HEADERS }, body: "" };
}

/** The error body every route uses: {"error": {code, message, details?}}. */
export function errorBody(error: ApiError | DependencyError) {
  if (error instanceof ApiError) {
    return { error: { code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) } };
  }
  return { error: { code: "dependency_unavailable", message: "A storage or queue service did not answer; retry shortly" } };
}

/** Seconds a caller should wait after a 503. */
export const RETRY_AFTER_SECONDS = "5";

/** Maps any thrown value to a response: client errors as 4xx, our dependencies as 503, the rest as 500. */
export function errorResponse(error: unknown): { response: APIGatewayProxyStructuredResultV2; unexpected: boolean } {
  if (error instanceof ApiError) {
    const headers: Record<string, string> = error.code === "unauthorized" ? { "www-authenticate": 'Bearer realm="hookrelay"' } : {};
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    return { response: json(error.status, errorBody(error), headers), unexpected: false };
  }
  if (error instanceof DependencyError) {
    return { response: json(503, errorBody(error), { "retry-after": RETRY_AFTER_SECONDS }), unexpected: false };
  }
  if (error instanceof MethodNotAllowedError) {
    return {
      response: json(405, { error: { code: "method_not_allowed", message: error.message } }, allowHeader(error)),
      unexpected: false,
    };
  }
  const status = (error as { statusCode?: number })?.statusCode;
  if (status === 404) return { response: json(404, { error: { code: "not_found", message: "No such route" } }), unexpected: false };
  return { response: json(500, { error: { code: "internal_error", message: "Something went wrong on our side" } }), unexpected: true };
}

/** The Allow header of a 405: the methods the path is served with. */
export function allowHeader(error: MethodNotAllowedError): Record<string, string> {
  return { allow: error.allowed.join(", ") };
}
