import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack } from "../support/bench-stack.ts";
import type { KeyWrites } from "../support/counting-proxy.ts";
import { benchEvent, emitClosedLoop } from "../support/emit.ts";
import { round } from "../support/stats.ts";
import type { startWebhookReceiver } from "../support/webhook-receiver.ts";

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
/** The receiver fails the first attempt of one event in this many, so retries and health transitions are counted too. */
const FAIL_EVERY = 10;

/** The rate the issue asks about: one endpoint receiving this many deliveries a second. */
export const SIMULATED_DELIVERIES_PER_SECOND = 10_000;
/** DynamoDB's write limit on one partition key, in write units a second. */
const KEY_LIMIT = 1_000;

/** The busiest partition key of one place (the table or an index). */
export interface HottestKey {
  key: string;
  writeUnits: number;
  /** Its write units a second had the run gone at the simulated rate. */
  perSecondAtSimulated: number;
  /** The same for the busiest key of the layout before the shards (shard suffixes taken off). */
  unshardedPerSecondAtSimulated: number;
}

export interface HotKeyResult {
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  simulatedPerSecond: number;
  /** The endpoint's rate limit, so that its window counter is written on every delivery. */
  rateLimitPerSecond: number;
  /** Attempts made: one per delivery plus the retries of the first attempts the receiver failed. */
  attempts: number;
  /** Write units on the endpoint's own item (health: failing since, circuit), all of the run. */
  endpointItemWriteUnits: number;
  places: Record<"table" | "gsi1" | "gsi2", HottestKey>;
  target: number;
  met: boolean;
}

/**
 * Stage 6, hot key: events of one tenant to one rate-limited endpoint, delivered through the local
 * stack while the counting proxy tallies write units per partition key on the table, gsi1 and gsi2
 * (the tenant's event list is on the table now, `TENANT#{t}#EVENTS#{shard}`; gsi2 holds older events only).
 * The run is time-scaled: the local stack delivers about a thousand a second, so each key's share of
 * the writes is scaled to 10,000 deliveries a second. Each key's writes grow with the deliveries
 * (one attempt, one event, one window take each), so the share is what the rate changes. One event
 * in ten fails its first attempt, so retries and the endpoint's health writes are in the count.
 */
export async function benchHotKey(
  stack: BenchStack,
  api: ApiClient,
  receiver: Receiver,
  deliveries: number,
  pollers: number,
): Promise<HotKeyResult> {
  const rateLimitPerSecond = 1_000;
  const out = await api.request("POST", "/v1/endpoints", {
    url: receiver.url,
    tenantId: "hot",
    eventTypes: ["hot.test"],
    rateLimitPerSecond,
  });
  if (out.status !== 201) throw new Error(`endpoint registration answered ${out.status}`);
  const endpointId = String(out.json?.id);
  receiver.reset(FAIL_EVERY);
  await stack.call("startDelivery", { concurrency: pollers });
  await stack.take();
  await stack.call("takeKeyWrites");
  const started = performance.now();
  await emitClosedLoop(api, 0, deliveries, 10, 8, (seq) => benchEvent(seq, "hot.test", "hot"));
  const attempts = deliveries + Math.ceil(deliveries / FAIL_EVERY);
  const done = await stack.call<number>("awaitDone", { count: deliveries, attempts, timeoutMs: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  if (done < deliveries) throw new Error(`hot key: only ${done} of ${deliveries} deliveries finished`);
  const writes = await stack.call<KeyWrites>("takeKeyWrites");
  await stack.take();
  receiver.reset();
  const scale = SIMULATED_DELIVERIES_PER_SECOND / deliveries;
  const hottest = (place: string): HottestKey => {
    const mine = Object.entries(writes).filter(([key]) => key.startsWith(`${place} `));
    const [key, writeUnits] = mine.reduce((a, b) => (b[1] > a[1] ? b : a), ["none", 0]);
    const unsharded = new Map<string, number>();
    for (const [k, units] of mine) {
      const base = k.replace(/#R\d+$/, "").replace(/#(AT|EV|EVENTS)#\d+$/, "#$1");
      unsharded.set(base, (unsharded.get(base) ?? 0) + units);
    }
    return {
      key: key.slice(place.length + 1),
      writeUnits,
      perSecondAtSimulated: Math.round(writeUnits * scale),
      unshardedPerSecondAtSimulated: Math.round(Math.max(0, ...unsharded.values()) * scale),
    };
  };
  const places = { table: hottest("table"), gsi1: hottest("gsi1"), gsi2: hottest("gsi2") };
  return {
    deliveries,
    seconds: round(seconds, 1),
    deliveriesPerSecond: Math.round(deliveries / seconds),
    simulatedPerSecond: SIMULATED_DELIVERIES_PER_SECOND,
    rateLimitPerSecond,
    attempts,
    endpointItemWriteUnits: writes[`table EP#${endpointId}`] ?? 0,
    places,
    target: KEY_LIMIT,
    met: Object.values(places).every((p) => p.perSecondAtSimulated <= KEY_LIMIT),
  };
}
