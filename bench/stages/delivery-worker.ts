import { fileURLToPath } from "node:url";
import { forkChild } from "../support/child.ts";
import { median, round } from "../support/stats.ts";
import type { RunResult } from "./delivery-worker-process.ts";

const WORKER = fileURLToPath(new URL("./delivery-worker-process.ts", import.meta.url));
const RECEIVER = fileURLToPath(new URL("../support/receiver-process.ts", import.meta.url));

export interface DeliveryWorkerOptions {
  /** Requests in flight, for the raw loop and for the handler (invocations x batch size). */
  concurrency: number;
  batchSize: number;
  roundMs: number;
  rounds: number;
  /** Extra flags for the measuring process, e.g. --cpu-prof. */
  execArgv?: string[];
}

export interface DeliveryWorkerResult {
  concurrency: number;
  batchSize: number;
  rounds: number;
  raw: { perSecond: number; cpuMicrosPerPost: number; samples: number[] };
  sender: { perSecond: number; cpuMicrosPerPost: number; samples: number[] };
  /** Raw POSTs that also pass `signal: AbortSignal.timeout(15 s)`, as NodeHttpSender does. */
  rawSignal: { perSecond: number; cpuMicrosPerPost: number; samples: number[] };
  handler: { perSecond: number; cpuMicrosPerDelivery: number; samples: number[] };
  /** Handler deliveries/s over raw POSTs/s, medians of interleaved rounds. */
  ratio: number;
  /** NodeHttpSender.post alone over raw POSTs/s: how much of the gap is the HTTP adapter. */
  senderRatio: number;
  logBytesPerDelivery: number;
  failures: number;
  target: number;
  met: boolean;
}

/**
 * Stage 1. The receiver and the measuring process run in separate processes (one core each);
 * raw, NodeHttpSender-only and handler rounds are interleaved and their medians compared, so that
 * a noisy neighbour hits all three alike.
 */
export async function benchDeliveryWorker(options: DeliveryWorkerOptions, progress: (line: string) => void): Promise<DeliveryWorkerResult> {
  const receiver = await forkChild<{ url: string }>(RECEIVER);
  let stdoutBytes = 0;
  const worker = await forkChild<{ pid: number }>(WORKER, {
    execArgv: options.execArgv,
    onStdout: (chunk) => {
      stdoutBytes += chunk.length;
    },
  });
  const url = `${receiver.ready.url}/webhooks`;
  const results: Record<string, RunResult[]> = { raw: [], rawSignal: [], sender: [], handler: [] };
  let handlerDeliveries = 0;
  let handlerLogBytes = 0;
  try {
    const base = { url, concurrency: options.concurrency, batchSize: options.batchSize };
    // Warm-up: JIT, sockets, signer cache.
    for (const mode of ["raw", "rawSignal", "sender", "handler"] as const)
      await worker.call<RunResult>("run", { ...base, mode, durationMs: 700 });
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of ["raw", "handler", "sender", "rawSignal"] as const) {
        const before = stdoutBytes;
        const result = await worker.call<RunResult>("run", { ...base, mode, durationMs: options.roundMs });
        if (mode === "handler") {
          handlerDeliveries += result.operations;
          handlerLogBytes += stdoutBytes - before;
        }
        results[mode]?.push(result);
      }
      const last = (mode: string) => Math.round(results[mode]?.at(-1)?.perSecond ?? 0);
      progress(
        `  round ${round + 1}/${options.rounds}: raw ${last("raw")}/s, handler ${last("handler")}/s, sender ${last("sender")}/s, raw + AbortSignal.timeout ${last("rawSignal")}/s`,
      );
    }
  } finally {
    await worker.stop();
    await receiver.stop();
  }
  const rates = (mode: string) => (results[mode] ?? []).map((r) => r.perSecond);
  const cpu = (mode: string) => median((results[mode] ?? []).map((r) => r.cpuMicrosPerOperation));
  const raw = median(rates("raw"));
  const sender = median(rates("sender"));
  const rawSignal = median(rates("rawSignal"));
  const handler = median(rates("handler"));
  const ratio = handler / raw;
  const target = 0.8;
  return {
    concurrency: options.concurrency,
    batchSize: options.batchSize,
    rounds: options.rounds,
    raw: { perSecond: Math.round(raw), cpuMicrosPerPost: round(cpu("raw"), 1), samples: rates("raw").map(Math.round) },
    sender: { perSecond: Math.round(sender), cpuMicrosPerPost: round(cpu("sender"), 1), samples: rates("sender").map(Math.round) },
    rawSignal: {
      perSecond: Math.round(rawSignal),
      cpuMicrosPerPost: round(cpu("rawSignal"), 1),
      samples: rates("rawSignal").map(Math.round),
    },
    handler: { perSecond: Math.round(handler), cpuMicrosPerDelivery: round(cpu("handler"), 1), samples: rates("handler").map(Math.round) },
    ratio: round(ratio, 3),
    senderRatio: round(sender / raw, 3),
    logBytesPerDelivery: round(handlerLogBytes / Math.max(1, handlerDeliveries), 1),
    failures: Object.values(results)
      .flat()
      .reduce((sum, r) => sum + r.failures, 0),
    target,
    met: ratio >= target,
  };
}
