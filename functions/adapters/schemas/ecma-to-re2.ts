/**
 * JSON Schema patterns are ECMA-262 regular expressions (with the `u` flag); the linear engine
 * speaks RE2's syntax, which spells some things differently and means other things by the same
 * spelling (`\s`, `.`). This rewrites a pattern that `new RegExp(pattern, "u")` accepts into an RE2
 * pattern that matches the same strings, or says why it cannot: backreferences and lookaround have
 * no linear-time equivalent, and the rest is refused rather than guessed at.
 */

/** A pattern with no linear-time RE2 equivalent; the message says which construct. */
export class UntranslatablePatternError extends Error {
  override readonly name = "UntranslatablePatternError";
}

type Range = readonly [number, number];

/** ECMA-262 WhiteSpace and LineTerminator: what `\s` means there (RE2's `\s` is only `[\t\n\f\r ]`). */
const WHITE_SPACE: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
/** What `.` does not match in ECMA-262 without the `s` flag (RE2's `.` only leaves out `\n`). */
const LINE_TERMINATORS: Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const MAX_CODE_POINT = 0x10ffff;

/** General_Category values as ECMA-262 and RE2 both spell them (RE2 knows no long names such as `Letter`). */
const CATEGORIES = new Set(
  "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Co Cs".split(" "),
);

/** An RE2 pattern matching exactly the strings `pattern` (valid ECMA-262 with the `u` flag) matches. */
export function ecmaToRe2(pattern: string): string {
  return new Translation(pattern).run();
}

/** One class member: a single code point (which a range may join) or a set written out already. */
type ClassAtom = { char: number } | { set: string };

class Translation {
  private readonly cp: number[];
  private i = 0;

  constructor(pattern: string) {
    this.cp = Array.from(pattern, (c) => c.codePointAt(0) as number);
  }

  run(): string {
    let out = "";
    while (this.i < this.cp.length) {
      const c = this.at();
      if (c === "\\") out += this.escape();
      else if (c === "[") out += this.characterClass();
      else if (c === "(") out += this.group();
      else if (c === ".") {
        out += `[^${written(LINE_TERMINATORS)}]`;
        this.i++;
      } else if (c === "{") out += this.counted();
      else if ("^$|)*+?".includes(c)) {
        out += c;
        this.i++;
      } else out += literal(this.cp[this.i++] as number);
    }
    return out;
  }

  private at(k = 0): string {
    const c = this.cp[this.i + k];
    return c === undefined ? "" : String.fromCodePoint(c);
  }

  /** `{n}`, `{n,}` or `{n,m}`: in `u` mode a brace can only open a quantifier, which RE2 writes alike. */
  private counted(): string {
    const end = this.cp.indexOf(0x7d, this.i);
    const text = String.fromCodePoint(...this.cp.slice(this.i, end + 1));
    this.i = end + 1;
    return text;
  }

  private group(): string {
    const head = String.fromCodePoint(...this.cp.slice(this.i, this.i + 4));
    if (head.startsWith("(?=") || head.startsWith("(?!")) throw new UntranslatablePatternError("lookahead ((?= or (?!) is not supported");
    if (head.startsWith("(?<=") || head.startsWith("(?<!"))
      throw new UntranslatablePatternError("lookbehind ((?<= or (?<!) is not supported");
    if (head.startsWith("(?:")) {
      this.i += 3;
    } else if (head.startsWith("(?<")) {
      // A named group: nothing refers to it (backreferences are refused), so it needs no name.
      this.i = this.cp.indexOf(0x3e, this.i) + 1;
    } else if (head.startsWith("(?")) {
      throw new UntranslatablePatternError("inline modifiers such as (?i:…) are not supported");
    } else {
      this.i += 1;
    }
    // Captures serve nothing when only a match is asked for; RE2 runs faster without them.
    return "(?:";
  }

  /** An escape outside a class. */
  private escape(): string {
    const e = this.at(1);
    if ("dDwWbB".includes(e)) {
      this.i += 2;
      return `\\${e}`;
    }
    if (e === "s" || e === "S") {
      this.i += 2;
      return e === "s" ? `[${written(WHITE_SPACE)}]` : `[^${written(WHITE_SPACE)}]`;
    }
    if (e === "p" || e === "P") return this.property();
    if (e === "k" || /[1-9]/.test(e)) throw new UntranslatablePatternError("backreferences (\\1, \\k<name>) are not supported");
    return literal(this.characterEscape());
  }

