import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import type { ApiClient } from "./api-client.ts";
import { invoicePayload } from "./payload.ts";

/** The event the end-to-end stages emit: about 1 KB of invoice JSON; its `seq` lets the receiver time it. */
export function benchEvent(seq: number, type = "bench.event", tenantId = "default") {
  return { type, tenantId, payload: invoicePayload(seq) };
}

/** Which event a seq is: the bench event of the default tenant unless a stage names its own. */
type MakeEvent = (seq: number) => ReturnType<typeof benchEvent>;

/** Emits `total` events as fast as `concurrency` clients can, in requests of `batchSize` (1: POST /v1/events). */
export async function emitClosedLoop(
  api: ApiClient,
  firstSeq: number,
  total: number,
  batchSize: number,
  concurrency: number,
  make: MakeEvent = benchEvent,
): Promise<void> {
  const requests = Array.from({ length: Math.ceil(total / batchSize) }, (_, i) => i);
  await mapWithConcurrency(requests, concurrency, async (i) => {
    const start = firstSeq + i * batchSize;
    const count = Math.min(batchSize, firstSeq + total - start);
    await emitOne(api, start, count, batchSize, make);
  });
}

/**
 * Emits `ratePerSecond` events for `seconds`, open loop (on schedule whatever the answers), in requests
 * of `batchSize`; returns when each seq was sent and when its 202 came back (performance.now()).
 */
export async function emitSteady(
  api: ApiClient,
  firstSeq: number,
  ratePerSecond: number,
  seconds: number,
  batchSize: number,
  make: MakeEvent = benchEvent,
): Promise<{ sentAt: Map<number, number>; acceptedAt: Map<number, number> }> {
  const sentAt = new Map<number, number>();
  const acceptedAt = new Map<number, number>();
  const requests = Math.round((ratePerSecond * seconds) / batchSize);
  const interval = (1000 * batchSize) / ratePerSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < requests; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const start = firstSeq + i * batchSize;
    const now = performance.now();
    for (let s = start; s < start + batchSize; s++) sentAt.set(s, now);
    inFlight.push(
      emitOne(api, start, batchSize, batchSize, make).then(() => {
        const at = performance.now();
        for (let s = start; s < start + batchSize; s++) acceptedAt.set(s, at);
      }),
    );
  }
  await Promise.all(inFlight);
  return { sentAt, acceptedAt };
}

async function emitOne(api: ApiClient, start: number, count: number, batchSize: number, make: MakeEvent = benchEvent): Promise<void> {
  if (batchSize === 1) {
    const out = await api.request("POST", "/v1/events", make(start));
    if (out.status !== 202) throw new Error(`emit answered ${out.status}: ${JSON.stringify(out.json)}`);
    return;
  }
  const events = Array.from({ length: count }, (_, k) => make(start + k));
  const out = await api.request("POST", "/v1/events/batch", { events });
  const refused = (out.json?.items ?? []).filter((item) => item.status !== 202);
  if (out.status !== 202 || refused.length > 0)
    throw new Error(`batch emit answered ${out.status}: ${JSON.stringify(refused[0] ?? out.json)}`);
}
