import os from "node:os";
import { PurgeQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type ApiClient, apiClient } from "../support/api-client.ts";
import type { BenchStack, Taken } from "../support/bench-stack.ts";
import { benchEvent, emitClosedLoop, emitSteady } from "../support/emit.ts";
import { median, quantile, round, sleep } from "../support/stats.ts";
import type { startWebhookReceiver } from "../support/webhook-receiver.ts";

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** The intake stage's targets (issue 27): throughput against the floor, and emit-to-receive p99 against the floor's. */
export const INTAKE_TARGETS = { ratio: 0.7, p99Ratio: 2 } as const;

export interface IntakeOptions {
  /** Events per closed-loop round. */
  events: number;
  rounds: number;
  clients: number;
  pollers: number;
  rate: number;
  /** Seconds at `rate` per latency round. */
  seconds: number;
  latencyRounds: number;
}

export interface IntakeResult {
  /** Single-event intake (POST /v1/events with a tenant key, to the 202) against the floor, closed loop; `ratio` is the median of the rounds' ratios. */
  throughput: {
    perSecond: number;
    floorPerSecond: number;
    samples: number[];
    floorSamples: number[];
    roundRatios: number[];
    ratio: number;
  };
  /** The emulator calls each made per event, by operation (from the counting proxies). */
  callsPerEvent: { intake: Record<string, number>; floor: Record<string, number> };
  /** The API's handler CPU per event (ms, median), from the stack's invocation timing. */
  apiCpuMsPerEvent: number;
  /**
   * The stack process's CPU per event (ms, median of rounds; the emulators run apart): intake with the
   * local gateway in front of it, against the floor's bare server.
   */
  processCpuMsPerEvent: { intake: number; floor: number };
  /** Emit-to-receive at `rate`, the pipeline (delivery worker included) against the floor (bare delivery). */
  latency: {
    /** The rate measured: `offered`, or a third of the slower side's intake-only rate when that is less. */
    rate: number;
    offered: number;
    p50Ms: number;
    p99Ms: number;
    floorP50Ms: number;
    floorP99Ms: number;
    p99Ratio: number;
    /** Emit to 202 at `rate`: the pipeline's and the floor's. */
    intakeP99Ms: number;
    floorIntakeP99Ms: number;
    /** True when either side's intake-only closed-loop rate is under 3 × `rate`: the p99s may then measure a queue. */
    saturated: boolean;
    lost: number;
  };
  targets: typeof INTAKE_TARGETS;
  met: { ratio: boolean; p99: boolean };
  /** The machine's 1-minute load average at the start and the end (2 cores: over 2, the cores were shared). */
  loadAverage: [number, number];
}

/** Calls per event by "service operation", from a take's counts of one caller. */
function callsPerEvent(taken: Taken, who: string, events: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, c] of [...Object.entries(taken.dynamodb), ...Object.entries(taken.sqs)])
    if (key.startsWith(`${who}: `) && c.requests / events >= 0.005) out[key.slice(who.length + 2)] = round(c.requests / events, 2);
  return out;
}

/**
 * Issue 27's intake stage: single-event intake against a floor that makes the same emulator calls
 * with nothing around them (bench/support/intake-floor.ts, in the stack's process beside the API),
 * closed loop in interleaved rounds; then emit-to-receive at `rate`, the pipeline against the floor
 * server feeding bare pollers in the same process, interleaved. Both sides use one tenant key and
 * one endpoint.
 */
