/** Errors of the core. API errors carry a stable code; dependency errors mean "our infrastructure failed". */

export type ApiErrorCode =
  | "invalid_request"
  | "invalid_json"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "destination_not_allowed"
  | "idempotency_conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "endpoint_disabled"
  | "concurrent_update"
  | "quota_exceeded"
  | "already_exists"
  | "schema_validation_failed"
  | "event_type_archived"
  | "invalid_schema"
  | "example_too_large"
  | "not_a_polling_endpoint"
  | "cursor_expired"
  | "too_many_polls"
  | "use_feed_url"
  | "too_many_scheduled"
  | "schedule_started"
  | "tenant_deleted"
  | "event_expunged"
  | "event_scheduled";

const STATUS: Record<ApiErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  destination_not_allowed: 422,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  endpoint_disabled: 409,
  concurrent_update: 409,
  // 409, not 429: waiting does not help, deleting an endpoint does (the tenant's state conflicts with the request).
  quota_exceeded: 409,
  already_exists: 409,
  schema_validation_failed: 422,
  // 409 like endpoint_disabled: the catalog's state refuses the event, not its syntax.
  event_type_archived: 409,
  // A stored schema is code intake runs: one it cannot run safely is refused like an invalid body.
  invalid_schema: 422,
  // send-example: the type's schema asks for an example larger than the builder's budget or a payload's limits.
  example_too_large: 422,
  // The feed's own codes; a bad limit, wait or cursor is `invalid_request` as on every other route.
  not_a_polling_endpoint: 409,
  cursor_expired: 410,
  // Long polls over MAX_POLLS_PER_ENDPOINT or MAX_POLLS_PER_TENANT: waiting helps, so 429 with Retry-After.
  too_many_polls: 429,
  // A long poll sent to the API function, which holds none: the feed's own URL does (the feedUrl of the details entry for wait).
  // Not 421 Misdirected Request: Node's fetch repeats a request once on 421, doubling the call.
  use_feed_url: 400,
  // MAX_SCHEDULED_PER_TENANT: waiting helps (held messages leave as they fall due), so 429 with Retry-After.
  too_many_scheduled: 429,
  // DELETE of a held message the scheduler has already moved to the queue (within SCHEDULE_LEAD_SECONDS of its time).
  schedule_started: 409,
  // The tenant's deletion began: nothing of it is accepted or shown again.
  tenant_deleted: 410,
  // A replay of an event whose payload was expunged: there is nothing left to send.
  event_expunged: 409,
  event_scheduled: 409,
};

/**
 * What `details` holds, on every error that has it: one entry per wrong field, `path` naming it (a
 * dotted path into the JSON body, such as `headers.x-id` or `eventTypes.0`, or the name of a query
 * parameter or header), `message` saying in plain words what is wrong there. An entry may carry
 * facts a client acts on (`feedUrl`, `limit`, `retryAfterSeconds`).
 */
export interface FieldProblem {
  path: string;
  message: string;
  [fact: string]: unknown;
}

/** A client error: shown to the caller as {"error": {code, message, details}}. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details?: FieldProblem[];
  /** Seconds the caller should wait before trying again, sent as `Retry-After` (429 only). */
  readonly retryAfterSeconds?: number;

  constructor(code: ApiErrorCode, message: string, details?: FieldProblem[], options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.code = code;
    this.details = details;
    this.status = STATUS[code];
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * A 422 `validation_failed` (or `code`) listing the problems, its message naming the first few
 * fields; `total` counts the problems found when `problems` holds only the first of them.
 */
export function invalidFields(problems: FieldProblem[], code: ApiErrorCode = "validation_failed", total = problems.length): ApiError {
  const shown = problems.slice(0, 3).map((p) => `${p.path} ${p.message}`);
  const more =
    total > shown.length
      ? `; and ${total - shown.length} more (see details${total > problems.length ? `, which hold the first ${problems.length}` : ""})`
      : "";
  return new ApiError(code, `${shown.join("; ")}${more}`, problems);
}

/** A 400 `invalid_request` (or `code`) about one named field: a query parameter, a header, the body. */
export function invalidField(
  path: string,
  message: string,
  code: ApiErrorCode = "invalid_request",
  facts: Record<string, unknown> = {},
  options: { retryAfterSeconds?: number } = {},
): ApiError {
  return new ApiError(code, `${path} ${message}`, [{ ...facts, path, message }], options);
}

/** One of our own dependencies (DynamoDB, SQS) failed: retry later, never blame the receiver. */
export class DependencyError extends Error {
  override readonly name = "DependencyError";
  readonly dependency: string;

  constructor(dependency: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.dependency = dependency;
  }
}

/** The configuration is invalid: raised once, at cold start. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
