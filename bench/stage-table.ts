/**
 * The bench's stages by name (`npm run bench -- <stage>`), in the order the full run takes them, and
 * what each runs and prints; bench/run.ts is the command line around them. Stages that need the
 * shared bench stack start it on first use; stopMain() stops it.
 */
import { writeFileSync } from "node:fs";
import { type OwnStackContext, ownStackStages } from "./own-stack-stages.ts";
import { awsDestinationSection, benchAwsDestination } from "./stages/aws-destination.ts";
import { benchBurst } from "./stages/burst.ts";
import { benchColdStart } from "./stages/cold-start.ts";
import { priceRuns } from "./stages/cost.ts";
import { benchDeliveryWorker } from "./stages/delivery-worker.ts";
import { benchEndToEnd } from "./stages/end-to-end.ts";
import { benchEventSchema } from "./stages/event-schema.ts";
import { benchFanOut } from "./stages/fan-out.ts";
import { benchFeed } from "./stages/feed.ts";
import { benchFeedMemory } from "./stages/feed-memory.ts";
import { benchHotKey } from "./stages/hot-key.ts";
import { benchLaneCycling, laneCyclingOptions } from "./stages/lane-cycling.ts";
import { apiClient } from "./support/api-client.ts";
import { BENCH_ADMIN_KEY, type BenchStack, startBenchStack } from "./support/bench-stack.ts";
import { printAttemptWrites, printCost } from "./support/cost-print.ts";
import type { BenchReport } from "./support/report.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";

/** The stages, in the order the full run takes them. */
export const STAGES = [
  "delivery-worker",
  "cold-start",
  "feed-memory",
  "fan-out",
  "end-to-end",
  "event-schema",
  "feed",
  "cost",
  "hot-key",
  "burst",
  "noisy-neighbour",
  "lane-cycling",
  "schedule",
  "ordered",
  "aws-destination",
  "websocket",
  "intake",
] as const;
export type StageName = (typeof STAGES)[number];

/** The shared bench stack, its API client and its webhook receiver. */
type MainStack = { stack: BenchStack; api: ReturnType<typeof apiClient>; receiver: Awaited<ReturnType<typeof startWebhookReceiver>> };

/** What the stages take from the command line. */
export interface StageContext extends OwnStackContext {
  /** The stage run alone, if one is. */
  readonly alone: string | undefined;
}

/**
 * Each stage: runs, prints its figures beside their targets, and answers its part of the report;
 * and stopMain, which stops the shared stack if a stage started it.
 */
