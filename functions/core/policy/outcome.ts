import type { AttemptErrorKind } from "../kernel/model.ts";

/** What the outbound HTTP client saw: a status with the start of the body, or a transport error. */
export type SendResult =
  | { kind: "response"; statusCode: number; body: string; durationMs: number; retryAfter?: string }
  | {
      kind: "error";
      error: Extract<AttemptErrorKind, "timeout" | "connection" | "destination_blocked" | "request_invalid">;
      message: string;
      durationMs: number;
    };

/**
 * How one attempt ended, from the receiver's point of view (the Standard Webhooks status rules):
 * success; a failure to retry on schedule; a request to slow down (429, 502, 503, 504), with the
 * receiver's Retry-After in seconds when it sent a usable one; or 410 Gone, which disables the endpoint.
 */
export type Outcome =
  | { ok: true }
  | { ok: false; action: "retry"; reason: string }
  | { ok: false; action: "slow_down"; reason: string; retryAfterSeconds?: number }
  | { ok: false; action: "gone"; reason: string };

const SLOW_DOWN = new Set([429, 502, 503, 504]);

/** Classifies an attempt; `now` dates a Retry-After given as an HTTP date. */
export function classifyOutcome(result: SendResult, now: Date = new Date()): Outcome {
  if (result.kind === "error") return { ok: false, action: "retry", reason: result.error };
  const status = result.statusCode;
  if (status >= 200 && status < 300) return { ok: true };
  const reason = `http_${status}`;
  if (status === 410) return { ok: false, action: "gone", reason };
  if (SLOW_DOWN.has(status)) {
    const retryAfterSeconds = parseRetryAfter(result.retryAfter, now);
    return { ok: false, action: "slow_down", reason, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
  }
  // Redirects are never followed; every other 3xx, 4xx and 5xx is retried on schedule.
  return { ok: false, action: "retry", reason };
}

/** Retry-After as whole seconds from `now`: delta-seconds or an HTTP date; undefined when unusable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  // Only the date forms HTTP allows (they name a weekday or a month): Date.parse accepts far more.
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
