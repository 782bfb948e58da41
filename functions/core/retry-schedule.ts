import { ConfigError } from "./errors.ts";

/** Delays in seconds between attempts: attempt n (1-based) that fails waits schedule[n-1]. */
export type RetrySchedule = readonly number[];

/** SQS cannot hold a message invisible for longer than 12 hours from its receipt. */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;

/** Parses "5,300,1800" into a schedule, rejecting anything SQS could not honour. */
export function parseRetrySchedule(text: string): RetrySchedule {
  const parts = text.split(",").map((p) => p.trim());
  const delays = parts.map(Number);
  if (parts.length > 50 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new ConfigError(`RETRY_SCHEDULE must be 1 to 50 comma-separated whole seconds, got "${text}"`);
  }
  if (delays.some((d) => d * 1.2 > MAX_DELAY_SECONDS)) {
    throw new ConfigError(`RETRY_SCHEDULE delays must stay under ${MAX_DELAY_SECONDS / 1.2} s (SQS visibility limit with jitter)`);
  }
  return Object.freeze(delays);
}

/** The whole window a delivery may take, jitter included: what queue retention must exceed. */
export function scheduleWindowSeconds(schedule: RetrySchedule): number {
  return Math.ceil(schedule.reduce((sum, d) => sum + d, 0) * 1.2);
}

/**
 * The delay after failed attempt `attempt`, with ±20 % jitter from `random` (0 ≤ r < 1),
 * or undefined when the schedule is used up and the delivery is exhausted.
 */
export function retryDelaySeconds(schedule: RetrySchedule, attempt: number, random: () => number): number | undefined {
  const base = schedule[attempt - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.min(jittered, MAX_DELAY_SECONDS);
}
