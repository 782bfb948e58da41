/*
 * A cold start parses every module its entry imports statically, about 0.1 ms a KB on top of what
 * each does at import (docs/performance.md). An adapter only some requests use (the delivery worker
 * reads events only to recover an endpoint, the API holds scheduled messages only when asked to) is
 * better imported on its first call, as the Svix face and the AWS destinations are.
 */

/**
 * `load` called on the first call and its promise kept for the calls after; a failed load is
 * forgotten, so the next call tries again (a module that did not load, a secret not read yet).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}

/** A port whose every member is an async method: only such a port can wait for its module. */
export type AsyncPort<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? T[K] : never };

/**
 * The port `load` makes, loaded on the first call of any of its methods (a failed load is retried by
 * the next call). Every member must be an async method, which the type checks.
 */
export function loadedOnFirstCall<T extends AsyncPort<T>>(load: () => Promise<T>): T {
  const port = loadOnce(load);
  return new Proxy({} as T, {
    get(_, property) {
      // Not a thenable: an `await` of the port itself must not call a method named `then`.
      if (typeof property === "symbol" || property === "then") return undefined;
      return async (...args: unknown[]) => {
        const target = await port();
        const method: unknown = Reflect.get(target, property);
        if (typeof method !== "function") throw new TypeError(`the loaded port has no method ${property}`);
        return method.apply(target, args);
      };
    },
  });
}
