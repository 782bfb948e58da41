import { queuedStringBytes } from "../kernel/queue-text.ts";
import { jsonDepth, MAX_PAYLOAD_DEPTH } from "../requests/validation.ts";

/**
 * The most bytes an event's body may take inside its queue message: SQS's 256 KiB limit (emulators
 * and older regions) less room for the message's other fields, which are bounded identifiers (under
 * 1 KiB together).
 */
export const MAX_ENCODED_BODY_BYTES = 256 * 1024 - 2048;

/** Why a payload is outside the limits every sent payload keeps to. */
export interface PayloadLimitProblem {
  limit: "depth" | "size";
  message: string;
}

/**
 * Holds a payload to the limits of every event the dispatcher sends, emitted or built as an example:
 * at most MAX_PAYLOAD_DEPTH levels deep (receivers' parsers), at most MAX_ENCODED_BODY_BYTES once
 * encoded for the queue. Gives the body to send, or the limit it is over.
 */
export function checkPayloadLimits(payload: unknown): { body: string } | { problem: PayloadLimitProblem } {
  if (jsonDepth(payload) > MAX_PAYLOAD_DEPTH) {
    return { problem: { limit: "depth", message: `must nest at most ${MAX_PAYLOAD_DEPTH} levels deep` } };
  }
  const body = JSON.stringify(payload);
  // The body travels as a JSON string inside a queue message, whose size SQS limits. Each UTF-16
  // unit takes at most 6 bytes there (`\uXXXX`), so a body far under the limit is not encoded to count.
  if (body.length * 6 + 2 > MAX_ENCODED_BODY_BYTES && queuedStringBytes(body) > MAX_ENCODED_BODY_BYTES) {
    return { problem: { limit: "size", message: `must be at most ${MAX_ENCODED_BODY_BYTES} bytes once encoded for the queue` } };
  }
  return { body };
}
