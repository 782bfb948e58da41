import { SETTINGS } from "../../functions/core/config/settings.ts";
import { type ApiClient, apiClient } from "../support/api-client.ts";
import { BENCH_ADMIN_KEY, type BenchStack, startBenchStack } from "../support/bench-stack.ts";
import {
  createEndpoint,
  earnFastLane,
  emitStream,
  healthyWindow,
  type LaneReceiver,
  latencyStats,
  startLaneReceiver,
} from "../support/lane-traffic.ts";
import { quantile, round, sleep } from "../support/stats.ts";

/*
 * Stage 11, lane cycling: victims receive a steady stream in the fast lane while, in alternate
 * windows, a receiver that answers `period - 1` times at once and then hangs once (past the fast
 * lane's budget), over and over, gets a stream of its own. Without hysteresis it came back to the
 * fast lane after LANE_EXIT_SUCCESSES fast answers each time and stalled a batch it shared with the
 * victims on every cycle. The stage runs on a fresh stack with the default settings, and alone
 * (`node bench/lane-cycling.ts`) also on one with LANE_EXIT_MAX_SUCCESSES = LANE_EXIT_SUCCESSES (no
 * growth), so that the same run shows what it measures. The figure: the victims' p99 in windows
 * with the cycling receiver over their p99 in windows without it, interleaved; target ≤ 2.
 */

export interface LaneCyclingOptions {
  victimEndpoints: number;
  /** Events per second to the victims' tenant (each goes to every victim). */
  ratePerSecond: number;
  /** Events per second to the cycling receiver, in its windows. */
  cycleRatePerSecond: number;
  windowSeconds: number;
  rounds: number;
  /** The cycle: `period - 1` answers at once, then one after `hangMs`. */
  period: number;
  hangMs: number;
  /** The fast lane's budget in this stack: a hang longer than it is cut off and handed over. */
  fastBudgetMs: number;
}

export interface LaneCyclingRun {
  /** The settings the stack ran with beyond its defaults. */
  env: Record<string, string>;
  baseline: ReturnType<typeof latencyStats>;
  cycling: ReturnType<typeof latencyStats>;
  /** cycling p99 / baseline p99. */
  ratio: number;
  /** POSTs cut off by the fast lane's budget (LaneHandovers) in the measured windows: each stalled a batch it shared. */
  fastLaneHangs: number;
  /** The same in the unmeasured first cycling window, where the fresh endpoint earns the fast lane and hangs there first. */
  warmUpHangs: number;
  /** Requests the cycling receiver got, and how many of them it hung (in either lane). */
  cycleRequests: number;
  cycleHangs: number;
  /** The cycling endpoint's lane, its run and the run it needs, and its recorded moves, at the end. */
  endpointAtEnd: { lane: unknown; laneFastSuccesses: unknown; laneFastSuccessesNeeded: unknown; laneDemotions: unknown };
}

export interface LaneCyclingResult {
  options: LaneCyclingOptions;
  /** With the default settings. */
  hysteresis: LaneCyclingRun;
  /** With the way back fixed at LANE_EXIT_SUCCESSES (it never grows); only when asked for. */
  without?: LaneCyclingRun;
  target: number;
  met: boolean;
}

/** The stage's settings in `npm run bench` and `node bench/lane-cycling.ts` (`quick`: a smoke run). */
export function laneCyclingOptions(quick: boolean): LaneCyclingOptions {
  return {
    victimEndpoints: 2,
    ratePerSecond: 20,
    cycleRatePerSecond: 20,
    windowSeconds: quick ? 8 : 15,
    rounds: quick ? 1 : 3,
    // The issue's receiver: 5 fast answers, then a hang.
    period: 6,
    hangMs: 5_000,
    fastBudgetMs: SETTINGS.fastLaneBudgetMs.default,
  };
}

const VICTIMS = "lc-victim";
const CYCLER = "lc-cycle";

