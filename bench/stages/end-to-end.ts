import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack, Taken } from "../support/bench-stack.ts";
import { emitClosedLoop, emitSteady } from "../support/emit.ts";
import { median, quantile, round, sleep } from "../support/stats.ts";
import type { startWebhookReceiver } from "../support/webhook-receiver.ts";
import { createFloor } from "./emulator-floor.ts";

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** In the retry run, the first attempt of one event in this many fails. */
export const RETRY_EVERY = 4;

/** One measured run: how many deliveries, how long, and everything the stack counted meanwhile. */
export interface MeasuredRun {
  name: string;
  intake: "single" | "batched";
  /** The share of deliveries whose first attempt the receiver failed (each then needs one retry). */
  retryShare: number;
  deliveries: number;
  seconds: number;
  taken: Taken;
}

export interface EndToEndOptions {
  /** Events per throughput run. */
  events: number;
  rounds: number;
  /** Concurrent API clients for batched and single-event throughput runs. */
  batchedClients: number;
  singleClients: number;
  pollers: number;
  steadyRate: number;
  /** Seconds at the steady rate, split over `latencyRounds` interleaved pipeline and floor windows. */
  steadySeconds: number;
  latencyRounds: number;
}

export interface EndToEndResult {
  pollers: number;
  floor: { perSecond: number; samples: number[] };
  batched: { perSecond: number; samples: number[] };
  single: { perSecond: number };
  /** Batched pipeline over the emulator-only floor, medians of interleaved rounds. */
  ratio: number;
  latency: {
    ratePerSecond: number;
    events: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    lost: number;
    /** Emit to the 202. */
    intakeP50Ms: number;
    intakeP99Ms: number;
    /** The 202 to the POST's arrival. */
    afterAcceptP50Ms: number;
    afterAcceptP99Ms: number;
    /** p99 of each interleaved round. */
    roundsP99Ms: number[];
    /** The emulator-only floor's emit-to-receive in windows interleaved with the pipeline's. */
    floor: { p50Ms: number; p99Ms: number; maxMs: number; roundsP99Ms: number[] };
  };
  latencyBatched: { p50Ms: number; p99Ms: number };
  targets: { ratio: number; p99Ms: number };
  met: { ratio: boolean; p99: boolean };
}

/**
 * Stage 2, plus the counted runs stage 5 prices. Throughput: events emitted through the HTTP API
 * until the last one is delivered, logged and deleted from the queue, against the emulator-only
 * floor at the same batch sizes, interleaved. Latency: emit-to-receive at a steady rate.
 */
