import { describe, expect, it } from "vitest";
import { classifyOutcome } from "../../functions/core/outcome.ts";

const response = (statusCode: number) => ({ kind: "response" as const, statusCode, body: "", durationMs: 1 });

describe("classifyOutcome", () => {
  it.each([200, 201, 204, 299])("treats %i as success", (status) => {
    expect(classifyOutcome(response(status))).toEqual({ ok: true });
  });

  it.each([301, 302, 400, 404, 410, 429, 500, 503])("treats %i as a failed attempt", (status) => {
    expect(classifyOutcome(response(status))).toEqual({ ok: false, reason: `http_${status}` });
  });

  it.each(["timeout", "connection", "destination_blocked"] as const)("treats a %s as a failed attempt", (error) => {
    expect(classifyOutcome({ kind: "error", error, message: "", durationMs: 1 })).toEqual({ ok: false, reason: error });
  });
});
