import type { AwsDestinationResult } from "../stages/aws-destination.ts";
import type { BurstResult } from "../stages/burst.ts";
import { COLD_START_TARGETS, type ColdStartResult } from "../stages/cold-start.ts";
import type { CostResult } from "../stages/cost.ts";
import type { CpuPricedFunction } from "../stages/cost-cpu.ts";
import type { DeliveryWorkerResult } from "../stages/delivery-worker.ts";
import type { EndToEndResult } from "../stages/end-to-end.ts";
import type { EventSchemaResult } from "../stages/event-schema.ts";
import type { FanOutResult } from "../stages/fan-out.ts";
import type { FeedBenchResult } from "../stages/feed.ts";
import type { FeedMemoryResult } from "../stages/feed-memory.ts";
import type { HotKeyResult } from "../stages/hot-key.ts";
import { type IntakeResult, intakeReport } from "../stages/intake.ts";
import { type LaneCyclingResult, laneCyclingReport } from "../stages/lane-cycling.ts";
import type { NoisyNeighbourResult } from "../stages/noisy-neighbour.ts";
import type { OrderedResult } from "../stages/ordered.ts";
import type { ScheduleResult } from "../stages/schedule.ts";
import type { PushLatency } from "../stages/websocket.ts";
import { billItemsSection } from "./cost-items.ts";
import { feedMemorySection } from "./feed-memory-report.ts";
import { isolationSections, isolationSummary } from "./isolation-report.ts";

export interface BenchReport {
  /** Scheduled delivery's lateness (bench/stages/schedule.ts); its table is bench/results/schedule.md. */
  schedule?: ScheduleResult;
  /** Ordered delivery's throughput and extra cost (bench/stages/ordered.ts); its table is bench/results/ordered.md. */
  ordered?: OrderedResult;
  /** Deliveries per second into a local SQS destination (bench/stages/aws-destination.ts); its table is bench/results/aws-destination.md. */
  awsDestination?: AwsDestinationResult;
  /** Emit-to-push against a long poll (bench/stages/websocket.ts). */
  websocket?: PushLatency[];
  /** Single-event intake against a floor making its calls (bench/stages/intake.ts). */
  intake?: IntakeResult;
  startedAt: string;
  seconds: number;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  commit: string;
  command: string;
  deliveryWorker: DeliveryWorkerResult;
  endToEnd: EndToEndResult;
  fanOut: FanOutResult;
  coldStart: ColdStartResult;
  cost: CostResult;
  hotKey: HotKeyResult;
  burst: BurstResult;
  eventSchema: EventSchemaResult;
  noisyNeighbour: NoisyNeighbourResult;
  laneCycling: LaneCyclingResult;
  feed: FeedBenchResult;
  feedMemory: FeedMemoryResult;
}

const mark = (met: boolean) => (met ? "met" : "**missed**");
const n = (v: number) => v.toLocaleString("en-US");
const usd = (v: number) => `$${v.toFixed(2)}`;

