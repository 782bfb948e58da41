import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack } from "../support/bench-stack.ts";
import {
  createEndpoint,
  earnFastLane,
  emit,
  healthyWindow,
  type LaneReceiver,
  latencyStats,
  startLaneReceiver,
} from "../support/lane-traffic.ts";
import { quantile, round, sleep } from "../support/stats.ts";

/*
 * Stage 9, the noisy neighbour: healthy endpoints receive a steady stream while black holes (accept,
 * never answer) and an endpoint that answers after 5 s get 20 events each, emitted first. Windows
 * with and without the bad endpoints alternate in the same run, so that the machine's noise hits
 * both; each noisy window brings fresh bad endpoints, which nobody has seen yet.
 *
 * A noisy window outlasts the delivery timeout, so that it holds the whole first wave of bad POSTs:
 * sent, timed out, settled and retried. Then its bad endpoints are deleted, their open requests
 * hung up, the slow lane's batches let finish and what is left of their deliveries purged, so that
 * the next baseline window has no bad endpoint in it (with windows shorter than the timeout, the
 * timeouts fell in the baseline windows and flattered the ratio).
 */

export interface NoisyNeighbourOptions {
  healthyEndpoints: number;
  ratePerSecond: number;
  windowSeconds: number;
  rounds: number;
  blackHoles: number;
  /** How long the slow endpoint takes to answer. */
  slowAnswerMs: number;
  eventsPerBadEndpoint: number;
  /** The fast lane's budget in this stack: the longest a fast-lane POST can hold its batch. */
  fastBudgetMs: number;
  /** The stack's DELIVERY_TIMEOUT_MS: a window must outlast it. */
  deliveryTimeoutMs: number;
}

export interface NoisyNeighbourResult {
  options: NoisyNeighbourOptions;
  baseline: { deliveries: number; p50Ms: number; p99Ms: number; maxMs: number };
  noisy: { deliveries: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** noisy p99 / baseline p99. */
  ratio: number;
  /** Healthy deliveries of the noisy windows that took the fast lane's budget or longer (on a loaded machine, not only bad POSTs cause that). */
  overBudget: number;
  /**
   * Bad endpoints' POSTs made in the fast lane and cut off by its budget (the LaneHandovers metric):
   * the only way a healthy delivery can wait on a bad endpoint's POST. Target 0.
   */
  fastLaneHandovers: number;
  /** Requests the bad endpoints received during the run (they were being tried, not skipped). */
  badRequests: number;
  target: number;
  met: boolean;
}

/** Registers the round's fresh bad endpoints, each in a tenant of its own, and emits their events; answers their ids. */
async function addBadEndpoints(
  api: ApiClient,
  receiverUrl: string,
  options: NoisyNeighbourOptions,
  round: number,
  nextSeq: () => number,
): Promise<string[]> {
  const paths = [...Array.from({ length: options.blackHoles }, (_, i) => `/hole/${round}-${i}`), `/slow/${round}`];
  const bad = await Promise.all(
    paths.map(async (path, i) => {
      const tenant = `nn-bad-${round}-${i}`;
      return { tenant, id: await createEndpoint(api, `${receiverUrl}${path}`, tenant) };
    }),
  );
  const work = bad.flatMap(({ tenant }) => Array.from({ length: options.eventsPerBadEndpoint }, () => tenant));
  await mapWithConcurrency(work, 16, (tenant) => emit(api, tenant, nextSeq()));
  return bad.map(({ id }) => id);
}

/**
 * Ends a noisy window's bad endpoints: deleted, their open requests hung up, the slow lane's batches
 * in flight let finish (30 s at most), then both queues purged of what is left of their deliveries.
 * Every healthy delivery of the window has arrived by then, so the purge takes none of them.
 */
async function removeBadEndpoints(stack: BenchStack, api: ApiClient, receiver: LaneReceiver, ids: string[]): Promise<void> {
  await Promise.all(ids.map((id) => api.request("DELETE", `/v1/endpoints/${id}`)));
  receiver.hangUp();
  const deadline = Date.now() + 30_000;
  while ((await stack.call<number>("slowLaneInFlight")) > 0 && Date.now() < deadline) await sleep(100);
  await stack.call("purge");
}

/** Runs the stage on a stack whose delivery pollers run; the healthy endpoints earn the fast lane first. */
export async function benchNoisyNeighbour(
  stack: BenchStack,
  api: ApiClient,
  options: NoisyNeighbourOptions,
  progress: (line: string) => void,
): Promise<NoisyNeighbourResult> {
  if (options.windowSeconds * 1000 <= options.deliveryTimeoutMs)
    throw new Error("a noisy window must outlast the delivery timeout, or its timeouts fall in the next baseline window");
  const receiver = await startLaneReceiver(options.slowAnswerMs);
  const healthyPaths = Array.from({ length: options.healthyEndpoints }, (_, i) => `/healthy/${i}`);
  let seq = 0;
  try {
    const ids = await Promise.all(healthyPaths.map((path) => createEndpoint(api, `${receiver.url}${path}`, "nn-healthy")));
    await stack.call("startDelivery", { concurrency: 4 });
    // New endpoints start in probation: a few fast answers bring them to the fast lane.
    await earnFastLane(api, "nn-healthy", ids, () => seq++);

    // One window unmeasured: the first after start-up carries the stack's own warm-up (JIT, first
    // connections), which would otherwise land in the baseline and flatter the ratio.
    await healthyWindow(api, receiver.arrivals, "nn-healthy", healthyPaths, options, () => seq++);
    const samples = { baseline: [] as number[], noisy: [] as number[] };
    const handoversBefore = stack.laneHandovers();
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of ["baseline", "noisy"] as const) {
        const bad = kind === "noisy" ? await addBadEndpoints(api, receiver.url, options, round, () => seq++) : [];
        const window = await healthyWindow(api, receiver.arrivals, "nn-healthy", healthyPaths, options, () => seq++);
        samples[kind].push(...window);
        progress(`    round ${round + 1} ${kind}: ${window.length} healthy deliveries, p99 ${Math.round(quantile(window, 0.99))} ms`);
        if (bad.length > 0) await removeBadEndpoints(stack, api, receiver, bad);
      }
    }
    const baseline = latencyStats(samples.baseline);
    const noisy = latencyStats(samples.noisy);
    const ratio = round(noisy.p99Ms / baseline.p99Ms, 2);
    const overBudget = samples.noisy.filter((ms) => ms >= options.fastBudgetMs).length;
    const fastLaneHandovers = stack.laneHandovers() - handoversBefore;
    return {
      options,
      baseline,
      noisy,
      ratio,
      overBudget,
      fastLaneHandovers,
      badRequests: receiver.badRequests(),
      target: 2,
      met: ratio <= 2 && fastLaneHandovers === 0,
    };
  } finally {
    await stack.call("stopDelivery");
    await receiver.stop();
  }
}
