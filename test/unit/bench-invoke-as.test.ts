/**
 * The bench's invocation timer (bench/support/caller.ts): an invocation is "alone" only when no
 * other ran on its thread at any moment of it, and the CPU shares of overlapping invocations add up
 * to the thread's CPU meanwhile, whatever the pattern of starts and ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invokeAs } from "../../bench/support/caller.ts";

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
        // Some CPU of its own, so that the shares have something to split.
        const spinUntil = performance.now() + SPIN_MS;
        while (performance.now() < spinUntil);
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

/** CPU each invocation spends of its own, and the slack for thread CPU accounted by scheduler ticks. */
const SPIN_MS = 3;
const TICK_MS = 10;

const cpuMs = () => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};

describe("invokeAs", () => {
  it("marks alone exactly the invocations that no other overlapped, and splits the thread's CPU among them without loss or excess", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(span, { minLength: 1, maxLength: 8 }), async (spans) => {
        const before = cpuMs();
        const { alone, shares } = await run(spans);
        const spent = cpuMs() - before;
        expect(alone).toEqual(spans.map((s, i) => !spans.some((o, j) => j !== i && overlaps(s, o))));
        // Together the shares hold the invocations' spins at least and no more than the thread spent,
        // within the kernel's accounting granularity (a scheduler tick, a few ms).
        const total = shares.reduce((a, b) => a + b, 0);
        expect(total).toBeGreaterThanOrEqual(SPIN_MS * spans.length - TICK_MS);
        expect(total).toBeLessThanOrEqual(spent + TICK_MS);
      }),
      { numRuns: 30 },
    );
  });
});
