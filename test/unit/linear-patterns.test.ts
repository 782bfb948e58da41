import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSchema } from "../../functions/adapters/schemas/json-schema-engine.ts";
import {
  compilePattern,
  type LinearPattern,
  PatternWorkExceededError,
  withPatternBudget,
} from "../../functions/adapters/schemas/linear-patterns.ts";
import { PATTERN_WORK_PER_BYTE } from "../../functions/adapters/schemas/schema-limits.ts";

/*
 * Issue 22, item 1: one emit held the event loop for 2 to 40 s with patterns safe-regex let
 * through. No test here times anything: the strings are long enough (100 KB) that a backtracking
 * engine would not finish within vitest's timeout, and the work the engine does is read from its
 * own counters (linear-patterns.ts) and held to a bound linear in the string.
 */

function linear(pattern: string): LinearPattern {
  const compiled = compilePattern(pattern);
  if ("refused" in compiled) throw new Error(`${pattern}: ${compiled.refused}`);
  return compiled;
}

/** What RE2 may do per character: a DFA state built (its program's size) or an NFA step (live threads, at most the size), and the read itself. */
const linearBound = (p: LinearPattern, length: number) => (2 * p.size + 4) * (length + 1) + (1 << 17);

/** Pieces of the patterns that backtrack: overlapping alternatives, unbounded repeats, broad classes. */
const OVERLAPPING = ["(a|a)", "(\\w|\\d)", "(a|aa)", "(a|ab|b)", "([a-z]|a)", "(\\S|a)", "(?:.|\\s)", "(\\d+|1)"];
const UNBOUNDED = [".*", "\\S+", "a*", "[a-z]+", "\\w*", "(?:a+)+", "(?:\\w*)*", "[^@]+"];
const CLASSES = ["a", "[a-z]", "\\d", "\\s", ".", "@", "\\.", "\\w"];
const QUANTIFIERS = ["*", "+", "?", "{1,5}", "{2,}", "{20}", "{1,40}", ""];

const backtrackingPatterns = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...OVERLAPPING), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q),
      fc.constantFrom(...UNBOUNDED),
      fc.tuple(fc.constantFrom(...CLASSES), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .chain((pieces) =>
    fc.record({
      pattern: fc.constantFrom(`^${pieces.join("")}=$`, `^(?:${pieces.join("")})*!$`, `${pieces.join("")}\\b=`),
      // The attacker's string: what the pieces accept, long, holding the endings they need (so no
      // literal search rules it out) but not at its end.
      text: fc
        .tuple(fc.integer({ min: 1 }), fc.subarray(["a", "a", "b", "1", "@", ".", " ", "_", "=", "!"], { minLength: 1 }))
        .map(([seed, alphabet]) => `${randomText(99_999, [...alphabet, "=", "!"], seed)}#`),
    }),
  );

/** A pseudo-random string over `alphabet`, the same for the same seed. */
function randomText(length: number, alphabet: string[], seed: number): string {
  let x = seed;
  return Array.from({ length }, () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return alphabet[x % alphabet.length];
  }).join("");
}

