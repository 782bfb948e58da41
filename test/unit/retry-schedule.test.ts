import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../functions/core/kernel/errors.ts";
import {
  backoffSeconds,
  fitsRetention,
  MAX_DELAY_SECONDS,
  maxReceiveCount,
  parseRetrySchedule,
  queueRetentionSeconds,
  RECEIVE_COUNT_SLACK,
  retryDelaySeconds,
  scheduleWindowSeconds,
} from "../../functions/core/policy/retry-schedule.ts";
import { CreateEndpoint } from "../../functions/core/requests/validation.ts";

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

  it("never asks SQS for more than 12 hours less the longest a Lambda can have run since the receive", () => {
    const long = parseRetrySchedule("36000");
    expect(retryDelaySeconds(long, 1, () => 0.999999)).toBe(MAX_DELAY_SECONDS - 900);
  });

  it("reports the whole window with jitter", () => {
    expect(scheduleWindowSeconds(schedule)).toBe(Math.ceil(2105 * 1.2));
  });

  it.each(["", "5,x", "-1", "1.5", "40000", "0", "5,0,300"])("rejects %j", (text) => {
    expect(() => parseRetrySchedule(text)).toThrow(ConfigError);
  });
});

describe("backoff after a failed attempt", () => {
  const schedule = parseRetrySchedule("5,300,1800");
  const mid = () => 0.5;
  const retry = { ok: false as const, action: "retry" as const, reason: "http_500" };
  const slowDown = (retryAfterSeconds?: number) => ({
    ok: false as const,
    action: "slow_down" as const,
    reason: "http_429",
    retryAfterSeconds,
  });

  it("follows the schedule for ordinary failures and ends with it", () => {
    expect(backoffSeconds(schedule, 1, retry, mid, 60)).toBe(5);
    expect(backoffSeconds(schedule, 4, retry, mid, 60)).toBeUndefined();
  });

  it("waits at least the slow-down delay after 429, 502, 503 and 504", () => {
    expect(backoffSeconds(schedule, 1, slowDown(), mid, 60)).toBe(60);
    expect(backoffSeconds(schedule, 2, slowDown(), mid, 60)).toBe(300);
  });

  it("honours Retry-After within [scheduled delay, 2 x scheduled delay]", () => {
    expect(backoffSeconds(schedule, 2, slowDown(450), mid, 60)).toBe(450);
    expect(backoffSeconds(schedule, 2, slowDown(10), mid, 60)).toBe(300);
    expect(backoffSeconds(schedule, 2, slowDown(100_000), mid, 60)).toBe(600);
    // The floor still holds when the clamp is below it.
    expect(backoffSeconds(schedule, 1, slowDown(1), mid, 60)).toBe(60);
  });

  it("never waits past SQS's 12-hour visibility limit", () => {
    const long = parseRetrySchedule("36000");
    expect(backoffSeconds(long, 1, slowDown(80_000), () => 0.999999, 60)).toBe(MAX_DELAY_SECONDS - 900);
  });

  it("waits the slow-down delay even when the endpoint's schedule is shorter", () => {
    expect(backoffSeconds(parseRetrySchedule("1,2"), 1, slowDown(), mid, 60)).toBe(60);
    expect(backoffSeconds(parseRetrySchedule("1,2"), 1, { ok: false, action: "retry", reason: "500" }, mid, 60)).toBe(1);
  });
});

describe("retention and receive budget", () => {
  it("fits an endpoint schedule in the queue's retention with a day to spare", () => {
    const retention = queueRetentionSeconds(parseRetrySchedule("5,300,1800,7200,18000,36000,36000"));
    expect(retention).toBe(4 * 86_400);
    expect(fitsRetention([36000, 36000, 36000, 36000, 36000], retention)).toBe(true);
    expect(fitsRetention(Array(8).fill(36000), retention)).toBe(false);
  });

  it("derives maxReceiveCount from the global schedule plus slack", () => {
    expect(maxReceiveCount([1, 1])).toBe(3 + RECEIVE_COUNT_SLACK);
  });
});

describe("the smallest delay", () => {
  const delay = fc.integer({ min: 1, max: 36_000 });
  const tooShort = fc.integer({ min: -1_000, max: 0 });
  /** A schedule of 1 to 50 delays; with `bad`, one of them (anywhere) is replaced by it. */
  const schedule = (bad?: fc.Arbitrary<number>) =>
    fc
      .array(delay, { minLength: 1, maxLength: 50 })
      .chain((delays) =>
        bad === undefined
          ? fc.constant(delays)
          : fc.tuple(fc.nat({ max: delays.length - 1 }), bad).map(([at, value]) => delays.map((d, i) => (i === at ? value : d))),
      );

  it("is at least 1 s in an endpoint's schedule: [0] and any schedule holding a delay under 1 s answer a validation issue", () => {
    expect(v.safeParse(CreateEndpoint, { url: "https://a.example/", retrySchedule: [0] }).success).toBe(false);
    fc.assert(
      fc.property(schedule(tooShort), (delays) => {
        const result = v.safeParse(CreateEndpoint, { url: "https://a.example/", retrySchedule: delays });
        expect(result.issues?.map((i) => v.getDotPath(i))).toEqual(["retrySchedule"]);
      }),
    );
    fc.assert(
      fc.property(schedule(), (delays) => {
        expect(v.safeParse(CreateEndpoint, { url: "https://a.example/", retrySchedule: delays }).success).toBe(true);
      }),
    );
  });

  it("is at least 1 s in the global RETRY_SCHEDULE too, however the zero is written", () => {
    fc.assert(
      fc.property(schedule(fc.constantFrom(0)), fc.constantFrom("0", "00", " 0", "000"), (delays, zero) => {
        const text = delays.map((d) => (d === 0 ? zero : String(d))).join(",");
        expect(() => parseRetrySchedule(text)).toThrow(/at least 1/);
      }),
    );
    fc.assert(
      fc.property(schedule(), (delays) => {
        expect(parseRetrySchedule(delays.join(","))).toEqual(delays);
      }),
    );
  });
});
