/**
 * The bench's hooks in the local stack's slow-lane thread (StackHooks.laneThreadHooks): the delivery
 * function's calls are counted as the delivery's and the event source's as its own, as on the stack's
 * main thread, and each invocation's wall time and batch size is posted to the stack's thread.
 */
import { parentPort } from "node:worker_threads";
import type { SqsHandler } from "../../local/sqs-event-source.ts";
import { invokeAs, tagCallers } from "./caller.ts";

/** One invocation of the delivery function in the slow lane. */
export interface LaneInvocation {
  ms: number;
  cpuMs: number;
  /** No other invocation overlapped it on the lane's thread. */
  alone: boolean;
  batchSize: number;
}

// Requests made outside an invocation are the event source's (ReceiveMessage, DeleteMessageBatch).
tagCallers("event source");

export function wrapHandler(name: string, handler: SqsHandler): SqsHandler {
  return (event, context) =>
    invokeAs(
      name,
      () => handler(event, context),
      (ms, cpuMs, alone) => {
        const invocation: LaneInvocation = { ms, cpuMs, alone, batchSize: event.Records.length };
        parentPort?.postMessage({ kind: "hook", data: invocation });
      },
    );
}
