/**
 * The one timestamp grammar the API accepts: an RFC 3339 date-time, `YYYY-MM-DDTHH:MM:SS`, an
 * optional fraction, then `Z` or a `±HH:MM` offset. `Date` alone is no parser for input: it throws
 * on forms a looser schema lets through (`+01`) and rolls impossible dates over (`2024-02-31` is
 * read as 2 March), so every field is checked here, calendar included, before `Date` sees it.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The earliest and latest instants a canonical form can spell with a four-digit year. */
const EARLIEST = new Date(0).setUTCFullYear(0, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Days in a month of the proleptic Gregorian calendar, the one RFC 3339 uses. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The instant an RFC 3339 timestamp names, as `YYYY-MM-DDTHH:MM:SS.sssZ` (so stored values compare
 * as strings), or undefined when the text is not one: a wrong shape, a field out of its range, a day
 * the month does not have, a leap second (`Date` cannot hold one), or an instant outside the years
 * 0000 to 9999 once the offset is applied.
 */
export function parseTimestamp(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const [offsetHours, offsetMins] = [Number(m[10]), Number(m[11])];
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Digits past the millisecond are dropped (Date holds no more), by text, so no float rounds them.
  const millis = Number((m[7] ?? ".").slice(1, 4).padEnd(3, "0"));
  // Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear takes the year as written.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  const instant = local.getTime() - offsetMinutes * 60_000;
  if (instant < EARLIEST || instant > LATEST) return undefined;
  return new Date(instant).toISOString();
}
