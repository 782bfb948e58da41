import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { ApiError, DependencyError } from "../../core/kernel/errors.ts";
import { allowHeader, json, RETRY_AFTER_SECONDS } from "../response.ts";
import { MethodNotAllowedError } from "../router.ts";

/*
 * Errors as Svix's SDKs read them: `{code, detail}` (HttpErrorOut), and 422 as
 * `{detail: [{loc, msg, type}]}` (HTTPValidationError). The status is the core's, so every rule of
 * /v1 answers the same status here; only the body's shape differs.
 */

/** Svix's code for a core code where Svix has its own word; otherwise the core's code. */
const SVIX_CODES: Partial<Record<string, string>> = {
  unauthorized: "authentication_failed",
  already_exists: "conflict",
  idempotency_conflict: "conflict",
  concurrent_update: "conflict",
};

/** A 501 in Svix's shape: the feature this route needs is not in hookrelay yet. */
export class NotImplementedError extends Error {
  override readonly name = "NotImplementedError";
}

/** The Svix-shaped response for any thrown value; `unexpected` when it is a bug of ours. */
export function svixErrorResponse(error: unknown): { response: APIGatewayProxyStructuredResultV2; unexpected: boolean } {
  if (error instanceof ApiError) {
    const headers: Record<string, string> = error.code === "unauthorized" ? { "www-authenticate": 'Bearer realm="hookrelay"' } : {};
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    if (error.status === 422) {
      const problems = error.details?.length ? error.details : [{ path: "body", message: error.message }];
      const detail = problems.map((p) => ({ loc: ["body", ...p.path.split(".")], msg: `${p.path} ${p.message}`, type: error.code }));
      return { response: json(422, { detail }, headers), unexpected: false };
    }
    return {
      response: json(error.status, { code: SVIX_CODES[error.code] ?? error.code, detail: error.message }, headers),
      unexpected: false,
    };
  }
  if (error instanceof NotImplementedError) {
    return { response: json(501, { code: "not_implemented", detail: error.message }), unexpected: false };
  }
  if (error instanceof DependencyError) {
    const detail = "A storage or queue service did not answer; retry shortly";
    return { response: json(503, { code: "dependency_unavailable", detail }, { "retry-after": RETRY_AFTER_SECONDS }), unexpected: false };
  }
  if (error instanceof MethodNotAllowedError) {
    return { response: json(405, { code: "method_not_allowed", detail: error.message }, allowHeader(error)), unexpected: false };
  }
  const status = (error as { statusCode?: number })?.statusCode;
  if (status === 404) {
    return {
      response: json(404, { code: "not_found", detail: "No such route: this Svix route is not served here (see docs/svix.md)" }),
      unexpected: false,
    };
  }
  return { response: json(500, { code: "internal_error", detail: "Something went wrong on our side" }), unexpected: true };
}
