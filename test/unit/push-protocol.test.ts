import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLOSE,
  closeReason,
  itemFrame,
  MAX_INBOUND_BYTES,
  MAX_OUTBOUND_BYTES,
  PushCloseError,
  parseClientFrame,
  presentedCredentials,
} from "../../functions/core/push/protocol.ts";

function closeCodeOf(text: string): number | undefined {
  try {
    parseClientFrame(text);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PushCloseError);
    return (error as PushCloseError).code;
  }
}

describe("push protocol frames", () => {
  it("reads every well-formed frame back as sent", () => {
    const id = fc.string({ minLength: 1, maxLength: 64 });
    const frames = fc.oneof(
      fc.record(
        { action: fc.constant("subscribe"), endpointId: id, authorization: id },
        { requiredKeys: ["action", "endpointId", "authorization"] },
      ),
      fc.record({ action: fc.constant("subscribe"), endpointId: id, authorization: id, cursor: id }),
      fc.record({ action: fc.constant("ack"), cursor: id }),
      fc.constant({ action: "ping" }),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        expect(parseClientFrame(JSON.stringify(frame))).toEqual(frame);
      }),
    );
  });

  it("refuses any JSON that is not a frame of the protocol with 1008", () => {
    const notFrames = fc.oneof(
      fc
        .jsonValue()
        .filter(
          (v) =>
            typeof v !== "object" ||
            v === null ||
            Array.isArray(v) ||
            !["subscribe", "ack", "ping"].includes((v as { action?: string }).action as string),
        ),
      fc.record({
        action: fc.constant("subscribe"),
        endpointId: fc.oneof(fc.integer(), fc.constant(""), fc.string({ minLength: 65, maxLength: 80 })),
        authorization: fc.constant("Bearer x"),
      }),
      fc.record({
        action: fc.constant("ack"),
        cursor: fc.oneof(fc.constant(null), fc.integer(), fc.string({ minLength: 513, maxLength: 600 })),
      }),
    );
    fc.assert(
      fc.property(notFrames, (value) => {
        expect(closeCodeOf(JSON.stringify(value))).toBe(CLOSE.badFrame);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 50 }).filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
        (text) => {
          expect(closeCodeOf(text)).toBe(CLOSE.badFrame);
        },
      ),
    );
  });

  it("refuses a frame over the inbound bound with 4413 before reading it", () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_INBOUND_BYTES + 1, max: MAX_INBOUND_BYTES * 4 }), (size) => {
        expect(closeCodeOf(`{"action":"ping","pad":"${"x".repeat(size)}"}`)).toBe(CLOSE.frameTooLarge);
      }),
      { numRuns: 20 },
    );
  });

  it("sends an item whole when its frame fits 128 KB, else a reference, and never a frame over it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * MAX_OUTBOUND_BYTES }), fc.constantFrom("a", "é", '"'), (length, char) => {
        const item = { id: "fi_1", body: char.repeat(length) };
        const text = itemFrame("c.d", item);
        const frame = JSON.parse(text);
        const whole = JSON.stringify({ type: "item", cursor: "c.d", item });
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_OUTBOUND_BYTES);
        if (Buffer.byteLength(whole) <= MAX_OUTBOUND_BYTES) expect(frame).toEqual({ type: "item", cursor: "c.d", item });
        else expect(frame).toEqual({ type: "item_ref", cursor: "c.d", id: "fi_1" });
      }),
      { numRuns: 60 },
    );
  });

  it("reads Bearer and Portal credentials and nothing else", () => {
    expect(presentedCredentials("Bearer hrk_key_1.abc")).toEqual({ kind: "bearer", key: "hrk_key_1.abc" });
    expect(presentedCredentials("Portal hrp_a.b")).toEqual({ kind: "portal", token: "hrp_a.b" });
    fc.assert(
      fc.property(fc.string(), (text) => {
        const found = presentedCredentials(text);
        if (found) expect(text).toMatch(/^(Bearer|Portal) /);
      }),
    );
  });

  it("cuts a close reason to the 123 bytes a close frame holds", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const reason = closeReason(text);
        expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
        expect(text.startsWith(reason)).toBe(true);
      }),
    );
  });
});
