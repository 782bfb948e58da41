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
  | "endpoint_not_found"
  | "field_not_allowed"
  | "not_a_polling_endpoint"
  | "invalid_limit"
  | "invalid_wait"
  | "invalid_cursor"
  | "cursor_expired"
  | "too_many_polls"
  | "use_feed_url";

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
  // The feed's codes (the wire contract the `listen` command is built against).
  endpoint_not_found: 404,
  field_not_allowed: 422,
  not_a_polling_endpoint: 409,
  invalid_limit: 400,
  invalid_wait: 400,
  invalid_cursor: 400,
  cursor_expired: 410,
  // Long polls over MAX_POLLS_PER_ENDPOINT or MAX_POLLS_PER_TENANT: waiting helps, so 429 with Retry-After.
  too_many_polls: 429,
  // A long poll sent to the API function, which holds none: the feed's own URL does (details.feedUrl).
  // Not 421 Misdirected Request: Node's fetch repeats a request once on 421, doubling the call.
  use_feed_url: 400,
};

/** A client error: shown to the caller as {"error": {code, message, details}}. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details?: unknown;
  /** Seconds the caller should wait before trying again, sent as `Retry-After` (429 only). */
  readonly retryAfterSeconds?: number;

  constructor(code: ApiErrorCode, message: string, details?: unknown, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.code = code;
    this.details = details;
    this.status = STATUS[code];
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
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
