/**
 * Hooks for the local stack's slow-lane thread (StackHooks.laneThreadHooks) that block that thread's
 * event loop for SLOW_LANE_HOG_MS at its first invocation, as a burst of heavy settling would, and
 * tell the stack's thread when the block began and ends.
 */
import { parentPort } from "node:worker_threads";
import type { SqsHandler } from "../../local/sqs-event-source.ts";

/** When the slow lane's thread was blocked (epoch ms). */
export interface Hogged {
  from: number;
  until: number;
}

let hogged = false;

export function wrapHandler(_name: string, handler: SqsHandler): SqsHandler {
  return (event, context) => {
    if (!hogged) {
      hogged = true;
      const from = Date.now();
      const until = from + Number(process.env.SLOW_LANE_HOG_MS);
      parentPort?.postMessage({ kind: "hook", data: { from, until } satisfies Hogged });
      // Blocked, not busy: nothing else runs on this thread meanwhile, and it takes no core from the
      // other test files (a busy loop took one of two, which slowed the fast lane this test times).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, until - from);
    }
    return handler(event, context);
  };
}
