import type { AttemptRecord } from "../kernel/model.ts";

/*
 * One delivery (an event to an endpoint) can have several attempt chains: the scheduled one and a
 * manual one per replay or recovery. The worker reads all of them at once (one query) and decides
 * from them.
 */

/** The newest record of one chain (the scheduled chain when `chain` is undefined). */
export function latestOfChain(history: readonly AttemptRecord[], chain: string | undefined): AttemptRecord | undefined {
  let latest: AttemptRecord | undefined;
  for (const record of history) {
    if (record.chain !== chain) continue;
    if (!latest || record.attempt > latest.attempt) latest = record;
  }
  return latest;
}

/**
 * True when another chain delivered successfully after this chain's first attempt: a recovery or a
 * replay has done this chain's work, and its remaining retries would only send a duplicate. A
 * chain started after the success (a replay of a delivered event) is not superseded by it.
 */
export function supersededChain(history: readonly AttemptRecord[], chain: string | undefined): boolean {
  let began: string | undefined;
  for (const record of history) {
    if (record.chain === chain && (began === undefined || record.at < began)) began = record.at;
  }
  if (began === undefined) return false;
  const start = began;
  return history.some((r) => r.chain !== chain && r.status === "succeeded" && r.at >= start);
}

/**
 * The key of one delivery chain (event, endpoint, chain): the fact an operational event about the
 * delivery names, so that the worker and the dead-letter consumer announce it under one event id.
 */
export function deliveryKey(delivery: { eventId: string; endpointId: string; chain?: string }): string {
  return `${delivery.eventId}:${delivery.endpointId}:${delivery.chain ?? ""}`;
}