export async function benchIntake(
  stack: BenchStack,
  admin: ApiClient,
  receiver: Receiver,
  options: IntakeOptions,
  progress: (line: string) => void,
): Promise<IntakeResult> {
  const loadAtStart = round(os.loadavg()[0] ?? 0, 1);
  const tenantId = "intake-bench";
  const created = await admin.request("POST", "/v1/api-keys", { tenantId, name: "intake bench" });
  if (created.status !== 201) throw new Error(`key creation answered ${created.status}`);
  const key = String(created.json?.key);
  const endpoint = await admin.request("POST", "/v1/endpoints", { url: receiver.url, tenantId });
  if (endpoint.status !== 201) throw new Error(`endpoint registration answered ${endpoint.status}`);
  const floorAt = await stack.call<{ url: string; queueUrl: string }>("startIntakeFloor");
  const api = apiClient(stack.apiUrl, key);
  const floor = apiClient(floorAt.url, key);
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: "us-east-1", credentials, useQueueUrlAsEndpoint: false });
  const make = (seq: number) => benchEvent(seq, "bench.event", tenantId);
  let seq = 0;
  try {
    // A new endpoint is on probation (the slow lane) until it has answered fast a few times: the
    // windows below measure an established one.
    await stack.call("startDelivery", { concurrency: options.pollers });
    receiver.reset();
    await emitClosedLoop(api, seq, 20, 1, 4, make);
    seq += 20;
    for (const deadline = performance.now() + 30_000; receiver.arrivals.size < 20 && performance.now() < deadline; ) await sleep(20);
    await sleep(500);
    await stack.call("stopDelivery");
    // Closed loop, intake alone (no delivery polling): emit to the 202.
    const closedLoop = async (client: ApiClient, events: number) => {
      await stack.take();
      const cpuBefore = await stack.call<number>("cpuMicros");
      const started = performance.now();
      await emitClosedLoop(client, seq, events, 1, options.clients, make);
      seq += events;
      const seconds = (performance.now() - started) / 1000;
      const cpuMs = ((await stack.call<number>("cpuMicros")) - cpuBefore) / 1000 / events;
      return { perSecond: events / seconds, cpuMs, taken: await stack.take() };
    };
    await closedLoop(api, Math.min(300, options.events));
    await closedLoop(floor, Math.min(300, options.events));
    const samples: number[] = [];
    const floorSamples: number[] = [];
    let calls: IntakeResult["callsPerEvent"] = { intake: {}, floor: {} };
    let cpu: number[] = [];
    const processCpu = { intake: [] as number[], floor: [] as number[] };
    const ratios: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      // Each round runs both, the order alternating, so a neighbour's burst or a drift hits both sides alike.
      const first = await closedLoop(r % 2 === 0 ? floor : api, options.events);
      const second = await closedLoop(r % 2 === 0 ? api : floor, options.events);
      const [f, p] = r % 2 === 0 ? [first, second] : [second, first];
      ratios.push(p.perSecond / f.perSecond);
      floorSamples.push(f.perSecond);
      samples.push(p.perSecond);
      calls = { intake: callsPerEvent(p.taken, "api", options.events), floor: callsPerEvent(f.taken, "bench", options.events) };
      cpu = cpu.concat(p.taken.invocations.apiCpu);
      processCpu.intake.push(p.cpuMs);
      processCpu.floor.push(f.cpuMs);
      progress(
        `  round ${r + 1}/${options.rounds}: floor ${Math.round(f.perSecond)}/s, ${round(f.cpuMs, 2)} ms CPU/event; intake ${Math.round(p.perSecond)}/s, ${round(p.cpuMs, 2)} ms CPU/event`,
      );
    }
    progress(`  calls per event: intake ${JSON.stringify(calls.intake)}; floor ${JSON.stringify(calls.floor)}`);
    await stack.call("purge");
    await sqs.send(new PurgeQueueCommand({ QueueUrl: floorAt.queueUrl }));

    // Emit-to-receive at the rate: the pipeline through the delivery worker, the floor through bare pollers.
    // Delivery in the same process and emulators about doubles the work of an event: where a third of
    // the slower side's intake-only rate is under the offered rate (a loaded machine), it is measured
    // at that third instead, as a p99 of a queue compares nothing.
    const slower = Math.min(median(samples), median(floorSamples));
    const rate = Math.max(5, Math.min(options.rate, Math.floor(slower / 3)));
    if (rate !== options.rate)
      progress(`  ${Math.round(slower)} events/s at most: emit-to-receive at ${rate}/s instead of ${options.rate}/s`);
    await stack.call("startDelivery", { concurrency: options.pollers });
    const pipe = { seen: [] as number[], intake: [] as number[], lost: 0 };
    const bare = { seen: [] as number[], intake: [] as number[], lost: 0 };
    const window = async (client: ApiClient, into: typeof pipe | undefined, seconds: number) => {
      receiver.reset();
      await sleep(300);
      const first = seq;
      const total = Math.round(rate * seconds);
      const delivered =
        client === floor
          ? stack.call("drainIntakeFloor", {
              receiverUrl: receiver.url,
              total,
              pollers: options.pollers,
              timeoutMs: seconds * 1000 + 30_000,
            })
          : Promise.resolve();
      const { sentAt, acceptedAt } = await emitSteady(client, first, rate, seconds, 1, make);
      seq += sentAt.size;
      await delivered;
      const deadline = performance.now() + 30_000;
      while (receiver.arrivals.size < sentAt.size && performance.now() < deadline) await sleep(20);
      if (!into) return;
      for (const [s, at] of sentAt) {
        const arrived = receiver.arrivals.get(s);
        if (arrived === undefined) into.lost++;
        else into.seen.push(arrived - at);
        const accepted = acceptedAt.get(s);
        if (accepted !== undefined) into.intake.push(accepted - at);
      }
    };
    // One unmeasured window each first: the pollers' first long polls and the clients' first sockets.
    await window(api, undefined, 2);
    await window(floor, undefined, 2);
    for (let r = 0; r < options.latencyRounds; r++) {
      await window(api, pipe, options.seconds);
      await window(floor, bare, options.seconds);
      progress(
        `  steady ${rate}/s, round ${r + 1}/${options.latencyRounds}: intake p99 ${round(quantile(pipe.seen, 0.99), 1)} ms, floor p99 ${round(quantile(bare.seen, 0.99), 1)} ms (so far)`,
      );
    }
    const perSecond = median(samples);
    const floorPerSecond = median(floorSamples);
    // The median of the rounds' own ratios: a round's two halves share the machine's state.
    const ratio = round(median(ratios), 3);
    const p99 = quantile(pipe.seen, 0.99);
    const floorP99 = quantile(bare.seen, 0.99);
    const p99Ratio = round(p99 / floorP99, 2);
    const saturated = Math.min(perSecond, floorPerSecond) < 3 * rate;
    return {
      throughput: {
        perSecond: Math.round(perSecond),
        floorPerSecond: Math.round(floorPerSecond),
        samples: samples.map(Math.round),
        floorSamples: floorSamples.map(Math.round),
        roundRatios: ratios.map((r) => round(r, 2)),
        ratio,
      },
      callsPerEvent: calls,
      apiCpuMsPerEvent: round(median(cpu), 2),
      processCpuMsPerEvent: { intake: round(median(processCpu.intake), 2), floor: round(median(processCpu.floor), 2) },
      latency: {
        rate,
        offered: options.rate,
        p50Ms: round(quantile(pipe.seen, 0.5), 1),
        p99Ms: round(p99, 1),
        floorP50Ms: round(quantile(bare.seen, 0.5), 1),
        floorP99Ms: round(floorP99, 1),
        p99Ratio,
        intakeP99Ms: round(quantile(pipe.intake, 0.99), 1),
        floorIntakeP99Ms: round(quantile(bare.intake, 0.99), 1),
        saturated,
        lost: pipe.lost + bare.lost,
      },
      targets: INTAKE_TARGETS,
      loadAverage: [loadAtStart, round(os.loadavg()[0] ?? 0, 1)],
      // The p99 target is at the offered rate with neither side saturated; a fallback rate's figure is shown, not counted.
      met: { ratio: ratio >= INTAKE_TARGETS.ratio, p99: p99Ratio <= INTAKE_TARGETS.p99Ratio && rate === options.rate && !saturated },
    };
  } finally {
    await stack.call("stopDelivery");
    api.close();
    floor.close();
    sqs.destroy();
  }
}