  /** `\p{…}` or `\P{…}`, kept to General_Category and Script values, which both engines define alike. */
  private property(): string {
    const negated = this.at(1) === "P";
    const close = this.cp.indexOf(0x7d, this.i);
    const body = String.fromCodePoint(...this.cp.slice(this.i + 3, close));
    this.i = close + 1;
    const [key, value] = body.includes("=") ? body.split("=") : [undefined, body];
    let name: string | undefined;
    if (key === undefined || key === "gc" || key === "General_Category") {
      name = value === "Any" && key === undefined ? "Any" : CATEGORIES.has(value ?? "") ? value : undefined;
    } else if (key === "sc" || key === "Script") {
      name = value;
    }
    if (name === undefined) {
      throw new UntranslatablePatternError(
        `\\p{${body}} is not supported: use a short General_Category (\\p{L}, \\p{Lu}, \\p{Nd}…) or \\p{Script=Name}`,
      );
    }
    return `\\${negated ? "P" : "p"}{${name}}`;
  }

  /** A CharacterEscape (`\n`, `\cJ`, `\x41`, `\u0041`, `\u{41}`, `\0`, `\.`…) as its code point. */
  private characterEscape(): number {
    const e = this.at(1);
    const simple: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, 0: 0 };
    if (e in simple) {
      this.i += 2;
      return simple[e] as number;
    }
    if (e === "c") {
      const letter = this.cp[this.i + 2] as number;
      this.i += 3;
      return letter % 32;
    }
    if (e === "x") {
      const hex = String.fromCodePoint(...this.cp.slice(this.i + 2, this.i + 4));
      this.i += 4;
      return Number.parseInt(hex, 16);
    }
    if (e === "u") return this.unicodeEscape();
    this.i += 2;
    return this.cp[this.i - 1] as number;
  }

  /** `\uXXXX`, a surrogate pair of them (one code point in `u` mode), or `\u{X…}`. */
  private unicodeEscape(): number {
    if (this.at(2) === "{") {
      const close = this.cp.indexOf(0x7d, this.i);
      const value = Number.parseInt(String.fromCodePoint(...this.cp.slice(this.i + 3, close)), 16);
      this.i = close + 1;
      return value;
    }
    const four = (from: number) => Number.parseInt(String.fromCodePoint(...this.cp.slice(from, from + 4)), 16);
    const high = four(this.i + 2);
    this.i += 6;
    if (high >= 0xd800 && high <= 0xdbff && this.at() === "\\" && this.at(1) === "u" && /^[0-9a-fA-F]{4}$/.test(this.slice(2, 6))) {
      const low = four(this.i + 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.i += 6;
        return 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
      }
    }
    return high;
  }

  private slice(from: number, to: number): string {
    return String.fromCodePoint(...this.cp.slice(this.i + from, this.i + to));
  }

  private characterClass(): string {
    this.i++;
    const negated = this.at() === "^";
    if (negated) this.i++;
    const parts: string[] = [];
    while (this.at() !== "]") {
      const first = this.classAtom();
      if ("char" in first && this.at() === "-" && this.at(1) !== "]") {
        this.i++;
        // In `u` mode both ends of a range are single characters.
        const last = this.classAtom() as { char: number };
        parts.push(`${literal(first.char)}-${literal(last.char)}`);
      } else {
        parts.push("char" in first ? literal(first.char) : first.set);
      }
    }
    this.i++;
    // RE2 has no empty class: `[]` matches nothing, `[^]` any character.
    if (parts.length === 0) return `[${negated ? "" : "^"}${written([[0, MAX_CODE_POINT]])}]`;
    return `[${negated ? "^" : ""}${parts.join("")}]`;
  }

  private classAtom(): ClassAtom {
    if (this.at() !== "\\") return { char: this.cp[this.i++] as number };
    const e = this.at(1);
    if ("dDwW".includes(e)) {
      this.i += 2;
      return { set: `\\${e}` };
    }
    if (e === "s" || e === "S") {
      this.i += 2;
      return { set: written(e === "s" ? WHITE_SPACE : complement(WHITE_SPACE)) };
    }
    if (e === "p" || e === "P") return { set: this.property() };
    if (e === "b") {
      this.i += 2;
      return { char: 0x08 };
    }
    return { char: this.characterEscape() };
  }
}

/** A code point as RE2 reads it literally anywhere: letters and digits as they are, the rest as `\x{…}`. */
function literal(cp: number): string {
  return /^[A-Za-z0-9]$/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : `\\x{${cp.toString(16)}}`;
}

/** Ranges as the inside of an RE2 class. */
function written(ranges: Range[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`)).join("");
}

/** The code points outside `ranges` (sorted, disjoint). */
function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}
