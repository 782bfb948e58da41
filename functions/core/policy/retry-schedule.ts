import { SETTINGS } from "../config/settings.ts";
import { ConfigError } from "../kernel/errors.ts";
import type { Outcome } from "./outcome.ts";

/** Delays in seconds between attempts: attempt n (1-based) that fails waits schedule[n-1]. */
export type RetrySchedule = readonly number[];

/** The retry schedule of Svix and the Standard Webhooks example: about 27.5 hours in 8 attempts. */
export const DEFAULT_RETRY_SCHEDULE_TEXT: string = SETTINGS.retrySchedule.default;

/** SQS cannot hold a message invisible for longer than 12 hours from its receipt. */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;
/**
 * The longest visibility the worker asks for: the 12 hours count from the receive, and a Lambda
 * may have run up to 15 minutes since, so asking for the whole 12 hours could be refused.
 */
export const MAX_VISIBILITY_SECONDS = MAX_DELAY_SECONDS - 900;
/** The shortest delay between two attempts, global or per endpoint. */
export const MIN_DELAY_SECONDS = 1;
/** The longest schedule, global or per endpoint. */
export const MAX_SCHEDULE_LENGTH = 50;
/** Receives over the scheduled attempts before the queue itself dead-letters a message (crash loops, outages). */
export const RECEIVE_COUNT_SLACK = 20;

const DAY = 86_400;
/** SQS keeps a message at most 14 days. */
export const MAX_RETENTION_SECONDS = 14 * DAY;

/** Parses "5,300,1800" into a schedule, rejecting anything SQS could not honour. */
export function parseRetrySchedule(text: string): RetrySchedule {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) {
    throw new ConfigError(`RETRY_SCHEDULE must be 1 to ${MAX_SCHEDULE_LENGTH} comma-separated whole seconds, got "${text}"`);
  }
  const problem = scheduleProblem(parts.map(Number));
  if (problem) throw new ConfigError(`RETRY_SCHEDULE ${problem}, got "${text}"`);
  return Object.freeze(parts.map(Number));
}

/** Why a list of delays cannot be a schedule, or undefined when it can. */
export function scheduleProblem(delays: readonly number[]): string | undefined {
  if (delays.length < 1 || delays.length > MAX_SCHEDULE_LENGTH) return `must hold 1 to ${MAX_SCHEDULE_LENGTH} delays`;
  // A delay of 0 would retry a failing endpoint at once, in a loop as fast as the queue turns.
  if (delays.some((d) => !Number.isInteger(d) || d < MIN_DELAY_SECONDS))
    return `must hold whole seconds, each at least ${MIN_DELAY_SECONDS}`;
  if (delays.some((d) => d * 1.2 > MAX_DELAY_SECONDS)) {
    return `delays must stay under ${MAX_DELAY_SECONDS / 1.2} s (SQS visibility limit with jitter)`;
  }
  return undefined;
}

/** The whole window a delivery may take, jitter included: what queue retention must exceed. */
export function scheduleWindowSeconds(schedule: RetrySchedule): number {
  return Math.ceil(schedule.reduce((sum, d) => sum + d, 0) * 1.2);
}

/** The delivery queue's retention for a global schedule: its window plus a day, at least 4 days. */
export function queueRetentionSeconds(schedule: RetrySchedule): number {
  return Math.max(4 * DAY, scheduleWindowSeconds(schedule) + DAY);
}

/** True when a schedule's whole window, plus a day, fits in the queue's retention. */
export function fitsRetention(schedule: RetrySchedule, retentionSeconds: number): boolean {
  return scheduleWindowSeconds(schedule) + DAY <= retentionSeconds;
}

/** The redrive policy's maxReceiveCount: every scheduled attempt of the global schedule plus slack. */
export function maxReceiveCount(schedule: RetrySchedule): number {
  return schedule.length + 1 + RECEIVE_COUNT_SLACK;
}

/**
 * The delay after failed attempt `attempt`, with ±20 % jitter from `random` (0 ≤ r < 1),
 * or undefined when the schedule is used up and the delivery is exhausted.
 */
export function retryDelaySeconds(schedule: RetrySchedule, attempt: number, random: () => number): number | undefined {
  const base = schedule[attempt - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.min(jittered, MAX_VISIBILITY_SECONDS);
}

/**
 * The delay after a failed attempt given how it failed, or undefined when the schedule is used up.
 * A slow-down (429, 502, 503, 504) waits at least `slowDownSeconds` and honours Retry-After clamped
 * to [scheduled delay, 2 × scheduled delay]; nothing waits past SQS's 12-hour visibility limit
 * (less the 15 minutes a Lambda may have run since the receive).
 */
export function backoffSeconds(
  schedule: RetrySchedule,
  attempt: number,
  outcome: Extract<Outcome, { ok: false }>,
  random: () => number,
  slowDownSeconds: number,
): number | undefined {
  const scheduled = retryDelaySeconds(schedule, attempt, random);
  if (scheduled === undefined || outcome.action !== "slow_down") return scheduled;
  const asked =
    outcome.retryAfterSeconds === undefined ? scheduled : Math.min(Math.max(outcome.retryAfterSeconds, scheduled), 2 * scheduled);
  return Math.min(Math.max(asked, slowDownSeconds), MAX_VISIBILITY_SECONDS);
}
