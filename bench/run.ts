/**
 * `npm run bench`: the benchmarks of issue 6. Each stage prints progress lines; the results go to
 * bench/results/latest.json and bench/results/latest.md. Every figure is a ratio against a limit
 * measured in the same run, or a time against its target. All traffic stays on 127.0.0.1.
 * Options: --quick for a short smoke run; --profile writes CPU profiles of the delivery-worker
 * and stack processes to bench/results/ (git-ignored) for `node bench/support/profile-summary.ts`;
 * --stage feed-memory runs that stage alone (results in bench/results/feed-memory.json and .md);
 * --stage cost runs the end-to-end runs and prices them (results in bench/results/cost.json and .md).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SETTINGS } from "../functions/core/config/settings.ts";
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
import { benchNoisyNeighbour } from "./stages/noisy-neighbour.ts";
import { benchWebSocketPush } from "./stages/websocket.ts";
import { apiClient } from "./support/api-client.ts";
import { BENCH_ADMIN_KEY, startBenchStack } from "./support/bench-stack.ts";
import { feedMemorySection } from "./support/feed-memory-report.ts";
import { type BenchReport, costSection, markdownReport } from "./support/report.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";

const { values } = parseArgs({
  options: { profile: { type: "boolean", default: false }, quick: { type: "boolean", default: false }, stage: { type: "string" } },
});
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s`;
const progress = (line: string) => process.stdout.write(`${elapsed()} ${line}\n`);
const quick = values.quick;

mkdirSync(RESULTS, { recursive: true });
/** Stage 11 with its run sizes: fresh processes, and reads of each kind in each. */
const feedMemoryStage = () => benchFeedMemory(quick ? 3 : 7, quick ? 8 : 20, progress);
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
/** Prints stage 5's bills: the wall-time one, the CPU-priced one beside it, and the storage line. */
function printCost(cost: Awaited<ReturnType<typeof priceRuns>>) {
  for (const s of cost.scenarios) progress(`    ${s.name}: $${s.total.toFixed(2)} per million deliveries`);
  for (const s of cost.cpuPriced.scenarios)
    progress(
      `    ${s.name}, Lambda from CPU: $${s.total.toFixed(2)} (CPU part $${s.cpuPart.toFixed(3)}, waiting part $${s.waitPart.toFixed(3)}; wall time $${s.wallTimeTotal.toFixed(2)})`,
    );
  const st = cost.cpuPriced.storage;
  progress(
    `    storage, ${st.bytesPerDelivery} bytes a delivery kept ${st.retentionDays} days: $${st.withoutPitr.toFixed(2)} per million a month, $${st.withPitr.toFixed(2)} with PITR`,
  );
}
if (values.stage === "cost") {
  progress("    starting the bench stack (dynalite, fauxqs, counting proxies, the Lambda entries)");
  const stack = await startBenchStack({ RETRY_SCHEDULE: "1,1,1" });
  const api = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
  const receiver = await startWebhookReceiver();
  try {
    progress("2. the end-to-end runs that stage 5 prices");
    const { runs } = await benchEndToEnd(stack, api, receiver, endToEndOptions, progress);
    progress("5. cost: pricing the counted calls");
    const cost = await priceRuns(runs);
    printCost(cost);
    const result = { startedAt: new Date().toISOString(), node: process.version, cpuModel: os.cpus()[0]?.model ?? "?", cost };
    writeFileSync(`${RESULTS}cost.json`, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(`${RESULTS}cost.md`, `${costSection(cost).join("\n")}\n`);
    progress("done: bench/results/cost.json and bench/results/cost.md");
  } finally {
    api.close();
    await receiver.stop();
    await stack.stop();
  }
  process.exit(0);
}
if (values.stage === "websocket") {
  progress("    starting the bench stack (dynalite, fauxqs, counting proxies, the Lambda entries)");
  const stack = await startBenchStack();
  const api = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
  try {
    progress("12. WebSocket push: emit-to-push against a long poll, events emitted in batches of 10");
    await stack.call("startDelivery", { concurrency: 4 });
    const websocket = await benchWebSocketPush(api, { rates: [10, 100], seconds: quick ? 5 : 20 }, progress);
    const result = {
      startedAt: new Date().toISOString(),
      node: process.version,
      cpuModel: os.cpus()[0]?.model ?? "?",
      command: "npm run bench -- --stage websocket",
      websocket,
    };
    writeFileSync(`${RESULTS}websocket.json`, `${JSON.stringify(result, null, 2)}\n`);
    progress("done: bench/results/websocket.json");
  } finally {
    api.close();
    await stack.stop();
  }
  process.exit(0);
}
if (values.stage !== undefined) {
  if (values.stage !== "feed-memory")
    throw new Error(`--stage: the stages that run alone are feed-memory, cost and websocket, got "${values.stage}"`);
  progress("11. feed function memory: import and request CPU of the API bundle, estimated at 128, 256 and 512 MB");
  const feedMemory = await feedMemoryStage();
  const result = {
    startedAt: new Date().toISOString(),
    node: process.version,
    cpuModel: os.cpus()[0]?.model ?? "?",
    command: "npm run bench -- --stage feed-memory",
    feedMemory,
  };
  writeFileSync(`${RESULTS}feed-memory.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${RESULTS}feed-memory.md`, `${feedMemorySection(feedMemory).join("\n")}\n`);
  progress("done: bench/results/feed-memory.json and bench/results/feed-memory.md");
  process.exit(0);
}
progress("1. delivery worker against raw HTTP (loopback receiver in its own process)");
const deliveryWorker = await benchDeliveryWorker(
  {
    concurrency: 50,
    batchSize: 10,
    roundMs: quick ? 1000 : 2500,
    rounds: quick ? 2 : 3,
    execArgv: values.profile ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] : [],
  },
  progress,
);
progress(`    ratio ${deliveryWorker.ratio} (target ≥ 0.8), ${deliveryWorker.handler.cpuMicrosPerDelivery} CPU µs per delivery`);

