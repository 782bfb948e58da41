import { RE2JS } from "re2js";
import { ecmaToRe2, UntranslatablePatternError } from "./ecma-to-re2.ts";
import { MAX_PATTERN_LENGTH, MAX_PATTERN_PROGRAM, PATTERN_WORK_FLOOR, PATTERN_WORK_PER_BYTE } from "./schema-limits.ts";

/**
 * The one engine every schema pattern runs on: re2js, a JavaScript port of RE2, whose matching
 * time is linear in the string. Linear is not yet bounded: its constant is the size of the
 * compiled program (a check of `a.{400}b$` on 50,000 characters took 0.9 s once RE2's lazy DFA
 * gave way to its NFA). So each validation carries a work meter, in units of about 50 to 80 ns
 * here on the worst inputs: 2 per character read, the program's size per DFA state built (past a first fill of each
 * pattern's DFA, which is free), and the live threads of each NFA step. A validation that would
 * exceed its allowance stops at once.
 */

/** Units each character read costs. */
const CHARACTER_UNITS = 2;
/** Memory for each pattern's lazy DFA (re2js's default is 8 MB): states beyond it are rebuilt. */
const DFA_MEMORY_BYTES = 1 << 20;
/**
 * Units of DFA states each pattern builds free of charge: about one fill of its memory. A schema's
 * patterns build their few states on the container's first payloads, which must not be refused
 * for it; only a pattern that keeps building states (a DFA thrashing on hostile input) pays.
 */
const DFA_FREE_UNITS = 1 << 17;

/** A pattern compiled for the linear engine. */
export interface LinearPattern {
  /** Whether the pattern matches somewhere in `text` (ECMA-262 `RegExp.prototype.test`). */
  test(text: string): boolean;
  /** The compiled program's size, in instructions. */
  readonly size: number;
}

/** A validation stopped because its pattern checks would have exceeded their work allowance. */
export class PatternWorkExceededError extends Error {
  override readonly name = "PatternWorkExceededError";
  /** The string whose check ran out of work, the work counted when it stopped, and the allowance. */
  readonly text: string;
  readonly work: number;
  readonly allowance: number;

  constructor(text: string, work: number, allowance: number) {
    super(`pattern checks exceeded their work allowance (${work} units of ${allowance})`);
    this.text = text;
    this.work = work;
    this.allowance = allowance;
  }
}

/** Why a pattern may not run (a message for a schema issue), and the size of the program compiled to find out (0 if none). */
export interface PatternRefusal {
  refused: string;
  size: number;
}

/** The pattern compiled for the linear engine, or why it may not run. */
export function compilePattern(pattern: string): LinearPattern | PatternRefusal {
  const refuse = (refused: string, size = 0) => ({ refused, size });
  if (pattern.length > MAX_PATTERN_LENGTH) return refuse(`must be at most ${MAX_PATTERN_LENGTH} characters`);
  try {
    new RegExp(pattern, "u");
  } catch {
    return refuse("is not a valid regular expression (ECMA-262 with the u flag)");
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(ecmaToRe2(pattern));
  } catch (error) {
    if (error instanceof UntranslatablePatternError) return refuse(error.message);
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    return refuse(
      /repeat count/.test(detail)
        ? "repeats more than 1,000 times (nested counts multiply): bound it with maxLength instead"
        : `cannot run on the linear engine (${detail})`,
    );
  }
  const size = re.programSize();
  if (size > MAX_PATTERN_PROGRAM) {
    return refuse(
      `compiles to ${size} instructions, over ${MAX_PATTERN_PROGRAM}: shorten its counted repeats ({n,m}), or bound the length with maxLength`,
      size,
    );
  }
  hooks?.limitDfa(re);
  return {
    size,
    test(text: string) {
      // Without the engine's counters (see `hooks`), assume the worst: every character on every instruction.
      spend(text, hooks ? CHARACTER_UNITS * text.length : text.length * (size + CHARACTER_UNITS));
      return re.test(text);
    },
  };
}

/** The meter of the validation under way: validation is synchronous, so one at a time. */
let meter: { spent: number; allowance: number; widen: (() => number) | undefined; text: string } | undefined;

function spend(text: string, units: number): void {
  if (!meter) return;
  meter.text = text;
  meter.spent += units;
  if (meter.spent <= meter.allowance) return;
  if (meter.widen) {
    meter.allowance = Math.max(meter.allowance, meter.widen());
    meter.widen = undefined;
    if (meter.spent <= meter.allowance) return;
  }
  throw new PatternWorkExceededError(meter.text, meter.spent, meter.allowance);
}

/**
 * Runs `check` with a work allowance of PATTERN_WORK_FLOOR, raised to PATTERN_WORK_PER_BYTE per
 * byte of `value` as JSON when the floor runs out. Throws PatternWorkExceededError past it.
 */
export function withPatternBudget<T>(value: unknown, check: () => T): { result: T; work: number } {
  const outer = meter;
  meter = {
    spent: 0,
    allowance: PATTERN_WORK_FLOOR,
    widen: () => PATTERN_WORK_PER_BYTE * Buffer.byteLength(JSON.stringify(value) ?? ""),
    text: "",
  };
  try {
    const result = check();
    return { result, work: meter.spent };
  } finally {
    meter = outer;
  }
}

/**
 * Counters inside re2js 2.10.0 (pinned): each DFA state the lazy DFA builds costs about its
 * program's size, each NFA step its live threads. Reached through one compiled pattern at load; if
 * a future version moves them, `hooks` stays undefined and every check is charged its worst case.
 */
const hooks = installHooks();

type Internal = { re2Input?: { dfa?: object; prog?: unknown; lazyDFA?: unknown; machinePool?: object[] } };
type MakeState = (this: { prog: { numInst(): number } }, ...args: unknown[]) => unknown;
type Step = (this: unknown, runq: { size: number }, ...rest: unknown[]) => unknown;

function installHooks(): { limitDfa(re: RE2JS): void } | undefined {
  try {
    const dfaProbe = (RE2JS.compile("a") as unknown as Internal).re2Input;
    const nfaProbe = RE2JS.compile("(?<=a)b", RE2JS.LOOKBEHINDS);
    nfaProbe.test("ab");
    const machine = (nfaProbe as unknown as Internal).re2Input?.machinePool?.[0];
    const dfa = dfaProbe?.dfa;
    if (!dfa || !machine) return undefined;
    const dfaProto = Object.getPrototypeOf(dfa) as { makeState?: MakeState; constructor: new (prog: unknown, maxMem: number) => unknown };
    const machineProto = Object.getPrototypeOf(machine) as { step?: Step };
    const makeState = dfaProto.makeState;
    const step = machineProto.step;
    if (typeof makeState !== "function" || typeof step !== "function") return undefined;
    const free = new WeakMap<object, number>();
    dfaProto.makeState = function (...args) {
      const units = this.prog.numInst();
      const left = free.get(this) ?? DFA_FREE_UNITS;
      if (left >= units) free.set(this, left - units);
      else spend(meter?.text ?? "", units);
      return makeState.apply(this, args);
    };
    machineProto.step = function (runq, ...rest) {
      spend(meter?.text ?? "", runq.size + 1);
      return step.call(this, runq, ...rest);
    };
    const Dfa = dfaProto.constructor;
    return {
      limitDfa(re) {
        const inner = (re as unknown as Internal).re2Input;
        if (inner && inner.lazyDFA === null) inner.lazyDFA = new Dfa(inner.prog, DFA_MEMORY_BYTES);
      },
    };
  } catch {
    return undefined;
  }
}
