import { describe, expect, it } from "vitest";
import { type PersistenceTime, persistently } from "../../functions/adapters/lambda/persistent-call.ts";
import { DependencyError } from "../../functions/core/kernel/errors.ts";
import { FakeClock } from "../support/fakes.ts";

/** Fake time: sleeping moves the clock on at once, and every pause is recorded. */
function fakeTime(random = 0.5): PersistenceTime & { clock: FakeClock; pauses: number[] } {
  const clock = new FakeClock();
  clock.randomValue = random;
  const pauses: number[] = [];
  return {
    clock,
    pauses,
    sleep: async (ms) => {
      pauses.push(ms);
      clock.advance(ms);
    },
  };
}

describe("persistently", () => {
  it("retries a dependency failure until the call succeeds within the budget", async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await persistently(
      async () => {
        calls++;
        if (calls < 3) throw new DependencyError("dynamodb", "down");
        return "written";
      },
      5_000,
      time,
    );
    expect(result).toBe("written");
    expect(calls).toBe(3);
  });

  it("backs off exponentially from 50 ms, capped at 1 s, jittered by the clock's randomness", async () => {
    const time = fakeTime(1);
    await expect(persistently(() => Promise.reject(new DependencyError("dynamodb", "down")), 10_000, time)).rejects.toThrow("down");
    // random() = 1 gives the full pause: 50, 100, 200, 400, 800, then 1000 each.
    expect(time.pauses.slice(0, 7)).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
    const half = fakeTime(0);
    await expect(persistently(() => Promise.reject(new DependencyError("dynamodb", "down")), 1_000, half)).rejects.toThrow();
    expect(half.pauses.slice(0, 3)).toEqual([25, 50, 100]);
  });

  it("gives up once the budget is spent, with the last error, and never sleeps past it", async () => {
    const time = fakeTime();
    const start = time.clock.time;
    let calls = 0;
    const failing = persistently(
      async () => {
        calls++;
        throw new DependencyError("dynamodb", `down ${calls}`);
      },
      2_000,
      time,
    );
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as Error).message).toBe(`down ${calls}`);
    expect(calls).toBeGreaterThan(1);
    expect(time.clock.time - start).toBeLessThan(2_000);
  });

  it("tries once and waits for nothing when the budget is already spent", async () => {
    const time = fakeTime();
    let calls = 0;
    const late = persistently(
      async () => {
        calls++;
        throw new DependencyError("dynamodb", "down");
      },
      -1,
      time,
    );
    await expect(late).rejects.toBeInstanceOf(DependencyError);
    expect(calls).toBe(1);
    expect(time.pauses).toEqual([]);
  });

  it("does not retry anything but a dependency failure", async () => {
    const time = fakeTime();
    let calls = 0;
    const bug = persistently(
      async () => {
        calls++;
        throw new TypeError("a bug");
      },
      5_000,
      time,
    );
    await expect(bug).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });
});