/** The markdown report: one table per stage, each figure beside its target. */
export function markdownReport(r: BenchReport): string {
  const w = r.deliveryWorker;
  const e = r.endToEnd;
  const f = r.fanOut;
  const out: string[] = [];
  out.push(`# Benchmarks: latest run`, "");
  out.push(
    `${r.startedAt}, ${r.seconds.toFixed(0)} s, commit \`${r.commit}\`, Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}. Reproduce: \`${r.command}\`.`,
    "Every ratio compares two figures measured in the same run, interleaved, so that a noisy neighbour hits both.",
    "",
  );
  out.push("## Summary", "", "| stage | figure | target | |", "|---|---|---|---|");
  out.push(
    `| 1. delivery worker vs raw HTTP | ${w.ratio} × (${n(w.handler.perSecond)} vs ${n(w.raw.perSecond)} req/s) | ≥ 0.8 | ${mark(w.met)} |`,
  );
  out.push(
    `| 2. end to end vs emulator floor | ${e.ratio} × (${n(e.batched.perSecond)} vs ${n(e.floor.perSecond)} events/s) | ≥ 0.5 | ${mark(e.met.ratio)} |`,
  );
  out.push(
    `| 2. emit-to-receive p99 at ${e.latency.ratePerSecond}/s | ${e.latency.p99Ms} ms (p50 ${e.latency.p50Ms} ms; emulator-only floor p99 ${e.latency.floor.p99Ms} ms) | ≤ 100 ms | ${mark(e.met.p99)} |`,
  );
  out.push(`| 3. fan-out to ${n(f.endpoints)} endpoints | ${f.medianMs} ms | ≤ 1,000 ms | ${mark(f.met)} |`);
  for (const b of r.coldStart.bundles) {
    out.push(`| 4. ${b.entry} bundle | ${b.kb} KB | ≤ ${COLD_START_TARGETS.kb} KB | ${mark(b.met.size)} |`);
    out.push(
      `| 4. ${b.entry} import vs SDK clients only | ${b.ratio} × (${b.importMs} vs ${b.baselineImportMs} ms) | ≤ ${COLD_START_TARGETS.ratio} | ${mark(b.met.ratio)} |`,
    );
  }
  // The bill of record: Lambda from CPU time, DynamoDB in each billing mode (a target holds in at least one).
  for (const s of r.cost.cpuPriced.scenarios) {
    out.push(
      `| 5. ${s.name}, DynamoDB ${s.billing} | ${usd(s.total)} per million deliveries | ${s.target === undefined ? "" : `≤ ${usd(s.target)}`} | ${s.met === undefined ? "" : mark(s.met)} |`,
    );
  }
  const st = r.cost.cpuPriced.storage;
  out.push(
    `| 5. storage, ${st.retentionDays} days kept | ${usd(st.withoutPitr)} per million deliveries a month, ${usd(st.withPitr)} with PITR | | |`,
  );
  out.push(...isolationSummary(r.hotKey, r.burst));
  const s = r.eventSchema;
  out.push(
    `| 8. intake with a ${s.schemaProperties}-property schema vs none | ${s.ratio} × (${n(s.with.perSecond)} vs ${n(s.without.perSecond)} events/s; ${s.validateMicros} µs a validation) | ≥ ${s.target} | ${mark(s.met)} |`,
  );
  const nn = r.noisyNeighbour;
  out.push(
    `| 9. noisy neighbour: healthy p99 with / without bad endpoints | ${nn.ratio} × (${nn.noisy.p99Ms} vs ${nn.baseline.p99Ms} ms); ${nn.fastLaneHandovers} bad POSTs in the fast lane | ≤ 2 ×; none | ${mark(nn.met)} |`,
  );
  const fl = r.feed.latency;
  out.push(
    `| 10. emit to a long-polling feed consumer at ${fl.ratePerSecond}/s | p50 ${fl.p50Ms} ms, p99 ${fl.p99Ms} ms (emulator floor p99 ${fl.floor.p99Ms} ms) | | |`,
    `| 10. a feed follower catching up on ${n(r.feed.catchUp.items)} items | ${n(r.feed.catchUp.perSecond)} items/s | | |`,
  );
  const laneCycling = laneCyclingReport(r.laneCycling);
  const intake = r.intake && intakeReport(r.intake, r.command);
  out.push(...laneCycling.summary, ...(intake?.summary ?? []));
  out.push("");
  out.push("## 1. Delivery worker against the raw HTTP limit", "");
  out.push(
    `The delivery handler (functions/delivery/handler.ts, with JSON logs and embedded metrics as in Lambda) fed SQS batches of ${w.batchSize} directly, ${w.concurrency / w.batchSize} invocations at a time (${w.concurrency} POSTs in flight), endpoint store, attempt log and queue in memory, posting 1 KB to a loopback receiver in another process; against raw node:http POSTs (same agent settings, headers and body) at ${w.concurrency} in flight. Medians of ${w.rounds} interleaved rounds.`,
    "",
    "| | per second | CPU µs per request | rounds |",
    "|---|---|---|---|",
    `| raw node:http POST | ${n(w.raw.perSecond)} | ${w.raw.cpuMicrosPerPost} | ${w.raw.samples.join(", ")} |`,
    `| raw POST + \`signal: AbortSignal.timeout(15 s)\` | ${n(w.rawSignal.perSecond)} (${(w.rawSignal.perSecond / w.raw.perSecond).toFixed(3)} ×) | ${w.rawSignal.cpuMicrosPerPost} | ${w.rawSignal.samples.join(", ")} |`,
    `| NodeHttpSender.post alone | ${n(w.sender.perSecond)} (${w.senderRatio} ×) | ${w.sender.cpuMicrosPerPost} | ${w.sender.samples.join(", ")} |`,
    `| delivery handler | ${n(w.handler.perSecond)} (${w.ratio} ×) | ${w.handler.cpuMicrosPerDelivery} | ${w.handler.samples.join(", ")} |`,
    "",
    `Log and metric output: ${w.logBytesPerDelivery} bytes per delivery. Failed deliveries: ${w.failures}.`,
    "",
  );
  out.push("## 2. Local end to end", "");
  out.push(
    `Events emitted through the HTTP API (batches of 10, closed loop), counted when the last one is delivered, logged and deleted from the queue, with ${e.pollers} delivery pollers; against the emulator-only floor: the same SendMessageBatch, PutItem per event, ReceiveMessage of 10, PutItem per attempt and DeleteMessageBatch, straight to the same emulators through the same counting proxies.`,
    "",
    "| | events per second | rounds |",
    "|---|---|---|",
    `| emulator-only floor | ${n(e.floor.perSecond)} | ${e.floor.samples.join(", ")} |`,
    `| pipeline, batched intake | ${n(e.batched.perSecond)} (${e.ratio} ×) | ${e.batched.samples.join(", ")} |`,
    `| pipeline, single-event intake | ${n(e.single.perSecond)} | |`,
    "",
    `Emit-to-receive at a steady ${e.latency.ratePerSecond} events/s (single-event POSTs, ${n(e.latency.events)} events in ${e.latency.roundsP99Ms.length} windows, ${e.latency.lost} lost): p50 ${e.latency.p50Ms} ms, p99 ${e.latency.p99Ms} ms, max ${e.latency.maxMs} ms (p99 by window: ${e.latency.roundsP99Ms.join(", ")} ms). The emulator-only floor in windows interleaved with those (SendMessageBatch and event PutItem, long-polled receive, attempt PutItem, a plain POST, delete): p50 ${e.latency.floor.p50Ms} ms, p99 ${e.latency.floor.p99Ms} ms, max ${e.latency.floor.maxMs} ms (p99 by window: ${e.latency.floor.roundsP99Ms.join(", ")} ms). Split: emit to 202 p50 ${e.latency.intakeP50Ms} ms, p99 ${e.latency.intakeP99Ms} ms; 202 to arrival p50 ${e.latency.afterAcceptP50Ms} ms, p99 ${e.latency.afterAcceptP99Ms} ms (negative: the POST arrived before the 202, since intake sends to SQS before it records the event). In batches of 10 at the same rate: p50 ${e.latencyBatched.p50Ms} ms, p99 ${e.latencyBatched.p99Ms} ms.`,
    "",
  );
  out.push("## 3. Fan-out", "");
  out.push(
    `One event to ${n(f.endpoints)} endpoints of one tenant, from sending POST /v1/events to its 202 (given only once SQS accepted every message), delivery polling off: ${f.samplesMs.join(" ms, ")} ms (median ${f.medianMs} ms); ${n(f.enqueued)} messages in the queue after ${f.samplesMs.length} events, ${f.sendMessageBatchRequests} SendMessageBatch requests.`,
    "",
  );
  out.push("## 4. Cold start", "");
  out.push(
    `esbuild as the CDK bundles (ESM, minified, node24, the require banner, the credential-provider alias); import time is \`await import()\` in a fresh process with the functions' environment and the variables Lambda's runtime sets (the configuration checks every name for typos), medians of ${r.coldStart.repeats} alternating runs. The baseline bundle only imports the SDK client classes the entry bundles (lazily where the entry is lazy).`,
    "",
    "| entry | bundle | SDK clients | baseline bundle | import | baseline import | ratio |",
    "|---|---|---|---|---|---|---|",
  );
  for (const b of r.coldStart.bundles) {
    out.push(
      `| ${b.entry} | ${b.kb} KB | ${b.clients.join(", ")} | ${(b.baselineBytes / 1024).toFixed(1)} KB | ${b.importMs} ms | ${b.baselineImportMs} ms | ${b.ratio}${b.instructionRatio === undefined ? "" : ` (in instructions ${b.instructionRatio})`} |`,
    );
  }
  out.push(
    "",
    `The SDK clients made as functions/runtime.ts makes them at import (the document client; SQS's on its first call), and nothing else: ${r.coldStart.clientsConstructed.importMs} ms (${r.coldStart.clientsConstructed.ratio} × the delivery baseline). What each dependency and module adds: \`node bench/support/cold-start-breakdown.ts\` (docs/performance.md).`,
    "",
  );
  out.push(...costSection(r.cost));
  out.push(...isolationSections(r.hotKey, r.burst));
  const o = nn.options;
  out.push("## 9. Noisy neighbour", "");
  out.push(
    `${o.healthyEndpoints} healthy endpoints of one tenant receive ${o.ratePerSecond} events/s, open loop, in windows of ${o.windowSeconds} s; windows without and with bad endpoints alternate, ${o.rounds} of each, after one unmeasured window that takes the stack's warm-up, on a fresh stack with the default settings. Each noisy window first registers ${o.blackHoles} fresh black holes (accept, never answer) and one endpoint answering after ${o.slowAnswerMs / 1000} s, in tenants of their own, and emits ${o.eventsPerBadEndpoint} events to each; the healthy stream follows at once. A window outlasts the delivery timeout (${o.deliveryTimeoutMs / 1000} s), so a noisy window holds the bad POSTs' whole first wave (sent, timed out, settled, retried); after it its bad endpoints are deleted, their open requests hung up, the slow lane's batches let finish and both queues purged, so the next baseline window has no bad endpoint in it. Lane settings at their defaults (fast lane budget ${o.fastBudgetMs} ms); 4 pollers per lane, batches of 10; the slow lane's pollers and function on a thread of their own, as its invocations run in environments of their own in AWS. The bad endpoints received ${n(nn.badRequests)} requests during the run.`,
    "",
    "| healthy emit-to-receive | deliveries | p50 | p99 | max |",
    "|---|---|---|---|---|",
    `| without bad endpoints | ${n(nn.baseline.deliveries)} | ${nn.baseline.p50Ms} ms | ${nn.baseline.p99Ms} ms | ${nn.baseline.maxMs} ms |`,
    `| with bad endpoints | ${n(nn.noisy.deliveries)} | ${nn.noisy.p50Ms} ms | ${nn.noisy.p99Ms} ms | ${nn.noisy.maxMs} ms |`,
    "",
    `Bad endpoints' POSTs made in the fast lane (cut off by its budget and handed over, the \`LaneHandovers\` metric), the only way a healthy delivery can wait on one: ${nn.fastLaneHandovers}. Healthy deliveries of the noisy windows that took the fast lane's budget or longer: ${nn.overBudget} (on a loaded machine the baseline windows have such delays too).`,
    "",
  );
  out.push(...feedSection(r.feed));
  out.push(...feedMemorySection(r.feedMemory));
  out.push(...laneCycling.section, ...(intake?.section ?? []));
  return `${out.join("\n")}\n`;
}

