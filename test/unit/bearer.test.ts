import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bearerKey } from "../../functions/api/request.ts";
import { apiEvent } from "../support/api-event.ts";

/** RFC 6750: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".split("");
const token = fc
  .tuple(fc.array(fc.constantFrom(...TOKEN_CHARS), { minLength: 1, maxLength: 80 }), fc.nat({ max: 3 }))
  .map(([chars, padding]) => chars.join("") + "=".repeat(padding));
/** "Bearer" in any letter case. */
const scheme = fc
  .array(fc.boolean(), { minLength: 6, maxLength: 6 })
  .map((upper) => [..."bearer"].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
/** HTTP's optional whitespace around a field value: spaces and tabs only. */
const ows = fc.array(fc.constantFrom(" ", "\t"), { maxLength: 3 }).map((w) => w.join(""));
/** Characters that are in no b64token and are not HTTP's optional whitespace. */
const foreign = fc.oneof(
  fc.constantFrom(
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u3000",
    "\u2007",
    "\ufeff",
    "\u0085",
    "\v",
    "\f",
    "\r",
    "\n",
    "\0",
    ",",
    ";",
    '"',
    "é",
    "%",
  ),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => !TOKEN_CHARS.includes(c) && c !== "=" && c !== " " && c !== "\t"),
);

const presented = (value: string) => bearerKey(apiEvent("GET", "/v1/endpoints", { key: null, headers: { authorization: value } }));

describe("the Bearer parser", () => {
  it("reads RFC 6750 credentials: any case of the scheme, one or more spaces, a b64token, optional whitespace around", () => {
    fc.assert(
      fc.property(ows, scheme, fc.integer({ min: 1, max: 4 }), token, ows, (before, bearer, spaces, key, after) => {
        expect(presented(`${before}${bearer}${" ".repeat(spaces)}${key}${after}`)).toBe(key);
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses any character outside a b64token, anywhere: a trailing no-break space as much as a comma inside", () => {
    fc.assert(
      fc.property(token, foreign, fc.nat(), (key, bad, where) => {
        const at = where % (key.length + 1);
        expect(presented(`Bearer ${key.slice(0, at)}${bad}${key.slice(at)}`)).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
    expect(presented("Bearer key\u00a0")).toBeUndefined();
  });

  it("refuses what is not `Bearer` + spaces + one token", () => {
    fc.assert(
      fc.property(token, token, (a, b) => {
        expect(presented(`Bearer\t${a}`)).toBeUndefined();
        expect(presented(`Bearer${a}`)).toBeUndefined();
        expect(presented(`Bearer ${a} ${b}`)).toBeUndefined();
        expect(presented(`Basic ${a}`)).toBeUndefined();
        expect(presented(`Bearer\u00a0${a}`)).toBeUndefined();
        expect(presented(a)).toBeUndefined();
      }),
    );
    // Padding only at the end.
    expect(presented("Bearer ab=cd")).toBeUndefined();
    expect(presented("Bearer =")).toBeUndefined();
    expect(presented("Bearer ")).toBeUndefined();
  });
});
