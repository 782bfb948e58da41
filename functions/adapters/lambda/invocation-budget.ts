import type { HttpSender } from "../../core/delivery/deps.ts";
import type { Clock } from "../../core/kernel/clock.ts";
import { DependencyError } from "../../core/kernel/errors.ts";

// Read as a CommonJS module, not an ES import: the import's facade of node:async_hooks costs a cold
// start about 0.15 ms more (docs/performance.md, "Cold start").
const { AsyncLocalStorage } = process.getBuiltinModule("node:async_hooks");

/** What a Lambda context tells of the invocation's time (absent locally in tests that pass none). */
export interface InvocationContext {
  getRemainingTimeInMillis?: () => number;
}

/**
 * A call was not started, or was abandoned, because the invocation's time was nearly spent. Its
 * `name` stays DependencyError's (a literal there): callers treat it as any failure of ours.
 */
export class OutOfTimeError extends DependencyError {
  constructor(what: string) {
    super("time", `${what}: the invocation's time is nearly spent`);
  }
}

/**
 * The time an invocation has left, known to every dependency call it makes. A call that would
 * outlast the invocation fails as ours (OutOfTimeError, a DependencyError) while there is still time
 * to answer: the API answers 503 + Retry-After instead of timing out into a gateway 500, and the
 * worker reports the message as a batch item failure instead of failing the whole batch by timeout.
 * Each invocation carries its own deadline (AsyncLocalStorage), so concurrent local invocations of
 * one container do not share one.
 */
export class InvocationBudget {
  private readonly deadlines = new AsyncLocalStorage<number>();
  private readonly clock: Clock;
  /** Kept back from the deadline to answer: build the response, log, return it. */
  readonly reserveMs: number;

  constructor(clock: Clock, reserveMs: number) {
    this.clock = clock;
    this.reserveMs = reserveMs;
  }

  /** The handler, run with its invocation's deadline in view of every call it makes. */
  wrap<E, C extends InvocationContext | undefined, R>(handler: (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R> {
    return (event, context) => {
      const left = context?.getRemainingTimeInMillis?.();
      if (left === undefined) return handler(event, context);
      return this.deadlines.run(this.clock.now().getTime() + left, () => handler(event, context));
    };
  }

  /** Milliseconds left to spend before the reserve; Infinity outside an invocation with a deadline. */
  remainingMs(): number {
    const deadline = this.deadlines.getStore();
    return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - this.reserveMs - this.clock.now().getTime();
  }

  /** Throws OutOfTimeError unless `needMs` fit in the time left. */
  require(needMs: number, what: string): void {
    if (this.remainingMs() < needMs) throw new OutOfTimeError(what);
  }

  /** The call's result, or OutOfTimeError once the time left runs out first (the call is abandoned, not stopped). */
  async within<T>(what: string, call: () => Promise<T>): Promise<T> {
    const left = this.remainingMs();
    if (left === Number.POSITIVE_INFINITY) return call();
    if (left <= 0) throw new OutOfTimeError(what);
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OutOfTimeError(what)), left);
    });
    try {
      return await Promise.race([call(), expiry]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The sender, starting a POST only when the POST (at most `postMs`) and what follows it (`afterMs`:
   * logging the attempt) fit in the time left. A POST that could not be logged in time would reach
   * the receiver and be sent again on redelivery.
   */
  guardSender(http: HttpSender, postMs: number, afterMs: number): HttpSender {
    return {
      post: async (url, headers, body, timeoutMs, watch) => {
        this.require(Math.min(postMs, timeoutMs ?? postMs) + afterMs, "POST");
        return http.post(url, headers, body, timeoutMs, watch);
      },
    };
  }
}
