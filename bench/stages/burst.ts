import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack } from "../support/bench-stack.ts";
import { benchEvent, emitClosedLoop } from "../support/emit.ts";
import { median, round, sleep } from "../support/stats.ts";
import type { startWebhookReceiver } from "../support/webhook-receiver.ts";

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

export interface BurstResult {
  burst: number;
  /** Tenant B's single event, emit to receive, on an idle stack (medians of a few). */
  quietMs: number;
  /** Tenant B's single event, emitted as tenant A's burst had been accepted, emit to receive. */
  behindBurstMs: number;
  /** How long the burst took to drain, from its first emit to its last delivery. */
  burstDrainSeconds: number;
  /** Where B's delivery came among the burst's: 1 is first, burst + 1 is last. */
  placeAmongBurst: number;
}

const B_SEQ = 10_000_000;

/**
 * Stage 7, burst: tenant A emits `burst` events as fast as the API takes them; as soon as they are
 * accepted, tenant B emits one. B's emit-to-receive time is how long A's burst delays another
 * tenant. Measured against B's time on the idle stack in the same run.
 */
export async function benchBurst(
  stack: BenchStack,
  api: ApiClient,
  receiver: Receiver,
  burst: number,
  pollers: number,
): Promise<BurstResult> {
  const ids: string[] = [];
  for (const tenantId of ["burst-a", "burst-b"]) {
    const out = await api.request("POST", "/v1/endpoints", { url: receiver.url, tenantId, eventTypes: ["burst.test"] });
    if (out.status !== 201) throw new Error(`endpoint registration answered ${out.status}`);
    ids.push(String(out.json?.id));
  }
  await stack.call("startDelivery", { concurrency: pollers });
  // Both endpoints earn the fast lane first (new endpoints start in probation, whose deliveries intake
  // puts on the slow lane's queue), so that the burst and B's event share the delivery queue.
  const deadline = performance.now() + 60_000;
  for (let seq = B_SEQ + 100; ; seq++) {
    for (const tenantId of ["burst-a", "burst-b"]) await api.request("POST", "/v1/events", benchEvent(seq, "burst.test", tenantId));
    await sleep(100);
    const lanes = await Promise.all(ids.map(async (id) => (await api.request("GET", `/v1/endpoints/${id}`)).json?.lane));
    if (lanes.every((lane) => lane === "fast")) break;
    if (performance.now() > deadline) throw new Error(`burst endpoints still in lanes ${lanes.join(", ")}`);
  }
  const emitB = async (seq: number): Promise<number> => {
    const sent = performance.now();
    const out = await api.request("POST", "/v1/events", benchEvent(seq, "burst.test", "burst-b"));
    if (out.status !== 202) throw new Error(`tenant B's emit answered ${out.status}`);
    return sent;
  };
  const arrival = async (seq: number, timeoutMs: number): Promise<number> => {
    const deadline = performance.now() + timeoutMs;
    while (!receiver.arrivals.has(seq)) {
      if (performance.now() > deadline) throw new Error(`tenant B's event ${seq} did not arrive`);
      await sleep(2);
    }
    return receiver.arrivals.get(seq) as number;
  };

  receiver.reset();
  const quiet: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const sent = await emitB(B_SEQ + i);
    quiet.push((await arrival(B_SEQ + i, 10_000)) - sent);
  }

  receiver.reset();
  await stack.take();
  const started = performance.now();
  await emitClosedLoop(api, 0, burst, 10, 8, (seq) => benchEvent(seq, "burst.test", "burst-a"));
  const sent = await emitB(B_SEQ);
  const received = await arrival(B_SEQ, 600_000);
  const done = await stack.call<number>("awaitDone", { count: burst + 1, timeoutMs: 600_000 });
  if (done < burst + 1) throw new Error(`burst: only ${done} of ${burst + 1} deliveries finished`);
  const drained = Math.max(...receiver.arrivals.values());
  const earlier = [...receiver.arrivals].filter(([seq, at]) => seq < B_SEQ && at < received).length;
  await stack.take();
  return {
    burst,
    quietMs: round(median(quiet), 1),
    behindBurstMs: round(received - sent, 1),
    burstDrainSeconds: round((drained - started) / 1000, 1),
    placeAmongBurst: earlier + 1,
  };
}
