/**
 * `npm run bench`: the benchmarks of issue 6. Each stage prints progress lines; the results go to
 * bench/results/latest.json and bench/results/latest.md. Every figure is a ratio against a limit
 * measured in the same run, or a time against its target. All traffic stays on 127.0.0.1.
 * Options: --quick for a short smoke run; --profile writes CPU profiles of the delivery-worker
 * and stack processes to bench/results/ (git-ignored) for `node bench/support/profile-summary.ts`.
 * A stage runs alone by its name, `npm run bench -- cost` (or `-- --stage cost`), printing its
 * figures beside their targets as the full run does; its result goes to bench/results/<name>.json
 * (and .md for cost and feed-memory). The cost stage alone runs the end-to-end runs it prices, with
 * the emulators in a process of their own (bench/support/emulator-process.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SETTINGS } from "../functions/core/config/settings.ts";
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
import { benchIntake, intakeReport } from "./stages/intake.ts";
import { benchLaneCycling, laneCyclingOptions } from "./stages/lane-cycling.ts";
import { benchNoisyNeighbour } from "./stages/noisy-neighbour.ts";
import { benchOrdered, orderedSection } from "./stages/ordered.ts";
import { countPushCalls } from "./stages/push-calls.ts";
import { benchSchedule, type ScheduleResult } from "./stages/schedule.ts";
import { benchWebSocketPush } from "./stages/websocket.ts";
import { apiClient } from "./support/api-client.ts";
import { BENCH_ADMIN_KEY, type BenchStack, startBenchStack } from "./support/bench-stack.ts";
import { printAttemptWrites, printCost } from "./support/cost-print.ts";
import { feedMemorySection } from "./support/feed-memory-report.ts";
import { type BenchReport, costSection, markdownReport } from "./support/report.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";

const STAGES = [
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
type StageName = (typeof STAGES)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { profile: { type: "boolean", default: false }, quick: { type: "boolean", default: false }, stage: { type: "string" } },
});
const alone = values.stage ?? positionals[0];
if (alone !== undefined && !STAGES.includes(alone as StageName))
  throw new Error(`bench: no stage named "${alone}"; the stages are ${STAGES.join(", ")}`);
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s`;
const progress = (line: string) => process.stdout.write(`${elapsed()} ${line}\n`);
const quick = values.quick;
const execArgv = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] : [];

mkdirSync(RESULTS, { recursive: true });
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
type MainStack = { stack: BenchStack; api: ReturnType<typeof apiClient>; receiver: Awaited<ReturnType<typeof startWebhookReceiver>> };
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

/** Each stage: runs, prints its figures beside their targets, and answers its part of the report. */
const stages: Record<StageName, () => Promise<Partial<BenchReport>>> = {
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
    const coldStart = await benchColdStart(quick ? 3 : 9, progress);
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
        `    ${place}: ${p.perSecondAtSimulated} write units/s on ${p.key} (before the shards ${p.unshardedPerSecondAtSimulated}; target ≤ ${hotKey.target})`,
      );
    return { hotKey };
  },
  burst: async () => {
    const { stack, api, receiver } = await mainStack();
    progress("7. burst: tenant B's one event behind tenant A's burst");
    const burst = await benchBurst(stack, api, receiver, quick ? 2000 : 10_000, 4);
    progress(`    B behind the burst ${burst.behindBurstMs} ms (idle ${burst.quietMs} ms), ${burst.placeAmongBurst} of ${burst.burst + 1}`);
    return { burst };
  },
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
  "lane-cycling": async () => {
    progress("11. lane cycling: victims beside a receiver that answers 5 times fast and hangs once, over and over (fresh stacks)");
    const laneCycling = await benchLaneCycling(laneCyclingOptions(quick), false, execArgv, progress);
    progress(
      `    victims' p99 ratio ${laneCycling.hysteresis.ratio} (target ≤ 2), ${laneCycling.hysteresis.fastLaneHangs} fast-lane hangs`,
    );
    return { laneCycling };
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
      const options = { events: quick ? 300 : 1000, ratePerSecond: 20, windowSeconds: quick ? 4 : 8, rounds: quick ? 2 : 3, backlog: 300 };
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

async function stopMain() {
  if (!main) return;
  main.api.close();
  await main.receiver.stop();
  await main.stack.stop();
}
const machine = () => ({ node: process.version, cpuModel: os.cpus()[0]?.model ?? "?" });

if (alone !== undefined) {
  const name = alone as StageName;
  try {
    const part = await stages[name]();
    const result = { startedAt: new Date().toISOString(), ...machine(), command: `npm run bench -- ${name}`, ...part };
    writeFileSync(`${RESULTS}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
    if (part.cost) writeFileSync(`${RESULTS}cost.md`, `${costSection(part.cost).join("\n")}\n`);
    if (part.feedMemory) writeFileSync(`${RESULTS}feed-memory.md`, `${feedMemorySection(part.feedMemory).join("\n")}\n`);
    if (part.intake) writeFileSync(`${RESULTS}intake.md`, `${intakeReport(part.intake, result.command).section.join("\n")}\n`);
    progress(`done: bench/results/${name}.json${part.cost || part.feedMemory ? ` and bench/results/${name}.md` : ""}`);
  } finally {
    await stopMain();
  }
  process.exit(0);
}

// The full run: every stage in STAGES order (those without a stack first, then the shared stack's).
let report: BenchReport;
try {
  let parts: Partial<BenchReport> = {};
  for (const name of STAGES) parts = { ...parts, ...(await stages[name]()) };
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    if (execFileSync("git", ["status", "--porcelain", "functions", "local", "lib"], { encoding: "utf8" }).trim()) commit += "+uncommitted";
  } catch {
    // not a git checkout
  }
  report = {
    ...(parts as Omit<BenchReport, "startedAt" | "seconds" | "machine" | "commit" | "command">),
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    seconds: (performance.now() - started) / 1000,
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "?",
      platform: `${os.platform()} ${os.arch()}`,
    },
    commit,
    command: "npm run bench",
  };
} finally {
  await stopMain();
}
writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${RESULTS}latest.md`, markdownReport(report));
progress(`done: bench/results/latest.json and bench/results/latest.md`);
