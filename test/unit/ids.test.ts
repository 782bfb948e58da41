import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newId } from "../../functions/core/kernel/ids.ts";

describe("new ids", () => {
  it("sort in the order they were made, within one millisecond as across them (generated)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 50 }), fc.nat(2 ** 40), (steps, start) => {
        let ms = start;
        const ids = steps.map((step) => {
          ms += step;
          return newId("evt", ms);
        });
        expect(ids.every((id) => /^evt_[0-9a-f]{28}$/.test(id))).toBe(true);
        expect([...ids].sort()).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
