import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { ecmaToRe2 } from "../../functions/adapters/schemas/ecma-to-re2.ts";
import { compilePattern, type LinearPattern } from "../../functions/adapters/schemas/linear-patterns.ts";

/*
 * The linear engine must answer what ECMA-262's RegExp (u flag) answers, for every pattern it
 * accepts: each claim of docs/api.md's pattern section (Event types) is checked here against V8's RegExp.
 */

function linear(pattern: string): LinearPattern {
  const compiled = compilePattern(pattern);
  if ("refused" in compiled) throw new Error(`${pattern}: ${compiled.refused}`);
  return compiled;
}

/** Characters that tell the engines' spellings apart: ASCII word and non-word, every kind of space and line end, non-ASCII letters, an astral character, lone surrogates. */
// biome-ignore format: one line of characters
const ALPHABET = ["a", "b", "A", "z", "_", "1", "-", ".", " ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u2028", "\u2029", "\u3000", "\ufeff", "\u0085", "é", "ſ", "\u212a", "ß", "α", "😀", "\ud800", "\udc00", "\\", "/", "]"];

/** Pattern atoms in ECMA-262 syntax, each valid in `u` mode. */
// biome-ignore format: a table, one kind per line
const ATOMS = [
  "a", "b", "A", "1", "_", "-", " ", "é", "😀", ".", "\\.", "\\/", "\\$", "\\^", "\\]", "\\\\",
  "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "^", "$",
  "\\t", "\\n", "\\r", "\\v", "\\f", "\\0", "\\x41", "\\u0061", "\\u{1F600}", "\\uD83D\\uDE00", "\\ud800", "\\cJ", "\\u2028",
  "\\p{L}", "\\P{Lu}", "\\p{Nd}", "\\p{Zs}", "\\p{Script=Latin}", "\\p{sc=Greek}", "\\p{Any}", "\\p{gc=Ll}",
  "[^]", "[]", "[a-z]", "[^a-z]", "[\\s]", "[\\S]", "[^\\s]", "[\\s\\d]", "[\\w-]", "[-a]", "[a-]", "[\\b]", "[\\-]", "[.]", "[\\]]",
  "[\\u0000-\\u001f]", "[é-😀]", "[\\p{L}\\d]", "[^\\p{L}]", "[\\x20-\\x7e]", "[\\^]", "[a^]", "[[]", "[\\u2028\\u2029]", "[\\ud800-\\udfff]",
];
const QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "??", "{1,2}?"];

/** Generated ECMA-262 patterns: atoms, quantified, in sequences, alternatives and groups (named ones numbered apart). */
const patterns = fc
  .letrec<{ term: string; sequence: string; pattern: string }>((tie) => ({
    term: fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom("(", "(?:", "(?<g>"), tie("pattern"), fc.constantFrom(...QUANTIFIERS))
          .map(([open, inner, q]) => `${open}${inner})${q}`),
      },
    ),
    sequence: fc.array(tie("term"), { minLength: 0, maxLength: 4 }).map((terms) => terms.join("")),
    pattern: fc.array(tie("sequence"), { minLength: 1, maxLength: 3 }).map((alternatives) => alternatives.join("|")),
  }))
  .pattern.map((p) => {
    let n = 0;
    return p.replace(/\(\?<g>/g, () => `(?<g${n++}>`);
  })
  .filter((p) => {
    if (p.length > 256) return false;
    try {
      new RegExp(p, "u");
      return true;
    } catch {
      return false;
    }
  });

const strings = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 10 }).map((chars) => chars.join(""));