progress("4. cold start: bundles and fresh-process imports");
const coldStart = await benchColdStart(quick ? 3 : 9, progress);

progress("11. feed function memory: import and request CPU of the API bundle, estimated at 128, 256 and 512 MB");
const feedMemory = await feedMemoryStage();

progress("    starting the bench stack (dynalite, fauxqs, counting proxies, the Lambda entries)");
const stack = await startBenchStack({ RETRY_SCHEDULE: "1,1,1" }, values.profile ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] : []);
const api = apiClient(stack.apiUrl, BENCH_ADMIN_KEY);
const receiver = await startWebhookReceiver();
let report: BenchReport;
try {
  progress("3. fan-out: one event to 1,000 endpoints");
  const fanOut = await benchFanOut(stack, api, receiver.url, 1000, 3);
  progress(`    ${fanOut.samplesMs.join(" ms, ")} ms to a 202, ${fanOut.enqueued} messages enqueued (target ≤ 1,000 ms)`);

  progress("2. local end to end against the emulator-only floor, then latency at 100 events/s");
  const { result: endToEnd, runs } = await benchEndToEnd(stack, api, receiver, endToEndOptions, progress);
  progress(`    ratio ${endToEnd.ratio} (target ≥ 0.5); p99 ${endToEnd.latency.p99Ms} ms (target ≤ 100 ms)`);

  progress("8. intake with and without a payload schema (interleaved rounds)");
  const eventSchema = await benchEventSchema(
    api,
    { events: quick ? 500 : 2000, rounds: quick ? 2 : 4, batchSize: 10, concurrency: 8 },
    progress,
  );
  progress(
    `    ratio ${eventSchema.ratio} (${eventSchema.with.perSecond} vs ${eventSchema.without.perSecond} events/s; target ≥ ${eventSchema.target}); ${eventSchema.validateMicros} µs to validate one payload`,
  );

  progress("10. feed: emit to a long-polling consumer at 10 events/s, then a follower catching up");
  const feed = await benchFeed(
    stack,
    api,
    receiver,
    { rate: 10, seconds: quick ? 5 : 20, backlog: quick ? 1000 : 10_000, pollers: 4 },
    progress,
  );

  progress("5. cost: pricing the counted calls");
  const cost = await priceRuns(runs);
  printCost(cost);

  progress("6. hot key: one endpoint's writes per partition key, time-scaled to 10,000 deliveries/s");
  const hotKey = await benchHotKey(stack, api, receiver, quick ? 1000 : 3000, 4);
  for (const [place, p] of Object.entries(hotKey.places))
    progress(
      `    ${place}: ${p.perSecondAtSimulated} write units/s on ${p.key} (before the shards ${p.unshardedPerSecondAtSimulated}; target ≤ ${hotKey.target})`,
    );

  progress("7. burst: tenant B's one event behind tenant A's burst");
  const burst = await benchBurst(stack, api, receiver, quick ? 2000 : 10_000, 4);
  progress(`    B behind the burst ${burst.behindBurstMs} ms (idle ${burst.quietMs} ms), ${burst.placeAmongBurst} of ${burst.burst + 1}`);
  progress("9. noisy neighbour: healthy endpoints beside black holes and a slow endpoint (a fresh stack, default settings)");
  // A stack of its own: what the earlier stages left in the in-memory emulators (tens of thousands of
  // items) and their short retry schedule are not what a user's stack has.
  const nnStack = await startBenchStack({}, values.profile ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] : []);
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
  progress("11. lane cycling: victims beside a receiver that answers 5 times fast and hangs once, over and over (fresh stacks)");
  const laneCycling = await benchLaneCycling(
    laneCyclingOptions(quick),
    false,
    values.profile ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] : [],
    progress,
  );
  progress(`    victims' p99 ratio ${laneCycling.hysteresis.ratio} (target ≤ 2), ${laneCycling.hysteresis.fastLaneHangs} fast-lane hangs`);

  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    if (execFileSync("git", ["status", "--porcelain", "functions", "local", "lib"], { encoding: "utf8" }).trim()) commit += "+uncommitted";
  } catch {
    // not a git checkout
  }
  report = {
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
    deliveryWorker,
    endToEnd,
    fanOut,
    coldStart,
    cost,
    hotKey,
    burst,
    eventSchema,
    noisyNeighbour,
    laneCycling,
    feed,
    feedMemory,
  };
} finally {
  api.close();
  await receiver.stop();
  await stack.stop();
}
writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${RESULTS}latest.md`, markdownReport(report));
progress(`done: bench/results/latest.json and bench/results/latest.md`);
