import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../functions/core/feed/cursor.ts";

const key = Buffer.alloc(32, 7).toString("base64");
const otherKey = Buffer.alloc(32, 8).toString("base64");

describe("feed cursor", () => {
  it("gives back the position it encodes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 4_102_444_800_000 }), (next, floorMs) => {
        expect(decodeCursor(key, "ep_1", encodeCursor(key, "ep_1", { next, floorMs }))).toEqual({ next, floorMs });
      }),
    );
  });

  it("refuses a cursor whose position was changed, even with the tag kept", () => {
    const cursor = encodeCursor(key, "ep_1", { next: 5, floorMs: 1000 });
    const [, tag] = cursor.split(".");
    const forged = `${Buffer.from(JSON.stringify({ v: 1, n: 1, f: 1000 })).toString("base64url")}.${tag}`;
    expect(() => decodeCursor(key, "ep_1", forged)).toThrow(expect.objectContaining({ code: "invalid_request", status: 400 }));
  });

  it("refuses another feed's cursor and one signed with another key", () => {
    const cursor = encodeCursor(key, "ep_1", { next: 5, floorMs: 1000 });
    expect(() => decodeCursor(key, "ep_2", cursor)).toThrow(expect.objectContaining({ code: "invalid_request" }));
    expect(() => decodeCursor(otherKey, "ep_1", cursor)).toThrow(expect.objectContaining({ code: "invalid_request" }));
  });

  it("refuses garbled text of any shape", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (text) => {
        expect(() => decodeCursor(key, "ep_1", text)).toThrow(expect.objectContaining({ code: "invalid_request" }));
      }),
    );
  });
});
