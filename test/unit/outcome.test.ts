import { describe, expect, it } from "vitest";
import { classifyOutcome, parseRetryAfter } from "../../functions/core/policy/outcome.ts";

const now = new Date("2026-11-01T12:00:00Z");
const response = (statusCode: number, retryAfter?: string) => ({
  kind: "response" as const,
  statusCode,
  body: "",
  durationMs: 1,
  retryAfter,
});

describe("classifyOutcome", () => {
  it.each([200, 201, 204, 299])("treats %i as success", (status) => {
    expect(classifyOutcome(response(status), now)).toEqual({ ok: true });
  });

  it.each([301, 302, 307, 400, 401, 404, 409, 422, 500, 501, 505])("retries %i on schedule (3xx is never followed)", (status) => {
    expect(classifyOutcome(response(status), now)).toEqual({ ok: false, action: "retry", reason: `http_${status}` });
  });

  it("takes 410 Gone as the receiver asking to disable the endpoint", () => {
    expect(classifyOutcome(response(410, "30"), now)).toEqual({ ok: false, action: "gone", reason: "http_410" });
  });

  it.each([429, 502, 503, 504])("asks %i to slow down, with the receiver's Retry-After", (status) => {
    expect(classifyOutcome(response(status), now)).toEqual({ ok: false, action: "slow_down", reason: `http_${status}` });
    expect(classifyOutcome(response(status, "120"), now)).toMatchObject({ action: "slow_down", retryAfterSeconds: 120 });
  });

  it.each(["timeout", "connection", "destination_blocked"] as const)("retries a %s on schedule", (error) => {
    expect(classifyOutcome({ kind: "error", error, message: "", durationMs: 1 }, now)).toEqual({
      ok: false,
      action: "retry",
      reason: error,
    });
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 90 ", now)).toBe(90);
  });

  it("reads an HTTP date as seconds from now, and a past date as 0", () => {
    expect(parseRetryAfter("Sun, 01 Nov 2026 12:02:30 GMT", now)).toBe(150);
    expect(parseRetryAfter("Sun, 01 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });

  it.each([undefined, "", "soon", "-5", "1.5", "2026-11-01T12:05:00Z", "99999999999"])("ignores %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
