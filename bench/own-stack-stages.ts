/**
 * The stages that start a bench stack of their own for their run, apart from the shared one (its
 * emulators would hold what the earlier stages left, or its settings are not theirs), and stop it.
 * Part of the stage table (bench/stage-table.ts).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { SETTINGS } from "../functions/core/config/settings.ts";
import { benchIntake } from "./stages/intake.ts";
import { benchNoisyNeighbour } from "./stages/noisy-neighbour.ts";
import { benchOrdered, orderedSection } from "./stages/ordered.ts";
import { countPushCalls } from "./stages/push-calls.ts";
import { benchSchedule, type ScheduleResult } from "./stages/schedule.ts";
import { benchWebSocketPush } from "./stages/websocket.ts";
import { apiClient } from "./support/api-client.ts";
import { BENCH_ADMIN_KEY, startBenchStack } from "./support/bench-stack.ts";
import type { BenchReport } from "./support/report.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";

/** The stages of this file. */
export type OwnStackStage = "noisy-neighbour" | "schedule" | "ordered" | "websocket" | "intake";

/** What these stages take from the command line. */
export interface OwnStackContext {
  /** --quick: short smoke runs. */
  readonly quick: boolean;
  /** The Node options of the processes the stages start (--cpu-prof with --profile). */
  readonly execArgv: string[];
  /** Prints a progress line. */
  readonly progress: (line: string) => void;
  /** bench/results/, ending in `/`. */
  readonly RESULTS: string;
}