/** The intake stage's summary rows and section of the report (bench/results/intake.md when run alone). */
export function intakeReport(r: IntakeResult, command: string): { summary: string[]; section: string[] } {
  const mark = (met: boolean) => (met ? "met" : "**missed**");
  const t = r.throughput;
  const l = r.latency;
  const calls = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([op, k]) => `${k} × ${op}`)
      .join(", ");
  return {
    summary: [
      `| 16. single-event intake vs a floor making its calls | ${t.ratio} × (${t.perSecond} vs ${t.floorPerSecond} events/s; CPU ${r.processCpuMsPerEvent.intake} vs ${r.processCpuMsPerEvent.floor} ms an event) | ≥ ${r.targets.ratio} | ${mark(r.met.ratio)} |`,
      `| 16. emit-to-receive p99 at ${l.rate}/s vs the floor's${l.rate === l.offered ? "" : ` (the machine held under ${l.offered}/s)`} | ${l.p99Ratio} × (${l.p99Ms} vs ${l.floorP99Ms} ms)${l.saturated ? ", saturated" : ""} | ≤ ${r.targets.p99Ratio} × at ${l.offered}/s | ${mark(r.met.p99)} |`,
    ],
    section: [
      "## 16. Intake's own work",
      "",
      `Command: \`${command}\`. POST /v1/events with a tenant key, one event per request, closed loop to the 202 with delivery polling off, against a bare node:http server in the same process (bench/support/intake-floor.ts) that makes the same emulator calls with nothing around them; rounds of both in alternating order, the ratio the median of the rounds' own ratios (${t.roundRatios.join(", ")}).`,
      "",
      "| | events per second | rounds | calls per event |",
      "|---|---|---|---|",
      `| floor | ${t.floorPerSecond} | ${t.floorSamples.join(", ")} | ${calls(r.callsPerEvent.floor)} |`,
      `| intake | ${t.perSecond} (${t.ratio} ×) | ${t.samples.join(", ")} | ${calls(r.callsPerEvent.intake)} |`,
      "",
      `Load average (1 min) at the start and the end: ${r.loadAverage.join(" and ")} on ${os.cpus().length} cores.`,
      `CPU per event of the stack's process (the emulators run in another): intake ${r.processCpuMsPerEvent.intake} ms (the local gateway included), the floor ${r.processCpuMsPerEvent.floor} ms; the API handler's own share (median): ${r.apiCpuMsPerEvent} ms.`,
      `Emit-to-receive at ${l.rate} events/s, the pipeline (delivery worker) against the floor server feeding bare pollers (receive, POST, attempt PutItem, delete), interleaved windows: p50 ${l.p50Ms} vs ${l.floorP50Ms} ms, p99 ${l.p99Ms} vs ${l.floorP99Ms} ms (${l.p99Ratio} ×); emit to 202 p99 ${l.intakeP99Ms} vs ${l.floorIntakeP99Ms} ms; ${l.lost} lost.${l.rate === l.offered ? "" : ` Measured at ${l.rate}/s, a third of the slower side's intake-only rate (delivery about doubles an event's work), as this machine could not hold ${l.offered}/s: the target is not counted.`}${l.saturated ? " One side's intake-only rate is under 3 × this rate: the p99s may measure a queue." : ""}`,
      "",
    ],
  };
}
