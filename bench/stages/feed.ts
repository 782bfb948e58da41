import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoFeed } from "../../functions/adapters/dynamo/dynamo-feed.ts";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack } from "../support/bench-stack.ts";
import { benchEvent } from "../support/emit.ts";
import { quantile, round, sleep } from "../support/stats.ts";
import type { startWebhookReceiver } from "../support/webhook-receiver.ts";
import { createFloor } from "./emulator-floor.ts";

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

const TENANT = "bench-feed";
const TYPE = "bench.feed";

export interface FeedBenchOptions {
  /** Events per second while a long-polling consumer follows the feed. */
  rate: number;
  seconds: number;
  /** Items a follower catches up on, from the oldest. */
  backlog: number;
  pollers: number;
}

export interface FeedBenchResult {
  latency: {
    ratePerSecond: number;
    events: number;
    lost: number;
    /** Emit (request sent) to the item's arrival in the consumer's long poll. */
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    /** The emulator-only floor (send, receive, one put, a plain POST) at the same rate, in the same run. */
    floor: { p50Ms: number; p99Ms: number };
  };
  catchUp: { items: number; seconds: number; perSecond: number; requests: number };
}

interface FeedAnswer {
  items: { payload: { seq: number } }[];
  cursor: string;
}

/**
 * The feed stage: emit-to-feed latency with one consumer long polling (`wait=20`) at a steady rate,
 * against the emulator-only floor at the same rate; then how fast a follower reads a backlog of
 * appended items from the oldest, 100 an answer.
 */
export async function benchFeed(
  stack: BenchStack,
  api: ApiClient,
  receiver: Receiver,
  options: FeedBenchOptions,
  progress: (line: string) => void,
): Promise<FeedBenchResult> {
  // Delivery is usually running already (stage 2 started it); starting it again does nothing.
  await stack.call("startDelivery", { concurrency: options.pollers });
  const create = async () => {
    const out = await api.request("POST", "/v1/endpoints", { kind: "polling", tenantId: TENANT, eventTypes: [TYPE] });
    if (out.status !== 201) throw new Error(`creating a polling endpoint answered ${out.status}`);
    return String(out.json?.id);
  };
  const read = async (id: string, query: string): Promise<FeedAnswer> => {
    const out = await api.request("GET", `/v1/endpoints/${id}/feed?${query}`);
    if (out.status !== 200) throw new Error(`reading the feed answered ${out.status}: ${JSON.stringify(out.json)}`);
    return out.json as unknown as FeedAnswer;
  };
  const emit = (seq: number) => api.request("POST", "/v1/events", benchEvent(seq, TYPE, TENANT));

  // Latency: the consumer holds a long poll open all along, as `hookrelay listen` does.
  const live = await create();
  const arrivals = new Map<number, number>();
  let cursor = (await read(live, "limit=1")).cursor;
  let following = true;
  const consumer = (async () => {
    while (following) {
      const answer = await read(live, `wait=20&limit=100&cursor=${encodeURIComponent(cursor)}`);
      const at = performance.now();
      for (const item of answer.items) if (!arrivals.has(item.payload.seq)) arrivals.set(item.payload.seq, at);
      cursor = answer.cursor;
    }
  })();
  const total = Math.round(options.rate * options.seconds);
  const sentAt = new Map<number, number>();
  const started = performance.now();
  const emits: Promise<unknown>[] = [];
  for (let seq = 0; seq < total; seq++) {
    const wait = started + (seq * 1000) / options.rate - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt.set(seq, performance.now());
    emits.push(emit(seq));
  }
  await Promise.all(emits);
  for (let waited = 0; arrivals.size < total && waited < 10_000; waited += 100) await sleep(100);
  following = false;
  // The consumer's last long poll ends when an item arrives or its wait does: one more emit ends it now.
  await emit(total);
  await consumer;
  const latencies = [...sentAt].flatMap(([seq, at]) => (arrivals.has(seq) ? [(arrivals.get(seq) as number) - at] : []));

  const floor = await createFloor(stack.sqsUrl, stack.dynamoUrl, RESOURCE_NAMES.table);
  receiver.reset();
  const floorSent = await floor.latency(options.rate, options.seconds, 1_000_000, receiver.url, options.pollers);
  const floorLatencies = [...floorSent].flatMap(([seq, at]) =>
    receiver.arrivals.has(seq) ? [(receiver.arrivals.get(seq) as number) - at] : [],
  );
  floor.close();
  const p = (q: number, values: number[]) => round(quantile(values, q), 1);
  progress(
    `  ${options.rate}/s for ${options.seconds} s: feed p50 ${p(0.5, latencies)} ms, p99 ${p(0.99, latencies)} ms; floor p50 ${p(0.5, floorLatencies)} ms, p99 ${p(0.99, floorLatencies)} ms`,
  );

  // Catch-up: a backlog appended first, then read from the oldest as fast as one follower can.
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoUrl, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  );
  const backlog = await create();
  // The backlog is appended straight through the feed's adapter, as delivery workers would (ten
  // at a time): the stage times the follower, not the delivery pipeline, which stage 2 measures.
  const feed = new DynamoFeed(doc, RESOURCE_NAMES.table);
  const writer = { feed, clock: systemClock, logRetentionDays: 30 };
  await mapWithConcurrency(
    Array.from({ length: options.backlog }, (_, i) => i),
    10,
    async (i) => {
      const event = benchEvent(2_000_000 + i, TYPE, TENANT);
      const entry = {
        eventId: `evt_backlog_${i}`,
        eventType: TYPE,
        timestamp: new Date().toISOString(),
        body: JSON.stringify(event.payload),
      };
      await appendToFeed(writer, backlog, { id: `fi_backlog_${i}`, ...entry });
    },
  );
  const appended = options.backlog;
  const catchStart = performance.now();
  let items = 0;
  let requests = 0;
  let position: string | undefined;
  while (items < appended) {
    const answer = await read(backlog, `limit=100${position ? `&cursor=${encodeURIComponent(position)}` : ""}`);
    requests++;
    items += answer.items.length;
    position = answer.cursor;
    if (answer.items.length === 0) break;
  }
  const seconds = (performance.now() - catchStart) / 1000;
  doc.destroy();
  progress(`  catch-up: ${items} items in ${round(seconds, 1)} s (${Math.round(items / seconds)} items/s, ${requests} requests)`);

  return {
    latency: {
      ratePerSecond: options.rate,
      events: total,
      lost: total - latencies.length,
      p50Ms: p(0.5, latencies),
      p99Ms: p(0.99, latencies),
      maxMs: p(1, latencies),
      floor: { p50Ms: p(0.5, floorLatencies), p99Ms: p(0.99, floorLatencies) },
    },
    catchUp: { items, seconds: round(seconds, 2), perSecond: Math.round(items / seconds), requests },
  };
}
