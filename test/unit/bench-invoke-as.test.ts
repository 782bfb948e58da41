/**
 * The bench's invocation timer (bench/support/caller.ts): an invocation is "alone" only when no
 * other ran on its thread at any moment of it, and the CPU shares of overlapping invocations add up
 * to the thread's CPU meanwhile, whatever the pattern of starts and ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invokeAs, useCpuClock } from "../../bench/support/caller.ts";

const span = fc.record({ start: fc.integer({ min: 0, max: 40 }), length: fc.integer({ min: 1, max: 20 }) });
type Span = { start: number; length: number };
const overlaps = (a: Span, b: Span) => a.start < b.start + b.length && b.start < a.start + a.length;

/** Runs one invocation per span on a clock of ticks; at one tick, invocations ending there end before those starting there start. */
async function run(spans: Span[]): Promise<{ alone: boolean[]; shares: number[] }> {
  const waiters: { at: number; end: boolean; resolve: () => void }[] = [];
  const until = (at: number, end: boolean) => new Promise<void>((resolve) => waiters.push({ at, end, resolve }));
  const alone: boolean[] = [];
  const shares: number[] = [];
  const runs = spans.map(async (s, i) => {
    await until(s.start, false);
    await invokeAs(
      "api",
      async () => {
        // Some CPU of its own, so that the shares have something to split (on the test's CPU clock).
        cpuMicros += SPIN_MS * 1000;
        await until(s.start + s.length, true);
      },
      (_ms, cpuMs, isAlone) => {
        alone[i] = isAlone;
        shares[i] = cpuMs;
      },
    );
  });
  for (let tick = 0; tick <= 61; tick++) {
    for (const end of [true, false]) {
      for (const w of waiters.filter((x) => x.at === tick && x.end === end)) w.resolve();
      await new Promise((r) => setImmediate(r));
    }
  }
  await Promise.all(runs);
  return { alone, shares };
}

/**
 * CPU each invocation spends of its own, on a CPU clock the test advances: the thread's own clock
 * counts in scheduler ticks and gives a spinning invocation less than its wall time on a loaded machine.
 */
const SPIN_MS = 3;
let cpuMicros = 0;

describe("invokeAs", () => {
  it("marks alone exactly the invocations that no other overlapped, and splits the thread's CPU among them without loss or excess", async () => {
    const restore = useCpuClock(() => cpuMicros);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(span, { minLength: 1, maxLength: 8 }), async (spans) => {
          const { alone, shares } = await run(spans);
          expect(alone).toEqual(spans.map((s, i) => !spans.some((o, j) => j !== i && overlaps(s, o))));
          // Together the shares hold exactly the CPU spent while any ran: every spin, nothing lost, nothing twice.
          const total = shares.reduce((a, b) => a + b, 0);
          expect(total).toBeCloseTo(SPIN_MS * spans.length, 6);
          // An invocation alone gets its own spin exactly; one overlapped, some share of the spins around it.
          spans.forEach((_, i) => {
            if (alone[i]) expect(shares[i]).toBeCloseTo(SPIN_MS, 6);
          });
        }),
        { numRuns: 50 },
      );
    } finally {
      restore();
    }
  });
});
