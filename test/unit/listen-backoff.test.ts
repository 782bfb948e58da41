import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../cli/listen/forward.ts";

describe("the local retry backoff", () => {
  it("starts at 0.5 s, doubles, stops growing at 10 s, and adds up to 20 % jitter", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => retryDelayMs(attempt, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(1, () => 0.5)).toBe(550);
    expect(retryDelayMs(30, () => 0.5)).toBe(11_000);
  });

  it("honours Retry-After up to 30 s, never waiting less than the backoff", () => {
    expect(retryDelayMs(1, () => 0, 5_000)).toBe(5_000);
    expect(retryDelayMs(1, () => 0, 120_000)).toBe(30_000);
    expect(retryDelayMs(5, () => 0, 1_000)).toBe(8_000);
  });
});
