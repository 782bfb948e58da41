import { Worker } from "node:worker_threads";
import type { EventSourceOptions } from "./sqs-event-source.ts";

/** What the stack's thread hands the lane's thread. */
export interface LaneWorkerData {
  source: Omit<EventSourceOptions, "onError">;
  /** The stack's sockets (API, emulators, proxies): the lane thread's sender refuses them too. */
  listening: string[];
  /** A module imported first; its `wrapHandler` export, if any, wraps the handler there (StackHooks.laneThreadHooks). */
  hooks?: string;
}

/** Messages from the lane's thread: `stopped`, errors, and whatever the hooks module posts. */
export type LaneWorkerMessage = { kind: "stopped" } | { kind: "error"; where: string; error: string } | { kind: "hook"; data: unknown };

export interface LaneThreadOptions extends LaneWorkerData {
  onError: (where: string, error: string) => void;
  /** What the hooks module posts from the thread. */
  onHookMessage?: (data: unknown) => void;
}

/**
 * Runs an event source and the delivery function on a thread of their own (lane-worker.ts), as a
 * lane's invocations run in execution environments of their own in AWS. The thread copies this
 * process's environment when it starts, so the stack's settings and emulator URLs reach it.
 */
export function startLaneThread(options: LaneThreadOptions) {
  const { onError, onHookMessage, ...data } = options;
  const worker = new Worker(new URL("./lane-worker.ts", import.meta.url), { workerData: data satisfies LaneWorkerData });
  let stopped: (() => void) | undefined;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("message", (message: LaneWorkerMessage) => {
    if (message.kind === "stopped") stopped?.();
    else if (message.kind === "error") onError(message.where, message.error);
    else onHookMessage?.(message.data);
  });
  worker.on("error", (error) => onError("slow lane thread", String(error)));
  return {
    /** Stops polling, waits for the batches in flight to finish, then ends the thread. */
    async stop(): Promise<void> {
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      worker.postMessage({ kind: "stop" });
      await Promise.race([done, exited]);
      await worker.terminate();
    },
  };
}