export async function benchEndToEnd(
  stack: BenchStack,
  api: ApiClient,
  receiver: Receiver,
  options: EndToEndOptions,
  progress: (line: string) => void,
): Promise<{ result: EndToEndResult; runs: MeasuredRun[] }> {
  const out = await api.request("POST", "/v1/endpoints", { url: receiver.url, tenantId: "default" });
  if (out.status !== 201) throw new Error(`endpoint registration answered ${out.status}`);
  await stack.call("startDelivery", { concurrency: options.pollers });
  const floor = await createFloor(stack.sqsUrl, stack.dynamoUrl, RESOURCE_NAMES.table);
  let seq = 0;
  const runs: MeasuredRun[] = [];

  const throughput = async (name: string, total: number, batchSize: number, clients: number, failEvery = 0): Promise<MeasuredRun> => {
    receiver.reset(failEvery);
    await stack.take();
    const started = performance.now();
    await emitClosedLoop(api, seq, total, batchSize, clients);
    seq += total;
    // Done when every delivery is deleted from the queue and every attempt, failed ones included, is logged.
    const retried = failEvery > 0 ? Array.from({ length: total }, (_, i) => seq - total + i).filter((s) => s % failEvery === 0).length : 0;
    const done = await stack.call<number>("awaitDone", { count: total, attempts: total + retried, timeoutMs: 120_000 });
    const seconds = (performance.now() - started) / 1000;
    if (done < total) throw new Error(`${name}: only ${done} of ${total} deliveries finished`);
    const run = {
      name,
      intake: batchSize === 1 ? "single" : "batched",
      retryShare: retried / total,
      deliveries: total,
      seconds,
      taken: await stack.take(),
    } as const;
    if (run.taken.errors.length > 0) progress(`  ${name}: stack errors: ${run.taken.errors.slice(0, 3).join("; ")}`);
    return run;
  };

  try {
    await throughput("warm-up", 500, 10, options.batchedClients);
    await floor.measure(500, 10, options.batchedClients, options.pollers);
    const floorRates: number[] = [];
    const batchedRates: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      floorRates.push(await floor.measure(options.events, 10, options.batchedClients, options.pollers));
      await stack.take();
      const run = await throughput(`batched intake, saturated (round ${round + 1})`, options.events, 10, options.batchedClients);
      runs.push(run);
      batchedRates.push(run.deliveries / run.seconds);
      progress(
        `  round ${round + 1}/${options.rounds}: floor ${Math.round(floorRates.at(-1) ?? 0)}/s, pipeline ${Math.round(batchedRates.at(-1) ?? 0)}/s`,
      );
    }
    const single = await throughput("single-event intake, saturated", Math.round(options.events / 2), 1, options.singleClients);
    runs.push(single);
    progress(`  single-event intake: ${Math.round(single.deliveries / single.seconds)}/s`);

    const steady = async (name: string, batchSize: number, seconds: number) => {
      receiver.reset();
      await sleep(300);
      await stack.take();
      const first = seq;
      const started = performance.now();
      const { sentAt, acceptedAt } = await emitSteady(api, first, options.steadyRate, seconds, batchSize);
      const total = sentAt.size;
      seq += total;
      await stack.call<number>("awaitDone", { count: total, timeoutMs: 30_000 });
      const run: MeasuredRun = {
        name,
        intake: batchSize === 1 ? "single" : "batched",
        retryShare: 0,
        deliveries: total,
        seconds: (performance.now() - started) / 1000,
        taken: await stack.take(),
      };
      const latencies = [...sentAt].map(([s, at]) => (receiver.arrivals.get(s) ?? Number.NaN) - at);
      const seen = latencies.filter((l) => !Number.isNaN(l));
      // Where the time goes: emit to 202 (intake), and 202 to arrival (negative when the POST arrives
      // first: intake sends to SQS before it records the event and answers).
      const intake = [...sentAt].map(([s, at]) => (acceptedAt.get(s) ?? Number.NaN) - at).filter((l) => !Number.isNaN(l));
      const afterAccept = [...acceptedAt].map(([s, at]) => (receiver.arrivals.get(s) ?? Number.NaN) - at).filter((l) => !Number.isNaN(l));
      return { run, seen, intake, afterAccept, lost: total - seen.length };
    };
    /*
     * Latency: rounds of a steady window through the pipeline, then one through the emulator-only
     * floor (send, receive, attempt write, a plain POST, delete), interleaved so that a noisy
     * neighbour shows in both: the target is absolute, the floor says how much of a tail is the machine's.
     */
    const p = (q: number, values: number[]) => round(quantile(values, q), 1);
    const windows: Awaited<ReturnType<typeof steady>>[] = [];
    const floorWindows: number[][] = [];
    for (let round = 0; round < options.latencyRounds; round++) {
      const window = await steady(`single-event intake, steady ${options.steadyRate}/s`, 1, options.steadySeconds / options.latencyRounds);
      windows.push(window);
      runs.push(window.run);
      receiver.reset();
      const first = seq;
      const sentAt = await floor.latency(
        options.steadyRate,
        options.steadySeconds / options.latencyRounds,
        first,
        receiver.url,
        options.pollers,
      );
      seq += sentAt.size;
      floorWindows.push([...sentAt].map(([s, at]) => (receiver.arrivals.get(s) ?? Number.NaN) - at).filter((l) => !Number.isNaN(l)));
      progress(
        `  steady ${options.steadyRate}/s, round ${round + 1}/${options.latencyRounds}: pipeline p50 ${p(0.5, window.seen)} ms, p99 ${p(0.99, window.seen)} ms; floor p50 ${p(0.5, floorWindows.at(-1) ?? [])} ms, p99 ${p(0.99, floorWindows.at(-1) ?? [])} ms`,
      );
    }
    const steadySingle = {
      seen: windows.flatMap((w) => w.seen),
      intake: windows.flatMap((w) => w.intake),
      afterAccept: windows.flatMap((w) => w.afterAccept),
      lost: windows.reduce((sum, w) => sum + w.lost, 0),
    };
    const floorLatencies = floorWindows.flat();
    const steadyBatched = await steady(`batched intake, steady ${options.steadyRate}/s`, 10, Math.max(3, options.steadySeconds / 2));
    runs.push(steadyBatched.run);

    /*
     * One retry: the receiver fails the first attempt of one event in RETRY_EVERY, and the difference
     * from the run before, per retried delivery, is what a retry costs. Not every event: an endpoint
     * that fails everything trips the circuit breaker (5 failures in a row), and then deliveries wait
     * unattempted instead of retrying, which is another scenario.
     */
    const retried = await throughput(
      "batched intake, some retried, saturated",
      Math.round(options.events / 2),
      10,
      options.batchedClients,
      RETRY_EVERY,
    );
    runs.push(retried);
    progress(`  one retry for 1 in ${RETRY_EVERY}: ${retried.deliveries} deliveries, ${receiver.state.requests} POSTs`);
    if (receiver.state.requests !== retried.deliveries * (1 + retried.retryShare))
      progress(`  warning: ${receiver.state.requests} POSTs where ${retried.deliveries * (1 + retried.retryShare)} were expected`);

    const floorRate = median(floorRates);
    const batchedRate = median(batchedRates);
    const ratio = batchedRate / floorRate;
    const p99 = quantile(steadySingle.seen, 0.99);
    return {
      runs,
      result: {
        pollers: options.pollers,
        floor: { perSecond: Math.round(floorRate), samples: floorRates.map(Math.round) },
        batched: { perSecond: Math.round(batchedRate), samples: batchedRates.map(Math.round) },
        single: { perSecond: Math.round(single.deliveries / single.seconds) },
        ratio: round(ratio, 3),
        latency: {
          ratePerSecond: options.steadyRate,
          events: steadySingle.seen.length + steadySingle.lost,
          p50Ms: p(0.5, steadySingle.seen),
          p99Ms: p(0.99, steadySingle.seen),
          maxMs: p(1, steadySingle.seen),
          lost: steadySingle.lost,
          intakeP50Ms: p(0.5, steadySingle.intake),
          intakeP99Ms: p(0.99, steadySingle.intake),
          afterAcceptP50Ms: p(0.5, steadySingle.afterAccept),
          afterAcceptP99Ms: p(0.99, steadySingle.afterAccept),
          roundsP99Ms: windows.map((w) => p(0.99, w.seen)),
          floor: {
            p50Ms: p(0.5, floorLatencies),
            p99Ms: p(0.99, floorLatencies),
            maxMs: p(1, floorLatencies),
            roundsP99Ms: floorWindows.map((w) => p(0.99, w)),
          },
        },
        latencyBatched: { p50Ms: p(0.5, steadyBatched.seen), p99Ms: p(0.99, steadyBatched.seen) },
        targets: { ratio: 0.5, p99Ms: 100 },
        met: { ratio: ratio >= 0.5, p99: p99 <= 100 },
      },
    };
  } finally {
    floor.close();
  }
}
