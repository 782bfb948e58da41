import type { AttemptErrorKind } from "./model.ts";

/** What the outbound HTTP client saw: a status with the start of the body, or a transport error. */
export type SendResult =
  | { kind: "response"; statusCode: number; body: string; durationMs: number }
  | {
      kind: "error";
      error: Extract<AttemptErrorKind, "timeout" | "connection" | "destination_blocked">;
      message: string;
      durationMs: number;
    };

/** How one attempt ended, from the receiver's point of view. */
export type Outcome = { ok: true } | { ok: false; reason: string };

/** 2xx is success; every other status (3xx is never followed), a timeout or a connection error is a failure. */
export function classifyOutcome(result: SendResult): Outcome {
  if (result.kind === "error") return { ok: false, reason: result.error };
  if (result.statusCode >= 200 && result.statusCode < 300) return { ok: true };
  return { ok: false, reason: `http_${result.statusCode}` };
}
