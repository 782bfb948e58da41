/**
 * `npm run bench -- --stage schedule`: how precisely scheduled messages arrive on the local stack.
 * Held messages (deliverAt beyond SCHEDULE_LEAD_SECONDS) go through the table and the scheduler's
 * timer, near ones straight to the queue with DelaySeconds. Lateness is arrival minus deliverAt at
 * the receiver, in this process's clock; it must never be negative. The scheduler runs every second
 * with a 2 s lead here: the same mechanism as AWS's one-minute rule and 180 s lead, scaled down.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { quantile, round, sleep } from "../support/stats.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

const MAIN = fileURLToPath(new URL("../../local/main.ts", import.meta.url));
const ENV = { PORT: "0", SCHEDULE_LEAD_SECONDS: "2", LOCAL_SCHEDULE_INTERVAL_MS: "1000", ADMIN_API_KEY: "bench-schedule-key" };

/** Lateness of one path in ms: the least (never below 0), the median, p95 and the most. */
export interface Lateness {
  messages: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ScheduleResult {
  held: Lateness;
  near: Lateness;
  settings: typeof ENV;
}

/** Emits `perPath` held and `perPath` near messages spread over a few seconds and measures when each arrives. */
export async function benchSchedule(perPath: number, progress: (line: string) => void): Promise<ScheduleResult> {
  const child = spawn(process.execPath, [MAIN, "--ready-json", "--in-memory", "--quiet"], {
    env: { ...process.env, ...ENV },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ apiUrl: string }>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /^READY (.*)$/m.exec(out);
      if (match) resolve(JSON.parse(match[1] as string));
    });
    child.once("exit", (code) => reject(new Error(`the local stack exited (${code})`)));
  });
  const receiver = await startWebhookReceiver();
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${ready.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ENV.ADMIN_API_KEY}`, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).then((r) => r.json());
  try {
    await api("POST", "/v1/endpoints", { url: receiver.url, tenantId: "bench" });
    const due = new Map<number, number>();
    const emit = async (seq: number, aheadMs: number) => {
      const deliverAtMs = Date.now() + aheadMs;
      due.set(seq, deliverAtMs);
      await api("POST", "/v1/events", { type: "t", tenantId: "bench", payload: { seq }, deliverAt: new Date(deliverAtMs).toISOString() });
    };
    progress(`    ${perPath} held messages (3 to 8 s ahead) and ${perPath} near ones (0.2 to 1.8 s ahead)`);
    for (let i = 0; i < perPath; i++) {
      await emit(i, 3_000 + (i * 5_000) / perPath);
      await emit(perPath + i, 200 + (i * 1_600) / perPath);
    }
    for (let waited = 0; receiver.arrivals.size < 2 * perPath && waited < 60_000; waited += 250) await sleep(250);
    const lateness = (seqs: number[]): Lateness => {
      const late = seqs.map((s) => performance.timeOrigin + (receiver.arrivals.get(s) ?? Number.NaN) - (due.get(s) as number));
      return {
        messages: late.filter((l) => !Number.isNaN(l)).length,
        minMs: round(Math.min(...late)),
        p50Ms: round(quantile(late, 0.5)),
        p95Ms: round(quantile(late, 0.95)),
        maxMs: round(Math.max(...late)),
      };
    };
    const ids = (from: number) => Array.from({ length: perPath }, (_, i) => from + i);
    return { held: lateness(ids(0)), near: lateness(ids(perPath)), settings: ENV };
  } finally {
    await receiver.stop();
    child.kill("SIGTERM");
  }
}
