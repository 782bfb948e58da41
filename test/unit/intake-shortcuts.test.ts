import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonBody } from "../../functions/api/request.ts";
import { checkPayloadLimits, MAX_ENCODED_BODY_BYTES } from "../../functions/core/event-types/payload-limits.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import { queuedStringBytes } from "../../functions/core/kernel/queue-text.ts";
import { apiEvent } from "../support/api-event.ts";

/*
 * Intake's per-request shortcuts (docs/performance.md): each answers what the long way answered, for
 * every input, lone surrogates and characters SQS refuses included.
 */

/** Any UTF-16 text: every code unit, lone surrogates included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 200 });

/** The body as jsonBody read it before (a byte copy and back), or the code of its refusal. */
function longWay(raw: string, base64: boolean, maxBytes: number): unknown {
  const bytes = base64 ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > maxBytes) return { refused: "payload_too_large" };
  try {
    return { parsed: JSON.parse(bytes.toString("utf8")) };
  } catch {
    return { refused: "invalid_json" };
  }
}

function shortWay(raw: string, base64: boolean, maxBytes: number): unknown {
  const event = { ...apiEvent("POST", "/v1/events", { rawBody: raw }), isBase64Encoded: base64 };
  try {
    return { parsed: jsonBody(event, maxBytes) };
  } catch (error) {
    if (error instanceof ApiError) return { refused: error.code };
    throw error;
  }
}

describe("jsonBody without the byte round trip", () => {
  it("parses and limits every body as the round trip did", () => {
    const bodies = fc.oneof(
      anyText,
      anyText.map((t) => JSON.stringify({ text: t })),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      anyText.map((t) => `{"text":"${t}"}`),
    );
    fc.assert(
      fc.property(bodies, fc.boolean(), fc.integer({ min: 0, max: 400 }), (text, base64, maxBytes) => {
        const raw = base64 ? Buffer.from(text, "utf8").toString("base64") : text;
        expect(shortWay(raw, base64, maxBytes)).toEqual(longWay(raw, base64, maxBytes));
      }),
    );
  });
});

describe("the payload size check's shortcut", () => {
  it("never takes a body under the bound for one over the queue's limit: 6 bytes a code unit at most", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(queuedStringBytes(text)).toBeLessThanOrEqual(text.length * 6 + 2);
      }),
    );
  });

  it("refuses exactly the payloads whose queued body is over the limit", () => {
    // Strings around the limit, of characters that take 1, 2, 3 or 6 bytes once queued.
    const unit = fc.constantFrom("a", "é", "€", "\u0001", "\uFFFF", "😀");
    const payloads = fc
      .tuple(unit, fc.integer({ min: Math.floor(MAX_ENCODED_BODY_BYTES / 7), max: MAX_ENCODED_BODY_BYTES }))
      .map(([u, n]) => ({ text: u.repeat(Math.ceil(n / u.length)) }));
    fc.assert(
      fc.property(payloads, (payload) => {
        const over = queuedStringBytes(JSON.stringify(payload)) > MAX_ENCODED_BODY_BYTES;
        expect("problem" in checkPayloadLimits(payload)).toBe(over);
      }),
      { numRuns: 15 },
    );
  });
});
