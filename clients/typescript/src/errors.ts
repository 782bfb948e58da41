import type { components, operations } from "./schema.ts";

type ErrorBody = components["schemas"]["Error"];
/** One entry of an error's `details`. */
export type ErrorDetail = NonNullable<ErrorBody["error"]["details"]>[number];

/**
 * The error codes the API document lists, across every operation, and `method_not_allowed` (405),
 * which no operation can list: it answers a method that the path is not served with.
 */
export type ErrorCode =
  | {
      [Op in keyof operations]: ErrorCodeOf<operations[Op]["responses"][keyof operations[Op]["responses"]]>;
    }[keyof operations]
  | "method_not_allowed";
type ErrorCodeOf<R> = R extends { content: { "application/json": { error?: { code?: infer C } } } }
  ? C extends string
    ? C
    : never
  : never;

/** An answer of the API outside 2xx: its status and the stable `code` of the shared error shape. */
export class HookrelayError extends Error {
  override readonly name = "HookrelayError";
  readonly status: number;
  readonly code: ErrorCode | "unknown";
  /** One entry per wrong field: `path` names it, `message` says what is wrong; some carry facts (`feedUrl`, `limit`). */
  readonly details?: ErrorDetail[];
  /** Seconds the API asked to wait (503, 429), if it said. */
  readonly retryAfterSeconds?: number;

  constructor(status: number, body: unknown, retryAfter: string | null) {
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = (error?.code as ErrorCode | undefined) ?? "unknown";
    if (Array.isArray(error?.details)) this.details = error.details;
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    if (Number.isFinite(seconds)) this.retryAfterSeconds = seconds;
  }
}