describe("an accepted pattern on the linear engine", () => {
  it("matches exactly the strings RegExp with the u flag matches (generated patterns and strings)", () => {
    fc.assert(
      fc.property(patterns, fc.array(strings, { minLength: 1, maxLength: 20 }), (pattern, texts) => {
        const re2 = linear(pattern);
        const ecma = new RegExp(pattern, "u");
        for (const text of texts) expect([pattern, text, re2.test(text)]).toEqual([pattern, text, ecma.test(text)]);
      }),
      { numRuns: 1_500 },
    );
  });

  /** Each code point of the Basic Multilingual Plane (surrogates too) and a sample of the astral ones. */
  const codePoints = [
    ...Array.from({ length: 0x10000 }, (_, i) => i),
    ...Array.from({ length: 2000 }, (_, i) => 0x10000 + i * 523),
    0x10ffff,
  ];
  const sameOnEveryCodePoint = (pattern: string) => {
    const re2 = linear(pattern);
    const ecma = new RegExp(pattern, "u");
    const differ = codePoints.filter((c) => re2.test(String.fromCodePoint(c)) !== ecma.test(String.fromCodePoint(c)));
    expect(differ.map((c) => c.toString(16))).toEqual([]);
  };

  it.each([
    ["\\s: the ECMA-262 white space and line terminators (RE2's own \\s is only [\\t\\n\\f\\r ])", "^\\s$"],
    ["\\S", "^\\S$"],
    ["\\s and \\S inside a class", "^[\\s]$|^[^\\S]$|^[a\\S]x$"],
    [". : any code point but \\n, \\r, U+2028 and U+2029 (RE2's . leaves out only \\n)", "^.$"],
    ["\\d: ASCII digits only, as in u mode without i", "^\\d$"],
    ["\\w: ASCII word characters only (no ſ, no Kelvin sign, no é)", "^\\w$"],
    ["\\D and \\W", "^\\D$|^\\W$"],
    ["[^] and []", "^[^]$|^[]$"],
    ["\\p{L}, \\p{Lu}, \\p{Nd}, \\p{Zs}, \\P{L}", "^(?:\\p{Lu}|\\p{Nd}|\\p{Zs})$|^\\P{L}x$"],
    ["\\p{Script=…} and \\p{sc=…}", "^(?:\\p{Script=Greek}|\\p{sc=Cyrillic}|\\p{Script=Han})$"],
  ])("treats each code point alike: %s", (_claim, pattern) => {
    sameOnEveryCodePoint(pattern);
  });

  it("places \\b and \\B at ASCII word boundaries, as RegExp does without the i flag", () => {
    const chars = ["a", "Z", "0", "_", "é", "ſ", "\u212a", " ", "-", "😀", "\n"];
    for (const pattern of ["\\b", "\\B", "a\\b", "\\Bé", "^\\b", "\\b$"]) {
      const re2 = linear(pattern);
      const ecma = new RegExp(pattern, "u");
      for (const x of chars)
        for (const y of ["", ...chars]) expect([pattern, x + y, re2.test(x + y)]).toEqual([pattern, x + y, ecma.test(x + y)]);
    }
  });

  it("reads every ECMA-262 escape as RegExp does", () => {
    const escapes: [string, string][] = [
      ["\\u0041", "A"],
      ["\\u{1F600}", "😀"],
      ["\\uD83D\\uDE00", "😀"],
      ["\\ud83d", "\ud83d"],
      ["\\x7e", "~"],
      ["\\cJ", "\n"],
      ["\\ca", "\u0001"],
      ["\\0", "\0"],
      ["\\v", "\v"],
      ["\\/", "/"],
      ["[\\b]", "\b"],
      ["[\\-]", "-"],
      ["[\\cJ]", "\n"],
      ["[\\u{10000}-\\u{10FFFF}]", "😀"],
    ];
    for (const [pattern, text] of escapes) {
      const ecma = new RegExp(`^${pattern}$`, "u");
      expect([pattern, ecma.test(text)]).toEqual([pattern, true]);
      expect([pattern, linear(`^${pattern}$`).test(text)]).toEqual([pattern, true]);
      // The half of a surrogate pair is not a character of its own in u mode, in either engine.
      expect(linear(`^${pattern}$`).test(`${text}x`)).toBe(false);
    }
    expect(linear("^\\ud83d").test("😀")).toBe(/^\ud83d/u.test("😀"));
  });

  it("agrees with RegExp on every code point outside the surrogates for one general category, end to end", () => {
    // The sampled claim above, once over the whole range: both engines use the same Unicode tables today.
    const text = Array.from({ length: 0x110000 - 0x800 }, (_, i) => String.fromCodePoint(i < 0xd800 ? i : i + 0x800)).join("");
    const ecma = [...text.matchAll(/\p{L}/gu)].map((m) => m.index);
    const re2 = [...RE2JS.compile(ecmaToRe2("\\p{L}")).matchAll(text)].map((m) => m.index);
    expect(re2.length).toBeGreaterThan(100_000);
    expect(re2).toEqual(ecma);
  });
});

describe("a pattern the linear engine refuses", () => {
  it.each([
    ["lookahead", "^(?=.*\\d)\\w+$", /lookahead/],
    ["negative lookahead", "^(?!admin)\\w+$", /lookahead/],
    ["lookbehind", "(?<=\\$)\\d+", /lookbehind/],
    ["negative lookbehind", "(?<!\\$)\\d+", /lookbehind/],
    ["a numbered backreference", "^(a)\\1$", /backreference/],
    ["a named backreference", "^(?<q>['\"]).*\\k<q>$", /backreference/],
    ["an inline modifier", "^(?i:abc)$", /modifier/],
    ["a long General_Category name", "^\\p{Letter}+$", /General_Category/],
    ["a binary property", "^\\p{Emoji}$", /\\p\{Emoji\}/],
    ["Script_Extensions", "^\\p{scx=Greek}$", /not supported/],
    ["a short script name", "^\\p{Script=Grek}$", /linear engine/],
    ["a repeat over 1,000", "^a{1001}$", /1,000/],
    ["nested repeats multiplying past 1,000", "^(?:(?:ab){100}){20}$", /1,000/],
    ["a program over the size limit", "^(?:[a-z]{1,500}-){2}[a-z]{1,500}$", /instructions/],
    ["more than 256 characters", `^${"a".repeat(300)}$`, /at most 256/],
  ])("refuses %s, which RegExp accepts, and says why", (_what, pattern, why) => {
    if (pattern.length <= 256) expect(() => new RegExp(pattern, "u")).not.toThrow();
    expect(compilePattern(pattern)).toMatchObject({ refused: expect.stringMatching(why) });
  });

  it("refuses what is not an ECMA-262 pattern in u mode, though RE2 would read it", () => {
    for (const pattern of ["(?i)abc", "\\Aabc\\z", "[[:alpha:]]", "\\x{41}", "a{,3}", "\\Q.\\E", "\\-", "([a-z"]) {
      expect([pattern, compilePattern(pattern)]).toEqual([
        pattern,
        { refused: expect.stringMatching(/not a valid regular expression/), size: 0 },
      ]);
    }
  });
});