export function stageTable({ quick, execArgv, progress, alone, RESULTS }: StageContext): {
  stages: Record<StageName, () => Promise<Partial<BenchReport>>>;
  stopMain: () => Promise<void>;
} {
  /** Stage 2's run sizes, which stage 5 prices. */
  const endToEndOptions = {
    events: quick ? 1000 : 3000,
    rounds: quick ? 1 : 2,
    batchedClients: 8,
    singleClients: 16,
    pollers: 4,
    steadyRate: 100,
    steadySeconds: quick ? 5 : 12,
    latencyRounds: quick ? 1 : 3,
  };

  /**
   * The cost stage alone: the same runs, with the steady ones at 50 events/s, which two shared cores
   * hold without queueing (its CPU is priced from invocations that ran alone, and its counts from the
   * saturated runs, so the rate moves only the "steady" line).
   */
  const costOptions = alone === "cost" ? { ...endToEndOptions, steadyRate: 50 } : endToEndOptions;

  /** The stack most stages share, started on first use; the cost stage alone runs its emulators apart. */
  let main: MainStack | undefined;
  async function mainStack(): Promise<MainStack> {
    if (main) return main;
    progress("    starting the bench stack (dynalite, fauxqs, counting proxies, the Lambda entries)");
    const stack = await startBenchStack({ RETRY_SCHEDULE: "1,1,1" }, execArgv, { emulatorsApart: alone === "cost" });
    main = { stack, api: apiClient(stack.apiUrl, BENCH_ADMIN_KEY), receiver: await startWebhookReceiver() };
    return main;
  }
  let endToEndRuns: Awaited<ReturnType<typeof benchEndToEnd>> | undefined;
  async function endToEndStage() {
    const { stack, api, receiver } = await mainStack();
    progress(`2. local end to end against the emulator-only floor, then latency at ${costOptions.steadyRate} events/s`);
    endToEndRuns = await benchEndToEnd(stack, api, receiver, costOptions, progress);
    const r = endToEndRuns.result;
    progress(`    ratio ${r.ratio} (target ≥ ${r.targets.ratio}); p99 ${r.latency.p99Ms} ms (target ≤ ${r.targets.p99Ms} ms)`);
    return endToEndRuns;
  }

  const stages: Record<StageName, () => Promise<Partial<BenchReport>>> = {
    ...ownStackStages({ quick, execArgv, progress, RESULTS }),
    "delivery-worker": async () => {
      progress("1. delivery worker against raw HTTP (loopback receiver in its own process)");
      const deliveryWorker = await benchDeliveryWorker(
        { concurrency: 50, batchSize: 10, roundMs: quick ? 1000 : 2500, rounds: quick ? 2 : 3, execArgv },
        progress,
      );
      progress(`    ratio ${deliveryWorker.ratio} (target ≥ 0.8), ${deliveryWorker.handler.cpuMicrosPerDelivery} CPU µs per delivery`);
      return { deliveryWorker };
    },
    "cold-start": async () => {
      progress("4. cold start: bundles and fresh-process imports");
      const coldStart = await benchColdStart(quick ? 3 : 15, progress);
      progress(
        `    targets: bundles ≤ ${coldStart.targets.kb} KB, import ≤ ${coldStart.targets.ratio} × the SDK clients alone (figures above)`,
      );
      return { coldStart };
    },
    "feed-memory": async () => {
      progress("11. feed function memory: import and request CPU of the API bundle, estimated at 128, 256 and 512 MB");
      return { feedMemory: await benchFeedMemory(quick ? 3 : 7, quick ? 8 : 20, progress) };
    },
    "fan-out": async () => {
      const { stack, api, receiver } = await mainStack();
      progress("3. fan-out: one event to 1,000 endpoints");
      const fanOut = await benchFanOut(stack, api, receiver.url, 1000, 3);
      progress(`    ${fanOut.samplesMs.join(" ms, ")} ms to a 202, ${fanOut.enqueued} messages enqueued (target ≤ 1,000 ms)`);
      return { fanOut };
    },
    "end-to-end": async () => ({ endToEnd: (await endToEndStage()).result }),
    "event-schema": async () => {
      const { api } = await mainStack();
      progress("8. intake with and without a payload schema (interleaved rounds)");
      const eventSchema = await benchEventSchema(
        api,
        { events: quick ? 500 : 2000, rounds: quick ? 2 : 4, batchSize: 10, concurrency: 8 },
        progress,
      );
      progress(
        `    ratio ${eventSchema.ratio} (${eventSchema.with.perSecond} vs ${eventSchema.without.perSecond} events/s; target ≥ ${eventSchema.target}); ${eventSchema.validateMicros} µs to validate one payload`,
      );
      return { eventSchema };
    },
    feed: async () => {
      const { stack, api, receiver } = await mainStack();
      progress("10. feed: emit to a long-polling consumer at 10 events/s, then a follower catching up");
      const feed = await benchFeed(
        stack,
        api,
        receiver,
        { rate: 10, seconds: quick ? 5 : 20, backlog: quick ? 1000 : 10_000, pollers: 4 },
        progress,
      );
      return { feed };
    },
    cost: async () => {
      const { runs } = endToEndRuns ?? (await endToEndStage());
      progress("5. cost: pricing the counted calls");
      const cost = await priceRuns(runs, costOptions.steadyRate);
      printCost(cost, progress);
      printAttemptWrites(cost, progress);
      return { cost };
    },
    "hot-key": async () => {
      const { stack, api, receiver } = await mainStack();
      progress("6. hot key: one endpoint's writes per partition key, time-scaled to 10,000 deliveries/s");
      const hotKey = await benchHotKey(stack, api, receiver, quick ? 1000 : 3000, 4);
      for (const [place, p] of Object.entries(hotKey.places))
        progress(
          p.writeUnits === 0
            ? `    ${place}: nothing written (target ≤ ${hotKey.target})`
            : `    ${place}: ${p.perSecondAtSimulated} write units/s on ${p.key} (before the shards ${p.unshardedPerSecondAtSimulated}; target ≤ ${hotKey.target})`,
        );
      return { hotKey };
    },
    burst: async () => {
      const { stack, api, receiver } = await mainStack();
      progress("7. burst: tenant B's one event behind tenant A's burst");
      const burst = await benchBurst(stack, api, receiver, quick ? 2000 : 10_000, 4);
      progress(
        `    B behind the burst ${burst.behindBurstMs} ms (idle ${burst.quietMs} ms), ${burst.placeAmongBurst} of ${burst.burst + 1}`,
      );
      return { burst };
    },
    "lane-cycling": async () => {
      progress("11. lane cycling: victims beside a receiver that answers 5 times fast and hangs once, over and over (fresh stacks)");
      const laneCycling = await benchLaneCycling(laneCyclingOptions(quick), false, execArgv, progress);
      progress(
        `    victims' p99 ratio ${laneCycling.hysteresis.ratio} (target ≤ 2), ${laneCycling.hysteresis.fastLaneHangs} fast-lane hangs`,
      );
      return { laneCycling };
    },
    "aws-destination": async () => {
      progress("14. AWS destination: deliveries per second into a local SQS queue against the emulator's own send limit");
      const command = `npm run bench -- aws-destination${quick ? " --quick" : ""}`;
      const awsDestination = await benchAwsDestination(quick ? 500 : 3000, progress);
      progress(
        `    ${awsDestination.deliveriesPerSecond} deliveries/s (webhook: ${awsDestination.webhookDeliveriesPerSecond}) against ${awsDestination.emulatorSendsPerSecond} sends/s: ratio ${awsDestination.ratio}`,
      );
      writeFileSync(`${RESULTS}aws-destination.md`, `${awsDestinationSection(awsDestination, command).join("\n")}\n`);
      return { awsDestination };
    },
  };

  async function stopMain() {
    if (!main) return;
    main.api.close();
    await main.receiver.stop();
    await main.stack.stop();
  }
  return { stages, stopMain };
}
