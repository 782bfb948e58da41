import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack } from "../support/bench-stack.ts";
import { benchEvent } from "../support/emit.ts";
import { median, round } from "../support/stats.ts";

export interface FanOutResult {
  endpoints: number;
  /** Milliseconds from sending POST /v1/events to its 202 (every message accepted by SQS, event recorded). */
  samplesMs: number[];
  medianMs: number;
  /** Messages in the queue after the timed emits, to show every one was enqueued. */
  enqueued: number;
  sendMessageBatchRequests: number;
  target: number;
  met: boolean;
}

/**
 * Stage 3: one event to `endpoints` endpoints of one tenant, timed to its 202, which the API gives
 * only once SQS has accepted every message. Delivery polling is off, so intake is measured alone.
 */
export async function benchFanOut(
  stack: BenchStack,
  api: ApiClient,
  receiverUrl: string,
  endpoints: number,
  repeats: number,
): Promise<FanOutResult> {
  await mapWithConcurrency(
    Array.from({ length: endpoints }, (_, i) => i),
    16,
    async () => {
      const out = await api.request("POST", "/v1/endpoints", { url: receiverUrl, tenantId: "fanout", eventTypes: ["fanout.test"] });
      if (out.status !== 201) throw new Error(`endpoint registration answered ${out.status}`);
    },
  );
  const emit = async () => {
    const started = performance.now();
    const out = await api.request("POST", "/v1/events", benchEvent(0, "fanout.test", "fanout"));
    const ms = performance.now() - started;
    if (out.status !== 202 || out.json?.endpoints !== endpoints)
      throw new Error(`fan-out emit answered ${out.status}: ${JSON.stringify(out.json)}`);
    return ms;
  };
  await emit(); // warm-up: JIT and connections
  await stack.call("purge");
  await stack.take();
  const samplesMs: number[] = [];
  for (let i = 0; i < repeats; i++) samplesMs.push(await emit());
  const enqueued = await stack.call<number>("queueDepth");
  const taken = await stack.take();
  await stack.call("purge");
  const sends = Object.entries(taken.sqs).filter(([label]) => label.includes("SQS SendMessageBatch"));
  const medianMs = median(samplesMs);
  return {
    endpoints,
    samplesMs: samplesMs.map((ms) => round(ms, 1)),
    medianMs: round(medianMs, 1),
    enqueued,
    sendMessageBatchRequests: sends.reduce((sum, [, c]) => sum + c.requests, 0),
    target: 1000,
    met: medianMs <= 1000,
  };
}
