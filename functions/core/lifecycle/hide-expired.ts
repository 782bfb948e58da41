import type { Clock } from "../kernel/clock.ts";

/*
 * Reads hide items past their `expiresAt`. DynamoDB's TTL deletes an expired item within a few days,
 * not at once, and the local emulator never does: without this, an event kept for 7 days would still
 * be shown on the 9th. The wrapper goes around a whole store, so a read method added later hides
 * expired items too; writes pass through (their answers hold no records).
 */

type Expiring = { expiresAt?: unknown };

/** True when the record carries a TTL (unix seconds) that has passed at `nowSeconds`. */
export function isExpired(record: unknown, nowSeconds: number): boolean {
  const at = (record as Expiring | null)?.expiresAt;
  return typeof at === "number" && at <= nowSeconds;
}

/** The answer with expired records left out: a record, an array, a Map's values or a page's items. */
export function withoutExpired<T>(answer: T, nowSeconds: number): T {
  if (answer === null || typeof answer !== "object") return answer;
  if (Array.isArray(answer)) return answer.filter((r) => !isExpired(r, nowSeconds)) as T;
  if (answer instanceof Map) return new Map([...answer].filter(([, r]) => !isExpired(r, nowSeconds))) as T;
  const page = answer as { items?: unknown };
  if (Array.isArray(page.items)) return { ...page, items: page.items.filter((r) => !isExpired(r, nowSeconds)) } as T;
  return (isExpired(answer, nowSeconds) ? undefined : answer) as T;
}

/**
 * The store, each method's answer without expired records (a page keeps its cursor: a page may come
 * back short, as filtered pages already may).
 */
export function hidingExpired<T extends object>(store: T, clock: Pick<Clock, "now">): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const answer = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(answer instanceof Promise)) return answer;
        return answer.then((a) => withoutExpired(a, Math.floor(clock.now().getTime() / 1000)));
      };
    },
  });
}
