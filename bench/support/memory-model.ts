/**
 * What a Lambda memory size means for a CPU-bound piece of work measured on one core here: Lambda
 * gives a function CPU in proportion to its memory, one vCPU at 1,769 MB (AWS's Lambda developer
 * guide, "Configure memory"), so work that takes c ms of CPU takes about c x 1,769 / memory ms
 * below that size. Waiting (a long poll's pause, a DynamoDB round trip) does not scale. This
 * machine's core stands in for a Lambda vCPU (arm64 Graviton); the figures are estimates, not
 * measurements on Lambda.
 */
import { PRICES } from "./prices.ts";

/** Memory at which a Lambda function gets one full vCPU. */
export const ONE_VCPU_MB = 1_769;

/** The share of one vCPU a function of `memoryMb` gets (1 at 1,769 MB and above). */
export function cpuShare(memoryMb: number): number {
  return Math.min(1, memoryMb / ONE_VCPU_MB);
}

/** Milliseconds that `cpuMs` of work on one core takes at `memoryMb`, plus `waitMs` that does not scale. */
export function durationAt(memoryMb: number, cpuMs: number, waitMs = 0): number {
  return cpuMs / cpuShare(memoryMb) + waitMs;
}

/**
 * Dollars per million invocations of `durationMs` each at `memoryMb` on arm64: the request charge
 * and the billed duration (rounded up to the millisecond, as Lambda bills it).
 */
export function lambdaCostPerMillion(memoryMb: number, durationMs: number): number {
  const gbSeconds = (memoryMb / 1024) * (Math.ceil(durationMs) / 1000);
  return 1e6 * (PRICES.lambdaRequest + gbSeconds * PRICES.lambdaGbSecondArm);
}

/** Dollars per million of `durationMs` of init at `memoryMb`: billed since August 2025, with no request charge. */
export function initCostPerMillion(memoryMb: number, durationMs: number): number {
  return lambdaCostPerMillion(memoryMb, durationMs) - 1e6 * PRICES.lambdaRequest;
}

/**
 * How many times a long poll of `waitMs` looks at an empty feed, the first read included, with the
 * pauses of functions/core/feed/long-poll.ts (starting at `firstMs`, growing by a quarter to `maxMs`).
 */
export function looksInWait(waitMs: number, firstMs: number, maxMs: number): number {
  let looks = 1;
  let interval = firstMs;
  for (let left = waitMs; left > 0; looks++) {
    left -= Math.min(interval, left);
    interval = Math.min(Math.round(interval * 1.25), maxMs);
  }
  return looks;
}