/** The feed stage: emit-to-feed latency with a long-polling consumer, and a follower catching up. */
function feedSection(feed: FeedBenchResult): string[] {
  const l = feed.latency;
  return [
    "## 10. Feed (polling endpoints)",
    "",
    `One consumer long polling (\`wait=20\`) while events are emitted at ${l.ratePerSecond}/s (${l.events} events, ${l.lost} not seen): emit to the item's arrival in the poll p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms; the emulator-only floor at the same rate, same run: p50 ${l.floor.p50Ms} ms, p99 ${l.floor.p99Ms} ms.`,
    "",
    `Catch-up: one follower read ${n(feed.catchUp.items)} appended items from the oldest, 100 an answer, in ${feed.catchUp.seconds} s: ${n(feed.catchUp.perSecond)} items/s (${feed.catchUp.requests} requests).`,
    "",
  ];
}

/** Stage 5's section: the wall-time bills line by line, the CPU-priced bill beside them, the storage line, the levers. */
export function costSection(c: CostResult): string[] {
  const out: string[] = [];
  out.push("## 5. Cost per million deliveries", "");
  out.push(
    `1 KB invoice JSON payload, one endpoint, us-east-1 prices. Every AWS call is counted by proxies in front of the emulators (every HTTP request, SQS 64 KB chunks, DynamoDB units from item sizes, gsi1 and gsi2 writes included), each attributed to the function that made it (the API, the delivery worker, or the event source's polling), during the saturated end-to-end runs (receive batches of ${c.durations.deliveryBatchFill} on average); billed Lambda time is the median handler time at a steady ${c.steadyRate} events/s (API ${c.durations.apiSingleMs} ms single / ${c.durations.apiBatchedMs} ms batched, delivery ${c.durations.deliveryMs} ms per invocation), at the memory the construct deploys by default (API ${c.memoryMb.api} MB, delivery ${c.memoryMb.delivery} MB, arm64). Logs: the functions' measured output, ${c.assumptions.platformLogBytesPerInvocation} bytes of platform lines per invocation (system log level WARN) and ${c.assumptions.accessLogBytesPerRequest} bytes of access log per API request (the construct's format with typical values). "One retry" lines are what a retry adds per retried delivery: a run where the first attempt of ${(c.retryShare * 100).toFixed(0)} % of the deliveries failed, minus the run without failures, divided by that share. Local emulators answer in about a millisecond where AWS takes 5 to 20 ms, so billed duration in AWS is longer: it is the smallest line either way.`,
    "",
  );
  for (const s of c.scenarios) {
    out.push(`### ${s.name}: ${usd(s.total)}${s.target === undefined ? "" : ` (target ≤ ${usd(s.target)}, ${mark(s.met ?? false)})`}`, "");
    out.push("| item | per delivery | $ per million |", "|---|---|---|");
    for (const l of s.lines)
      out.push(`| ${l.item}${l.detail ? ` (${l.detail})` : ""} | ${l.perDelivery} ${l.unit} | ${l.dollarsPerMillion.toFixed(3)} |`);
    out.push(`| **total** | | **${s.total.toFixed(3)}** |`, "");
  }
  out.push(
    `At a steady ${c.steadyRate} events/s instead (pollers find 1 to 3 messages, many receives come back empty): single-event ${usd(c.steady.single)}, batched ${usd(c.steady.batched)} per million.`,
    "",
    "### What it would take to go lower (not implemented: each changes what users get)",
    "",
    "| lever | what it changes | single-event | batched |",
    "|---|---|---|---|",
    ...c.levers.map((l) => `| ${l.lever} | ${l.changes} | ${usd(l.single)} | ${usd(l.batched)} |`),
    "",
    "EventBridge API destinations: $1.20 per million ($1.00 event + $0.20 invocation), with no signature and no delivery log.",
    "",
  );
  const p = c.cpuPriced;
  const f = (name: string, x: CpuPricedFunction) =>
    `| ${name} | ${x.wallMs} ms | ${x.cpuMs} ms (${x.alone} of ${x.samples} alone) | ${x.calls.DynamoDB} / ${x.calls.SQS} | ${x.cpuPartMs} ms | ${x.waitPartMs} ms |`;
  out.push(
    "### Lambda priced from CPU time and awaited calls (issue 27)",
    "",
    `Wall time on the local stack moves with the emulators and the shared cores. Here each function's billed duration is its median CPU time per invocation (the handler's thread's CPU time, process.threadCpuUsage, each invocation's equal share of its thread's CPU with the invocations overlapping it, so the shares add up to what the thread spent; the mean, since the kernel accounts thread CPU by scheduler ticks; steady and saturated runs for the API, the saturated run for delivery since its work grows with the batch; with \`npm run bench -- cost\` the emulators and counting proxies run in a process of their own, so it holds our code's work and the local gateway's and pollers' meanwhile, an upper bound) divided by Lambda's CPU share at its memory (memory / 1,769 MB), plus its DynamoDB and SQS requests per invocation times an assumed latency each (DynamoDB ${p.latencyMs.DynamoDB} ms, "single-digit milliseconds" per AWS; SQS ${p.latencyMs.SQS} ms, below the 16 ms p50 SQS adds on its way to Lambda), taken as sequential.`,
    "",
    "| function | wall median | CPU mean | DynamoDB / SQS calls | CPU part | waiting part |",
    "|---|---|---|---|---|---|",
    f("API, single-event", p.functions.api.single),
    f("API, batched", p.functions.api.batched),
    f("delivery, single-event run", p.functions.delivery.single),
    f("delivery, batched run", p.functions.delivery.batched),
    "",
    `DynamoDB in two billing modes (the construct's \`billing\` option): on demand at $0.625 per million write units and $0.125 per million read units; provisioned with auto scaling at a 70 % target at $0.00065 per WCU-hour and $0.00013 per RCU-hour, so each consumed unit pays for 1 / 0.7 provisioned (about $0.26 per million writes). A target is met when it holds in at least one mode.`,
    "",
    "| scenario | DynamoDB billing | wall-time bill (on demand) | Lambda CPU part | Lambda waiting part | DynamoDB units | CPU-priced bill | target |",
    "|---|---|---|---|---|---|---|---|",
    ...p.scenarios.map(
      (s) =>
        `| ${s.name} | ${s.billing} | ${usd(s.wallTimeTotal)} | $${s.cpuPart.toFixed(3)} | $${s.waitPart.toFixed(3)} | ${usd(s.dynamo)} | ${usd(s.total)} | ${s.target === undefined ? "" : `≤ ${usd(s.target)}, ${mark(s.met ?? false)}`} |`,
    ),
    "",
    ...billItemsSection(),
    `The endpoint's attempt list is written per batch, not per attempt (built, issue 27; functions/adapters/dynamo/attempt-list.ts): attempt write units a delivery ${(c.attemptWrites.single.attempt + c.attemptWrites.single.list).toFixed(3)} single-event and ${(c.attemptWrites.batched.attempt + c.attemptWrites.batched.list).toFixed(3)} batched (the attempt item, ${c.attemptWrites.batched.attempt}, plus its share of its endpoint's list item, ${c.attemptWrites.batched.list}, at ${c.attemptWrites.deliveryBatchFill} messages a delivery batch), against 2 with the gsi1 copy.`,
    "",
    `Storage (both billing modes): ${n(p.storage.bytesPerDelivery)} bytes kept per delivery (event, attempt and their GSI copies as full copies, 100 bytes of overhead each), ${p.storage.retentionDays} days (LOG_RETENTION_DAYS default): ${usd(p.storage.withoutPitr)} per million deliveries a month at $0.25 per GB-month, ${usd(p.storage.withPitr)} with point-in-time recovery ($0.20 per GB-month more; us-east-1 price list).`,
    "",
  );
  return out;
}
