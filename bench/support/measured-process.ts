/**
 * The processes the feed memory stage measures (bench/stages/feed-memory.ts): the API bundle run in a
 * fresh Node process with Lambda's environment, driven over IPC one batch of events at a time; and
 * the tally of DynamoDB use the counting proxy saw per kind of request.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import type { Counts } from "./counting-proxy.ts";
import { lambdaEnvironment } from "./lambda-env.ts";
import { round } from "./stats.ts";

/**
 * The process the stage measures, as an ES module script: import the bundle (CPU and wall time),
 * then run the handler on the events the parent sends, timing each; report peak RSS each time.
 */
const CHILD = `
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const m = await import(process.env.HOOKRELAY_BENCH_BUNDLE);
const used = process.cpuUsage(cpu0);
const imported = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0 };
// The process's own high-water mark of resident memory (getrusage's maxRSS keeps the parent's across exec).
const { readFileSync } = process.getBuiltinModule("node:fs");
const peak = () => Number(/VmHWM:\\s*(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN) * 1024;
// The heap and external memory still in use once garbage is collected (RSS keeps pages V8 freed).
const live = () => { globalThis.gc?.(); const u = process.memoryUsage(); return u.heapUsed + u.external; };
const context = { getRemainingTimeInMillis: () => 28_000, awsRequestId: "bench", functionName: "hookrelay-feed" };
process.on("message", async (message) => {
  if (message.cmd === "stop") return process.disconnect();
  const results = [];
  for (const event of message.events) {
    const c0 = process.cpuUsage();
    const answer = await m.handler(event, context);
    const c = process.cpuUsage(c0);
    const body = typeof answer.body === "string" ? answer.body : "";
    let json = {};
    try { json = JSON.parse(body); } catch {}
    results.push({ status: answer.statusCode, cpuMs: (c.user + c.system) / 1000, bytes: Buffer.byteLength(body), id: json.id, cursor: json.cursor, items: json.items?.length });
  }
  process.send({ results, peakRssBytes: peak(), liveBytes: live() });
});
process.send({ imported, peakRssBytes: peak(), liveBytes: live() });
`;

export interface Ran {
  results: { status: number; cpuMs: number; bytes: number; id?: string; cursor?: string; items?: number }[];
  peakRssBytes: number;
  liveBytes: number;
}

/**
 * The V8 heap limits of a function of `memoryMb`, as Lambda's Node.js bootstrap is understood to set
 * them (a tenth of the memory for the young generation, half of that per semi-space, the rest old
 * space): the measured process runs once under them per size, to see whether the reads fit.
 */
export function heapFlags(memoryMb: number): string[] {
  const young = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(young / 2)}`, `--max-old-space-size=${memoryMb - young}`];
}

/** One measured process: started, imported, and driven phase by phase over IPC. */
export async function startChild(bundleFile: string, dynamoUrl: string, v8Flags: string[] = []) {
  const child: ChildProcess = spawn(process.execPath, ["--expose-gc", ...v8Flags, "--input-type=module", "-e", CHILD], {
    env: lambdaEnvironment({
      HOOKRELAY_BENCH_BUNDLE: pathToFileURL(bundleFile).href,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      // Errors only: a log line is not what is measured.
      LOG_LEVEL: "ERROR",
    }),
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const next = <T>() =>
    new Promise<T>((resolvePromise, reject) => {
      const onExit = () => reject(new Error(`the measured process exited: ${stderr}`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolvePromise(message as T);
      });
    });
  const ready = await next<{ imported: { cpuMs: number; wallMs: number }; peakRssBytes: number; liveBytes: number }>();
  return {
    ready,
    /** Runs the events one after another in the process and returns their figures. */
    run(events: unknown[]): Promise<Ran> {
      const answer = next<Ran>();
      child.send({ events });
      return answer;
    },
    stop(): Promise<void> {
      const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()));
      child.send({ cmd: "stop" });
      return exited;
    },
  };
}

/** DynamoDB use counted at the proxy. */
export interface DynamoUse {
  calls: number;
  readUnits: number;
  writeUnits: number;
}

/** The proxy's counts summed over every operation. */
export function totalOf(counts: Counts): DynamoUse {
  const all = Object.values(counts);
  return {
    calls: all.reduce((t, c) => t + c.requests, 0),
    readUnits: all.reduce((t, c) => t + c.readUnits, 0),
    writeUnits: all.reduce((t, c) => t + c.writeUnits, 0),
  };
}

/** Sums of DynamoDB use and of requests, per kind of request, over every run. */
export class Tally {
  private readonly sums = new Map<string, DynamoUse & { requests: number }>();

  add(kind: string, use: DynamoUse, requests: number): void {
    const sum = this.sums.get(kind) ?? { calls: 0, readUnits: 0, writeUnits: 0, requests: 0 };
    this.sums.set(kind, {
      calls: sum.calls + use.calls,
      readUnits: sum.readUnits + use.readUnits,
      writeUnits: sum.writeUnits + use.writeUnits,
      requests: sum.requests + requests,
    });
  }

  /** DynamoDB use per request of `kind`. */
  per(kind: string): DynamoUse {
    const sum = this.sums.get(kind);
    if (!sum) return { calls: 0, readUnits: 0, writeUnits: 0 };
    return {
      calls: round(sum.calls / sum.requests, 2),
      readUnits: round(sum.readUnits / sum.requests, 2),
      writeUnits: round(sum.writeUnits / sum.requests, 2),
    };
  }
}
