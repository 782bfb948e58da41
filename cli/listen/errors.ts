import type { ErrorCode } from "../../clients/typescript/src/index.ts";

/** Failures of `hookrelay listen` that end the run with one line for the user and an exit code. */
export class ListenError extends Error {
  override readonly name: string = "ListenError";
  /** The process exit code: 2 for a wrong command line, 1 for everything else. */
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The command line is wrong: the message says what, and `--help` says how. */
export class UsageError extends ListenError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** The API answered outside 2xx; `code` is the stable code of its error shape ("unknown" when it had none). */
export class ApiAnswerError extends ListenError {
  override readonly name = "ApiAnswerError";
  readonly status: number;
  readonly code: ErrorCode | "unknown";
  readonly details?: unknown;
  /** The answer's Retry-After, in ms, when it had one. */
  readonly retryAfterMs?: number;

  constructor(status: number, code: ErrorCode | "unknown", message: string, more: { details?: unknown; retryAfterMs?: number } = {}) {
    super(`the API answered ${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
    if (more.details !== undefined) this.details = more.details;
    if (more.retryAfterMs !== undefined) this.retryAfterMs = more.retryAfterMs;
  }

  /** The entry of `details` (one per wrong field, `[{path, message, ...facts}]`) that names `path`, if any. */
  problemWith(path: string): Record<string, unknown> | undefined {
    if (!Array.isArray(this.details)) return undefined;
    return this.details.find((d): d is Record<string, unknown> => typeof d === "object" && d !== null && d.path === path);
  }
}

/** The API could not be reached (no answer, refused, timed out). */
export class ApiUnreachableError extends ListenError {
  override readonly name = "ApiUnreachableError";
  constructor(apiUrl: string, cause: unknown) {
    super(`cannot reach the API at ${apiUrl}: ${describeFailure(cause)}`, { cause });
  }
}

/** A short reason for a failed fetch: the system error code when there is one (ECONNREFUSED), else the innermost message. */
export function describeFailure(error: unknown): string {
  const chain: { name?: string; message?: string; code?: unknown }[] = [];
  for (let link: unknown = error; chain.length < 4 && typeof link === "object" && link !== null; link = (link as Error).cause) {
    chain.push(link as Error);
  }
  if (chain.some((link) => link.name === "TimeoutError")) return "timed out";
  const code = chain.map((link) => link.code).find((c): c is string => typeof c === "string" && c.startsWith("E"));
  return code ?? chain.at(-1)?.message ?? String(error);
}