describe("patterns that backtrack in RegExp, on the linear engine", () => {
  it("checks 100 KB strings against generated ones with work linear in the string (or stops at the allowance)", () => {
    fc.assert(
      fc.property(backtrackingPatterns, ({ pattern, text }) => {
        const p = linear(pattern);
        try {
          const { work } = withPatternBudget(text, () => p.test(text));
          expect(work).toBeLessThanOrEqual(linearBound(p, text.length));
        } catch (error) {
          if (!(error instanceof PatternWorkExceededError)) throw error;
          expect(error.allowance).toBe(PATTERN_WORK_PER_BYTE * Buffer.byteLength(JSON.stringify(text)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ["^(a|a)*$", `${"a".repeat(100_000)}!`],
    ["^(\\w|\\d)*$", `${"1".repeat(100_000)}!`],
    ["^.*.*.*.*.*.*.*.*=$", "a".repeat(100_000)],
    ["^\\S+@\\S+\\.\\S+$", `${"a@a.".repeat(25_000)} `],
    ["^(a+)+$", `${"a".repeat(100_000)}!`],
  ])("runs the issue's example %s on a 100 KB string within its allowance", (pattern, text) => {
    const p = linear(pattern);
    const { result, work } = withPatternBudget(text, () => p.test(text));
    expect(result).toBe(false);
    expect(work).toBeLessThanOrEqual(linearBound(p, text.length));
  });
});

describe("the work meter", () => {
  // Hostile to RE2's lazy DFA: every position may start a match, so each character makes a new state.
  const thrashing = "a.{100}(?:b|c)\\d";
  const abc = (length: number) => randomText(length, ["a", "b", "c"], 7);

  it("reads the engine's own counters: a pattern its DFA runs costs about 2 units a character, one that thrashes far more", () => {
    const text = abc(20_000);
    const friendly = withPatternBudget(text.repeat(20), () => linear("^[abc]+$").test(text));
    expect(friendly.result).toBe(true);
    // Without the counters inside re2js every check would be charged its worst case, (size + 2) a character.
    expect(friendly.work).toBeLessThan(2 * text.length + 1000);
    const hostile = withPatternBudget(text.repeat(100), () => linear(thrashing).test(text));
    expect(hostile.result).toBe(false);
    expect(hostile.work).toBeGreaterThan(20 * text.length);
  });

  it("stops a payload whose checks would exceed its allowance at once, and names the string's path", () => {
    const { validate } = compileSchema({
      type: "object",
      properties: { lines: { type: "array", items: { type: "object", properties: { note: { type: "string", pattern: thrashing } } } } },
    });
    const payload = { lines: [{ note: "fine" }, { note: abc(60_000) }] };
    expect(validate(payload)).toEqual([{ path: "lines.1.note", message: expect.stringMatching(/too long to check/) }]);
    const p = linear(thrashing);
    try {
      withPatternBudget(payload, () => p.test(payload.lines[1]?.note ?? ""));
      expect.unreachable("the check should have run out of work");
    } catch (error) {
      if (!(error instanceof PatternWorkExceededError)) throw error;
      expect(error.allowance).toBe(PATTERN_WORK_PER_BYTE * Buffer.byteLength(JSON.stringify(payload)));
      // Each charge is made before the work it pays for: at most one DFA state or NFA step over.
      expect(error.work - error.allowance).toBeLessThanOrEqual(p.size + 1);
    }
  });

  it("lets realistic payloads through with room to spare: identifiers, a long text and a blob, each under its pattern", () => {
    const schema = {
      type: "object",
      properties: {
        ids: { type: "array", items: { type: "string", pattern: "^[a-z]{2,3}_[0-9a-z]+$" } },
        slug: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,128}$" },
        text: { type: "string", pattern: "^[^<>]*$" },
        blob: { type: "string", pattern: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$" },
        email: { type: "string", pattern: "^\\S+@\\S+\\.\\S+$" },
      },
      additionalProperties: { type: "string", pattern: "^[\\p{L}\\p{N} ,.'-]*$" },
    };
    const { validate } = compileSchema(schema);
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{2,3}_[0-9a-z]{10,24}$/), { maxLength: 3000 }),
        fc.string({ maxLength: 60_000 }).map((s) => s.replace(/[<>]/g, "")),
        fc.uint8Array({ maxLength: 60_000 }).map((b) => Buffer.from(b).toString("base64")),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,12}$/), fc.stringMatching(/^[A-Za-zé ,.]{0,40}$/), { maxKeys: 50 }),
        (ids, text, blob, extra) => {
          const payload = { ...extra, ids, slug: "invoice.paid", text, blob, email: "someone@example.com" };
          expect(validate(payload)).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });
});
