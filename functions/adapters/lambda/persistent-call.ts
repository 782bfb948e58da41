import type { Clock } from "../../core/kernel/clock.ts";
import { DependencyError } from "../../core/kernel/errors.ts";

/** Time for persistently: the clock (and its randomness) and how to wait; tests pass fake ones. */
export interface PersistenceTime {
  clock: Clock;
  sleep(ms: number): Promise<void>;
}

/** Waits on a real timer. */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries a call that failed with a DependencyError, with jittered exponential backoff, until
 * `budgetMs` has passed. For the one write whose loss costs the customer something: the log of an
 * attempt whose POST already reached the receiver. Given up, the message comes back and the
 * receiver sees the webhook twice; within the budget, a short outage costs no duplicate.
 */
export async function persistently<T>(call: () => Promise<T>, budgetMs: number, time: PersistenceTime): Promise<T> {
  const deadline = time.clock.now().getTime() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const pause = Math.min(1_000, 50 * 2 ** attempt) * (0.5 + time.clock.random() / 2);
      if (!(error instanceof DependencyError) || time.clock.now().getTime() + pause >= deadline) throw error;
      await time.sleep(pause);
    }
  }
}
