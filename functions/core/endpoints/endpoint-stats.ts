import type { Clock } from "../kernel/clock.ts";
import type { AttemptSummary } from "../kernel/model.ts";
import type { AttemptLog } from "../kernel/ports.ts";

/** One hour of an endpoint's sent requests. */
export interface HourStats {
  /** Start of the hour, ISO. */
  hour: string;
  sent: number;
  succeeded: number;
  /** Median and 95th percentile of the request duration, ms; null when nothing was sent. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/** Most attempt records one chart reads: about 300 read units at half a kilobyte each. */
export const MAX_STATS_ATTEMPTS = 5_000;
const HOURS = 24;
const PAGE = 1_000;

/**
 * GET /v1/endpoints/{id}/stats: success rate and latency per hour over the last 24 hours, computed
 * from the delivery log the worker writes anyway (the endpoint's attempt list), so a delivery
 * costs no extra write. A busy endpoint's chart stops at the newest MAX_STATS_ATTEMPTS attempts and
 * says from when it is complete.
 */
export async function endpointStats(deps: { attempts: AttemptLog; clock: Clock }, endpointId: string) {
  const now = deps.clock.now();
  const firstHour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - (HOURS - 1) * 3_600_000);
  const records: AttemptSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.attempts.byEndpointBetween(endpointId, firstHour.toISOString(), now.toISOString(), PAGE, cursor);
    records.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && records.length < MAX_STATS_ATTEMPTS);
  const truncated = cursor !== undefined;
  const hours = Array.from({ length: HOURS }, (_, i) => new Date(firstHour.getTime() + i * 3_600_000).toISOString());
  const sent = records.filter((a) => a.trigger !== "dead-letter" && a.status !== "skipped");
  const buckets = hours.map((hour, i) => {
    const end = hours[i + 1] ?? "~";
    const inHour = sent.filter((a) => a.at >= hour && a.at < end);
    const durations = inHour.map((a) => a.durationMs).sort((a, b) => a - b);
    return {
      hour,
      sent: inHour.length,
      succeeded: inHour.filter((a) => a.status === "succeeded").length,
      p50Ms: percentile(durations, 0.5),
      p95Ms: percentile(durations, 0.95),
    } satisfies HourStats;
  });
  // Newest first: when the read stopped early, hours before the oldest record read are incomplete.
  const completeSince = truncated ? (records.at(-1)?.at ?? now.toISOString()) : firstHour.toISOString();
  return { endpointId, from: firstHour.toISOString(), until: now.toISOString(), completeSince, truncated, hours: buckets };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}
