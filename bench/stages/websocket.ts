/**
 * WebSocket push: emit-to-push latency at steady rates (events emitted in batches of 10), beside a
 * long-polling consumer of another endpoint of the same tenant fed the same events, in the same run
 * on the same stack. Run alone with `npm run bench -- --stage websocket`.
 */
import WebSocket from "ws";
import type { ApiClient } from "../support/api-client.ts";
import { BENCH_ADMIN_KEY } from "../support/bench-stack.ts";
import { benchEvent } from "../support/emit.ts";
import { quantile, round, sleep } from "../support/stats.ts";

const TENANT = "bench-ws";
const TYPE = "bench.ws";
const BATCH = 10;

export interface PushLatency {
  ratePerSecond: number;
  events: number;
  /** Emit (the batch request sent) to the item's frame at the WebSocket client. */
  push: { received: number; p50Ms: number; p99Ms: number };
  /** The same events at a `wait=20` long-polling consumer of a second endpoint. */
  longPoll: { received: number; p50Ms: number; p99Ms: number };
}

/** Runs each rate for `seconds`; one connection and one long poller, each acking or passing back its cursor. */
export async function benchWebSocketPush(
  api: ApiClient,
  options: { rates: number[]; seconds: number },
  progress: (line: string) => void,
): Promise<PushLatency[]> {
  const health = await api.request("GET", "/v1/health");
  const url = String((health.json as { websocketUrl?: string } | undefined)?.websocketUrl);
  const results: PushLatency[] = [];
  for (const rate of options.rates) {
    const create = async () =>
      String((await api.request("POST", "/v1/endpoints", { kind: "polling", tenantId: TENANT, eventTypes: [TYPE] })).json?.id);
    const [pushed, polled] = [await create(), await create()];
    const pushAt = new Map<number, number>();
    const pollAt = new Map<number, number>();
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; cursor?: string; item?: { payload: { seq: number } } };
      if (frame.type !== "item" || !frame.item) return;
      pushAt.set(frame.item.payload.seq, performance.now());
      socket.send(JSON.stringify({ action: "ack", cursor: frame.cursor }));
    });
    socket.send(JSON.stringify({ action: "subscribe", endpointId: pushed, authorization: `Bearer ${BENCH_ADMIN_KEY}` }));
    let following = true;
    let cursor = (await api.request("GET", `/v1/endpoints/${polled}/feed?limit=1`)).json?.cursor as string;
    const poller = (async () => {
      while (following) {
        const answer = await api.request("GET", `/v1/endpoints/${polled}/feed?wait=20&limit=100&cursor=${encodeURIComponent(cursor)}`);
        const at = performance.now();
        // A saturated stack may answer 5xx or 429: counted as nothing read, and polled again.
        if (answer.status !== 200) {
          await sleep(200);
          continue;
        }
        const page = answer.json as unknown as { items: { payload: { seq: number } }[]; cursor: string };
        for (const item of page.items) if (!pollAt.has(item.payload.seq)) pollAt.set(item.payload.seq, at);
        cursor = page.cursor;
      }
    })();
    const total = Math.round(rate * options.seconds);
    const sentAt = new Map<number, number>();
    const started = performance.now();
    const emits: Promise<unknown>[] = [];
    for (let first = 0; first < total; first += BATCH) {
      const wait = started + (first * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const now = performance.now();
      const events = Array.from({ length: Math.min(BATCH, total - first) }, (_, i) => {
        sentAt.set(first + i, now);
        return benchEvent(first + i, TYPE, TENANT);
      });
      emits.push(api.request("POST", "/v1/events/batch", { events }));
    }
    await Promise.all(emits);
    for (let waited = 0; (pushAt.size < total || pollAt.size < total) && waited < 15_000; waited += 100) await sleep(100);
    following = false;
    await api.request("POST", "/v1/events", benchEvent(total, TYPE, TENANT));
    await poller;
    socket.close();
    const of = (arrivals: Map<number, number>) => {
      const latencies = [...sentAt].flatMap(([seq, at]) => (arrivals.has(seq) ? [(arrivals.get(seq) as number) - at] : []));
      return { received: latencies.length, p50Ms: round(quantile(latencies, 0.5), 1), p99Ms: round(quantile(latencies, 0.99), 1) };
    };
    const result = { ratePerSecond: rate, events: total, push: of(pushAt), longPoll: of(pollAt) };
    progress(
      `  ${rate}/s for ${options.seconds} s: push p50 ${result.push.p50Ms} ms, p99 ${result.push.p99Ms} ms (${result.push.received}/${total}); long poll p50 ${result.longPoll.p50Ms} ms, p99 ${result.longPoll.p99Ms} ms (${result.longPoll.received}/${total})`,
    );
    results.push(result);
  }
  return results;
}
