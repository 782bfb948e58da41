import { DependencyError } from "../core/errors.ts";

/**
 * Retries a call that failed with a DependencyError, with jittered exponential backoff, until
 * `budgetMs` has passed. For the one write whose loss costs the customer something: the log of an
 * attempt whose POST already reached the receiver. Given up, the message comes back and the
 * receiver sees the webhook twice; within the budget, a short outage costs no duplicate.
 */
export async function persistently<T>(call: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const pause = Math.min(1_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (!(error instanceof DependencyError) || Date.now() + pause >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
