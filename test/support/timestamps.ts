import fc from "fast-check";

/**
 * Generated timestamp texts with the instant each names (`YYYY-MM-DDTHH:MM:SS.sssZ`), or undefined
 * for a text the API must refuse. The instants are worked out from a Date and an offset here, not by
 * the parser under test: a valid text is a Date written at some offset, an invalid one is built to
 * break exactly one rule (a day the month lacks, a field out of range, an offset form RFC 3339 does
 * not allow, an instant outside years 0000 to 9999).
 */
export interface GeneratedTimestamp {
  text: string;
  instant: string | undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const YEAR_0 = new Date(0).setUTCFullYear(0, 0, 1);
const YEAR_9999_END = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A date written as `YYYY-MM-DDTHH:MM:SS` in UTC, or undefined when its year has no four digits. */
function wallClock(ms: number): string | undefined {
  const text = new Date(ms).toISOString();
  return /^\d{4}-/.test(text) ? text.slice(0, 19) : undefined;
}

/** The days of a month, from Date's own calendar (day 0 of the next month is the last of this one). */
function monthLength(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

const offsetMinutes = fc.oneof(
  fc.constantFrom(0, 60, -60, 330, 345, -570, 23 * 60 + 59, -(23 * 60 + 59), 14 * 60, -12 * 60),
  fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
);
/** How the milliseconds are written: left out, as `.sss` plus up to six more digits, or with trailing zeros trimmed. */
const fractionStyle = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.stringMatching(/^\d{0,6}$/).map((extra) => ({ kind: "digits" as const, extra })),
  fc.constant({ kind: "trimmed" as const }),
);
const instantMs = fc.oneof(
  fc.integer({ min: YEAR_0, max: YEAR_9999_END }),
  fc.date({ min: new Date("1999-12-31T00:00:00Z"), max: new Date("2101-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.getTime()),
  // Leap days of years that have one, including the century rule's 2000 and 0000.
  fc
    .constantFrom(2024, 2000, 1600, 0, 9996)
    .map((y) => new Date(0).setUTCFullYear(y, 1, 29)),
);

/** A valid RFC 3339 text: an instant written at an offset, in either letter case, with or without a fraction. */
export const validTimestamp: fc.Arbitrary<GeneratedTimestamp> = fc
  .record({ ms: instantMs, offset: offsetMinutes, style: fractionStyle, zulu: fc.boolean(), lower: fc.boolean() })
  .map(({ ms, offset, style, zulu, lower }): GeneratedTimestamp | undefined => {
    const useOffset = zulu ? 0 : offset;
    const wall = wallClock(ms + useOffset * 60_000);
    if (wall === undefined) return undefined;
    const sign = useOffset < 0 ? "-" : "+";
    const suffix = zulu ? "Z" : `${sign}${pad(Math.floor(Math.abs(useOffset) / 60))}:${pad(Math.abs(useOffset) % 60)}`;
    const millis = new Date(ms).toISOString().slice(-4, -1);
    const trimmed = millis.replace(/0+$/, "");
    const fraction =
      style.kind === "none" ? "" : style.kind === "digits" ? `.${millis}${style.extra}` : trimmed === "" ? "" : `.${trimmed}`;
    // Without a fraction the text names the whole second.
    const instant = new Date(fraction === "" ? ms - (((ms % 1000) + 1000) % 1000) : ms).toISOString();
    const text = `${wall}${fraction}${suffix}`;
    return { text: lower ? text.replace("T", "t").replace("Z", "z") : text, instant };
  })
  .filter((t): t is GeneratedTimestamp => t !== undefined);

const fields = fc.record({
  year: fc.integer({ min: 0, max: 9999 }),
  month: fc.integer({ min: 1, max: 12 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
});
const write = (f: { year: number; month: number; day: number; hour: number; minute: number; second: number }, zone = "Z") =>
  `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${zone}`;

/** A text that is not an RFC 3339 timestamp of a real instant in years 0000 to 9999. */
export const invalidTimestamp: fc.Arbitrary<GeneratedTimestamp> = fc
  .oneof(
    // A day the month does not have: 31 April, 30 February, 29 February of a common year.
    fields.chain((f) => fc.integer({ min: monthLength(f.year, f.month) + 1, max: 99 }).map((day) => write({ ...f, day }))),
    fc.constantFrom(1900, 2100, 2023, 1, 9999).map((year) => `${pad(year, 4)}-02-29T12:00:00Z`),
    // Fields out of range: month 0 or 13+, day 0, hour 24+, minute or second 60+ (a leap second too).
    fields.map((f) => write({ ...f, day: 1, month: 0 })),
    fields.chain((f) => fc.integer({ min: 13, max: 99 }).map((month) => write({ ...f, day: 1, month }))),
    fields.map((f) => write({ ...f, day: 0 })),
    fields.chain((f) => fc.integer({ min: 24, max: 99 }).map((hour) => write({ ...f, day: 1, hour }))),
    fields.chain((f) => fc.integer({ min: 60, max: 99 }).map((minute) => write({ ...f, day: 1, minute }))),
    fields.chain((f) => fc.integer({ min: 60, max: 99 }).map((second) => write({ ...f, day: 1, second }))),
    // Offsets RFC 3339 does not allow, or out of range.
    fields.chain((f) =>
      fc
        .constantFrom("+01", "-05", "+0100", "+01:0", "+1:00", "+24:00", "-24:00", "+00:60", "+99:99", "UTC", " Z", "+01:00:00", "")
        .map((zone) => write({ ...f, day: 1 }, zone)),
    ),
    // Shapes that are not a full date-time.
    fc.constantFrom(
      "2024-01-01",
      "2024-01-01T00:00Z",
      "2024-1-01T00:00:00Z",
      "20240101T000000Z",
      "2024-01-01 00:00:00Z",
      "2024-01-01T00:00:00.Z",
      "2024-01-01T00:00:00.1234567890Z",
      "+002024-01-01T00:00:00Z",
      "-000001-01-01T00:00:00Z",
      "12024-01-01T00:00:00Z",
      "2024-01-01T00:00:00Z ",
      " 2024-01-01T00:00:00Z",
      "2024-01-01T00:00:00Z\n",
      "２０２４-01-01T00:00:00Z",
      "Mon, 01 Jan 2024 00:00:00 GMT",
      "1704067200",
      "now",
      "",
    ),
    // Real wall-clock times whose offset moves the instant out of years 0000 to 9999.
    fc
      .integer({ min: 1, max: 23 * 60 + 59 })
      .map((m) => `0000-01-01T00:00:00+${pad(Math.floor(m / 60))}:${pad(m % 60)}`),
    fc.integer({ min: 1, max: 23 * 60 + 59 }).map((m) => `9999-12-31T23:59:59-${pad(Math.floor(m / 60))}:${pad(m % 60)}`),
  )
  .map((text) => ({ text, instant: undefined }));

/** Valid and invalid texts in about equal measure. */
export const anyTimestamp: fc.Arbitrary<GeneratedTimestamp> = fc.oneof(validTimestamp, invalidTimestamp);
