/**
 * The bench's invocation timer (bench/support/caller.ts): an invocation is "alone" only when no
 * other ran on its thread at any moment of it, whatever the pattern of starts and ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invokeAs } from "../../bench/support/caller.ts";

const span = fc.record({ start: fc.integer({ min: 0, max: 40 }), length: fc.integer({ min: 1, max: 20 }) });
type Span = { start: number; length: number };
const overlaps = (a: Span, b: Span) => a.start < b.start + b.length && b.start < a.start + a.length;

/** Runs one invocation per span on a clock of ticks; at one tick, invocations ending there end before those starting there start. */
async function run(spans: Span[]): Promise<boolean[]> {
  const waiters: { at: number; end: boolean; resolve: () => void }[] = [];
  const until = (at: number, end: boolean) => new Promise<void>((resolve) => waiters.push({ at, end, resolve }));
  const alone: boolean[] = [];
  const runs = spans.map(async (s, i) => {
    await until(s.start, false);
    await invokeAs(
      "api",
      () => until(s.start + s.length, true),
      (_ms, _cpuMs, isAlone) => {
        alone[i] = isAlone;
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
  return alone;
}

describe("invokeAs", () => {
  it("marks alone exactly the invocations that no other overlapped", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(span, { minLength: 1, maxLength: 8 }), async (spans) => {
        const alone = await run(spans);
        expect(alone).toEqual(spans.map((s, i) => !spans.some((o, j) => j !== i && overlaps(s, o))));
      }),
      { numRuns: 60 },
    );
  });
});