/** Each stage that runs on a stack of its own, as the stage table holds them. */
export function ownStackStages({
  quick,
  execArgv,
  progress,
  RESULTS,
}: OwnStackContext): Record<OwnStackStage, () => Promise<Partial<BenchReport>>> {
  /** The intake stage's run sizes. */
  const intakeOptions = {
    events: quick ? 300 : 600,
    rounds: quick ? 2 : 6,
    clients: 16,
    pollers: 4,
    rate: 100,
    seconds: quick ? 4 : 8,
    latencyRounds: quick ? 1 : 3,
  };

  return {
    "noisy-neighbour": async () => {
      progress("9. noisy neighbour: healthy endpoints beside black holes and a slow endpoint (a fresh stack, default settings)");
      // A stack of its own: what the earlier stages left in the in-memory emulators (tens of thousands of
      // items) and their short retry schedule are not what a user's stack has.
      const nnStack = await startBenchStack({}, execArgv);
      const nnApi = apiClient(nnStack.apiUrl, BENCH_ADMIN_KEY);
      const noisyNeighbour = await benchNoisyNeighbour(
        nnStack,
        nnApi,
        {
          healthyEndpoints: 2,
          ratePerSecond: 20,
          // Longer than the delivery timeout: a noisy window holds its bad POSTs' first wave whole.
          windowSeconds: 20,
          rounds: quick ? 1 : 2,
          blackHoles: 5,
          slowAnswerMs: 5_000,
          eventsPerBadEndpoint: 20,
          fastBudgetMs: SETTINGS.fastLaneBudgetMs.default,
          deliveryTimeoutMs: SETTINGS.deliveryTimeoutMs.default,
        },
        progress,
      ).finally(async () => {
        nnApi.close();
        await nnStack.stop();
      });
      progress(
        `    healthy p99 ratio ${noisyNeighbour.ratio} (target ≤ 2), ${noisyNeighbour.overBudget} over the fast lane's budget (target 0)`,
      );
      return { noisyNeighbour };
    },
    schedule: async () => {
      progress("12. scheduled delivery: lateness of held and near messages on the local stack (a stack of its own)");
      const schedule = await benchSchedule(quick ? 20 : 100, progress);
      writeFileSync(`${RESULTS}schedule.md`, `${scheduleSection(schedule).join("\n")}\n`);
      progress(`    none early (target); held p95 ${schedule.held.p95Ms} ms, near p95 ${schedule.near.p95Ms} ms`);
      return { schedule };
    },
    ordered: async () => {
      progress("13. ordered delivery: throughput to one endpoint, extra cost, and the neighbours' p99 (a stack of its own)");
      const stack = await startBenchStack({ RETRY_SCHEDULE: "1,1,1" }, execArgv);
      const api = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
      try {
        const options = {
          events: quick ? 300 : 1000,
          ratePerSecond: 20,
          windowSeconds: quick ? 4 : 8,
          rounds: quick ? 2 : 3,
          backlog: 300,
        };
        const ordered = await benchOrdered(stack, api, options, progress);
        progress(
          `    extra cost $${ordered.extraDollarsPerMillion} per million; neighbours' p99 ratio ${ordered.neighbours.ratio} (target ≤ 2)`,
        );
        writeFileSync(`${RESULTS}ordered.md`, `${orderedSection(ordered).join("\n")}\n`);
        return { ordered };
      } finally {
        api.close();
        await stack.stop();
      }
    },
    websocket: async () => {
      progress("15. WebSocket push: emit-to-push against a long poll, events emitted in batches of 10 (a stack of its own)");
      const stack = await startBenchStack({}, execArgv);
      const api = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
      try {
        await stack.call("startDelivery", { concurrency: 4 });
        const calls = [await countPushCalls(1000, 1), await countPushCalls(1000, 10)];
        for (const c of calls)
          progress(`  store calls per pushed item, acking every ${c.ackEvery}: ${c.totalPerItem} ${JSON.stringify(c.perItem)}`);
        return {
          websocket: await benchWebSocketPush(api, { rates: [10, 100], seconds: quick ? 5 : 20 }, progress),
          websocketStoreCalls: calls,
        };
      } finally {
        api.close();
        await stack.stop();
      }
    },
    intake: async () => {
      progress("16. intake's own work: single-event intake with a tenant key against a floor making the same calls (a stack of its own)");
      // The emulators in a process of their own: the stack's process then holds only the API's and the floor's work.
      const stack = await startBenchStack({ RETRY_SCHEDULE: "1,1,1" }, execArgv, { emulatorsApart: true });
      const admin = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
      const receiver = await startWebhookReceiver();
      try {
        const intake = await benchIntake(stack, admin, receiver, intakeOptions, progress);
        const t = intake.throughput;
        const l = intake.latency;
        progress(
          `    ratio ${t.ratio} (${t.perSecond} vs ${t.floorPerSecond} events/s; target ≥ ${intake.targets.ratio}; CPU ${intake.processCpuMsPerEvent.intake} vs ${intake.processCpuMsPerEvent.floor} ms an event)`,
        );
        progress(
          `    emit-to-receive p99 at ${l.rate}/s ${l.p99Ms} ms vs the floor's ${l.floorP99Ms} ms: ${l.p99Ratio} × (target ≤ ${intake.targets.p99Ratio} at ${l.offered}/s${l.saturated ? "; saturated, the p99s measure a queue" : ""})`,
        );
        return { intake };
      } finally {
        admin.close();
        await receiver.stop();
        await stack.stop();
      }
    },
  };
}

/** The schedule stage's table: arrival minus deliverAt on each path. */
function scheduleSection(schedule: ScheduleResult): string[] {
  const row = (name: string, l: ScheduleResult["held"]) =>
    `| ${name} | ${l.messages} | ${l.minMs} | ${l.p50Ms} | ${l.p95Ms} | ${l.maxMs} |`;
  const settings = Object.entries(schedule.settings)
    .filter(([k]) => k.startsWith("SCHEDULE") || k.startsWith("LOCAL"))
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return [
    "# Scheduled delivery: lateness (arrival minus deliverAt)",
    "",
    `Command: \`npm run bench -- schedule\`; local stack with ${settings}; Node ${process.version}, ${os.cpus()[0]?.model ?? "?"}.`,
    "",
    "| path | messages | min ms | p50 ms | p95 ms | max ms |",
    "|---|---|---|---|---|---|",
    row("held (table, scheduler, DelaySeconds)", schedule.held),
    row("near (DelaySeconds at intake)", schedule.near),
  ];
}