/** Runs the stage once on `stack`, a fresh stack whose delivery pollers are not running yet. */
export async function benchLaneCyclingOn(
  stack: BenchStack,
  api: ApiClient,
  options: LaneCyclingOptions,
  env: Record<string, string>,
  progress: (line: string) => void,
): Promise<LaneCyclingRun> {
  if (options.hangMs <= options.fastBudgetMs) throw new Error("the cycling receiver must hang past the fast lane's budget");
  const receiver = await startLaneReceiver(0, { period: options.period, hangMs: options.hangMs });
  const victimPaths = Array.from({ length: options.victimEndpoints }, (_, i) => `/healthy/${i}`);
  let seq = 0;
  const nextSeq = () => seq++;
  try {
    const victims = await Promise.all(victimPaths.map((path) => createEndpoint(api, `${receiver.url}${path}`, VICTIMS)));
    await stack.call("startDelivery", { concurrency: 4 });
    await earnFastLane(api, VICTIMS, victims, nextSeq);
    // A fresh endpoint, in probation: its first period - 1 fast answers bring it to the fast lane.
    const cycler = await createEndpoint(api, `${receiver.url}/cycle/0`, CYCLER);
    const window = async (withCycler: boolean) => {
      const cycling = withCycler
        ? emitStream(api, CYCLER, { ratePerSecond: options.cycleRatePerSecond, windowSeconds: options.windowSeconds }, nextSeq)
        : undefined;
      const times = await healthyWindow(api, receiver.arrivals, VICTIMS, victimPaths, options, nextSeq);
      await cycling;
      if (withCycler) await drain(stack);
      return times;
    };

    // Unmeasured: the stack's warm-up, and the endpoint's first hang in the fast lane, which no rule
    // can spare (nobody has seen it hang yet). What the stage measures is the cycling after it.
    const beforeWarmUp = stack.laneHandovers();
    await window(true);
    const warmUpHangs = stack.laneHandovers() - beforeWarmUp;
    const samples = { baseline: [] as number[], cycling: [] as number[] };
    let fastLaneHangs = 0;
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of ["baseline", "cycling"] as const) {
        const before = stack.laneHandovers();
        const times = await window(kind === "cycling");
        fastLaneHangs += stack.laneHandovers() - before;
        samples[kind].push(...times);
        progress(`    round ${round + 1} ${kind}: ${times.length} victim deliveries, p99 ${Math.round(quantile(times, 0.99))} ms`);
      }
    }
    const baseline = latencyStats(samples.baseline);
    const cycling = latencyStats(samples.cycling);
    const shown = (await api.request("GET", `/v1/endpoints/${cycler}`)).json ?? {};
    return {
      env,
      baseline,
      cycling,
      ratio: round(cycling.p99Ms / baseline.p99Ms, 2),
      fastLaneHangs,
      warmUpHangs,
      cycleRequests: receiver.cycleRequests(),
      cycleHangs: receiver.cycleHangs(),
      endpointAtEnd: {
        lane: shown.lane,
        laneFastSuccesses: shown.laneFastSuccesses,
        laneFastSuccessesNeeded: shown.laneFastSuccessesNeeded,
        laneDemotions: shown.laneDemotions,
      },
    };
  } finally {
    await stack.call("stopDelivery");
    await stopReceiver(receiver);
  }
}

/** Waits until both queues are empty (the cycling receiver's hung POSTs answered and settled), 30 s at most, so the next baseline window has none of its work. */
async function drain(stack: BenchStack): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await stack.call<number>("queueDepth")) > 0 && Date.now() < deadline) await sleep(100);
}

async function stopReceiver(receiver: LaneReceiver): Promise<void> {
  receiver.hangUp();
  await receiver.stop();
}

/**
 * The stage: a fresh stack with the default settings, and with `contrast` another with
 * LANE_EXIT_MAX_SUCCESSES = LANE_EXIT_SUCCESSES, each stopped after its run.
 */
