import { describe, expect, it } from "vitest";
import { ConfigError } from "../../functions/core/errors.ts";
import { MAX_DELAY_SECONDS, parseRetrySchedule, retryDelaySeconds, scheduleWindowSeconds } from "../../functions/core/retry-schedule.ts";

describe("retry schedule", () => {
  const schedule = parseRetrySchedule("5,300,1800");

  it("waits the scheduled delay after each failed attempt, then stops", () => {
    const noJitter = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(schedule, n, noJitter))).toEqual([5, 300, 1800, undefined]);
  });

  it("jitters by at most 20 % either way", () => {
    expect(retryDelaySeconds(schedule, 2, () => 0)).toBe(240);
    expect(retryDelaySeconds(schedule, 2, () => 0.999999)).toBe(360);
  });

  it("never asks SQS for more than 12 hours", () => {
    const long = parseRetrySchedule("36000");
    expect(retryDelaySeconds(long, 1, () => 0.999999)).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
  });

  it("reports the whole window with jitter", () => {
    expect(scheduleWindowSeconds(schedule)).toBe(Math.ceil(2105 * 1.2));
  });

  it.each(["", "5,x", "-1", "1.5", "40000"])("rejects %j", (text) => {
    expect(() => parseRetrySchedule(text)).toThrow(ConfigError);
  });
});
