import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { daysInMonth, parseTimestamp } from "../../functions/core/kernel/timestamp.ts";
import { RecoverEndpoint } from "../../functions/core/requests/validation.ts";
import { invalidTimestamp, validTimestamp } from "../support/timestamps.ts";

describe("parseTimestamp", () => {
  it("reads every valid RFC 3339 text as the instant it names, at any offset and in either case", () => {
    fc.assert(
      fc.property(validTimestamp, ({ text, instant }) => {
        expect(parseTimestamp(text)).toBe(instant);
      }),
      { numRuns: 5_000 },
    );
  });

  it("refuses every text that breaks one rule: impossible days, fields out of range, other offset forms, other shapes", () => {
    fc.assert(
      fc.property(invalidTimestamp, ({ text }) => {
        expect(parseTimestamp(text)).toBeUndefined();
      }),
      { numRuns: 5_000 },
    );
  });

  it("refuses the two texts of the report: an hour-only offset, and 31 February", () => {
    expect(parseTimestamp("2024-01-01T00:00:00+01")).toBeUndefined();
    expect(parseTimestamp("2024-02-31T00:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-01-01T00:00:00+01:00")).toBe("2023-12-31T23:00:00.000Z");
  });

  it("knows the leap years of the Gregorian calendar, century rule included", () => {
    expect(["2024", "2000", "1600", "0000"].map((y) => parseTimestamp(`${y}-02-29T00:00:00Z`) !== undefined)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["2023", "1900", "2100", "0001"].map((y) => parseTimestamp(`${y}-02-29T00:00:00Z`))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // The month lengths agree with Date's own calendar for every month of 400 years (one full cycle).
    for (let year = 1600; year < 2000; year++) {
      for (let month = 1; month <= 12; month++) {
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
      }
    }
  });
});

describe("date fields of the API", () => {
  it("answer a validation issue at the field's path for an invalid text, and pass the canonical instant on for a valid one", () => {
    fc.assert(
      fc.property(fc.oneof(validTimestamp, invalidTimestamp), fc.constantFrom("since", "until"), ({ text, instant }, field) => {
        const input = field === "since" ? { since: text } : { since: "2024-01-01T00:00:00Z", until: text };
        const result = v.safeParse(RecoverEndpoint, input);
        if (instant === undefined) {
          expect(result.success).toBe(false);
          expect(result.issues?.map((i) => v.getDotPath(i))).toEqual([field]);
        } else {
          expect(result.success).toBe(true);
          expect((result.output as Record<string, string>)[field]).toBe(instant);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