export async function benchLaneCycling(
  options: LaneCyclingOptions,
  contrast: boolean,
  execArgv: string[],
  progress: (line: string) => void,
): Promise<LaneCyclingResult> {
  const runOn = async (env: Record<string, string>) => {
    const stack = await startBenchStack(env, execArgv);
    const api = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
    try {
      return await benchLaneCyclingOn(stack, api, options, env, progress);
    } finally {
      api.close();
      await stack.stop();
    }
  };
  progress("    with the default settings (hysteresis on the way back)");
  const hysteresis = await runOn({});
  let without: LaneCyclingRun | undefined;
  if (contrast) {
    progress("    with LANE_EXIT_MAX_SUCCESSES = LANE_EXIT_SUCCESSES (a way back that never grows)");
    const exit = String(SETTINGS.laneExitSuccesses.default);
    without = await runOn({ LANE_EXIT_MAX_SUCCESSES: exit, LANE_EXIT_SUCCESSES: exit });
  }
  return { options, hysteresis, ...(without && { without }), target: 2, met: hysteresis.ratio <= 2 };
}

/** The stage's row of the report's summary table, and its section. */
export function laneCyclingReport(r: LaneCyclingResult): { summary: string[]; section: string[] } {
  const h = r.hysteresis;
  const w = r.without;
  const o = r.options;
  const row = (name: string, run: LaneCyclingRun) =>
    `| ${name} | ${n(run.baseline.deliveries)} / ${n(run.cycling.deliveries)} | ${run.baseline.p99Ms} / ${run.cycling.p99Ms} ms | ${run.cycling.maxMs} ms | **${run.ratio} ×** | ${run.fastLaneHangs} (${run.warmUpHangs} in the warm-up) | ${run.cycleHangs} of ${n(run.cycleRequests)} | ${run.endpointAtEnd.lane}, ${run.endpointAtEnd.laneFastSuccesses} of ${run.endpointAtEnd.laneFastSuccessesNeeded}, ${run.endpointAtEnd.laneDemotions} moves |`;
  return {
    summary: [
      `| 11. lane cycling: victims' p99 with / without a receiver that answers ${o.period - 1} times and hangs once | ${h.ratio} × (${h.cycling.p99Ms} vs ${h.baseline.p99Ms} ms; ${h.fastLaneHangs} fast-lane hangs)${w ? `; with a way back that never grows ${w.ratio} × (${w.fastLaneHangs} hangs)` : ""} | ≤ 2 × | ${r.met ? "met" : "**missed**"} |`,
    ],
    section: [
      "## 11. Lane cycling",
      "",
      `${o.victimEndpoints} victim endpoints of one tenant receive ${o.ratePerSecond} events/s in the fast lane, open loop, in windows of ${o.windowSeconds} s; windows without and with a cycling receiver alternate, ${o.rounds} of each, after one unmeasured window with it (the stack's warm-up, and the fresh endpoint's way from probation to the fast lane and its first hangs there, which no rule can spare). The cycling receiver gets ${o.cycleRatePerSecond} events/s in its windows and answers ${o.period - 1} requests at once, then hangs one for ${o.hangMs / 1000} s (past the fast lane's ${o.fastBudgetMs / 1000} s budget), over and over; after each of its windows both queues are let drain. Each setting on a fresh stack; 4 pollers per lane, batches of 10.`,
      "",
      "| settings | victim deliveries without / with | p99 without / with | max with | ratio | fast-lane hangs measured | receiver's hangs | cycling endpoint at the end (lane, run of needed, moves) |",
      "|---|---|---|---|---|---|---|---|",
      row("defaults (hysteresis)", h),
      ...(w ? [row("LANE_EXIT_MAX_SUCCESSES = LANE_EXIT_SUCCESSES (never grows)", w)] : []),
      "",
    ],
  };
}

const n = (v: number) => v.toLocaleString("en-US");
