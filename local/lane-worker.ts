/**
 * The slow lane's event source and its own copy of the delivery function, on a thread of their own.
 * In AWS the slow lane's invocations run in Lambda execution environments of their own, so settling
 * a wave of timed-out POSTs there (logging the attempts, counting the failures, scheduling retries)
 * takes no CPU from the fast lane. One event loop for both lanes would make the local stack share
 * what AWS does not; this thread keeps it apart. Started and stopped by lane-thread.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createSqsClient } from "../functions/adapters/lambda/aws-clients.ts";
import { processListeners } from "../functions/adapters/lambda/process-listeners.ts";
import type { LaneWorkerData, LaneWorkerMessage } from "./lane-thread.ts";
import { type SqsHandler, startSqsEventSource } from "./sqs-event-source.ts";

const data = workerData as LaneWorkerData;
const port = parentPort;
if (!port) throw new Error("lane-worker.ts runs as a worker thread");
for (const url of data.listening) {
  const { hostname, port: listenerPort } = new URL(url);
  processListeners.add({ host: hostname, port: Number(listenerPort) });
}
const hooks: { wrapHandler?: (name: "delivery", handler: SqsHandler) => SqsHandler } = data.hooks ? await import(data.hooks) : {};
const { handler } = await import("../functions/delivery/index.ts");
const delivery = handler as unknown as SqsHandler;
const post = (message: LaneWorkerMessage) => port.postMessage(message);
const source = startSqsEventSource(createSqsClient(), hooks.wrapHandler?.("delivery", delivery) ?? delivery, {
  ...data.source,
  onError: (error) => post({ kind: "error", where: "slow lane poller", error: String(error) }),
});
port.on("message", async (message: { kind: string }) => {
  if (message.kind !== "stop") return;
  await source.stop();
  post({ kind: "stopped" });
});
