import type { Clock } from "../kernel/clock.ts";
import type { AttemptRecord, Endpoint } from "../kernel/model.ts";
import type { AttemptLog } from "../kernel/ports.ts";
import { isOrdered, orderingOf } from "./ordering-rules.ts";

/*
 * Where an ordered endpoint's line stands, read from the delivery log alone (no write per delivery,
 * no call to SQS): a line attempts one delivery at a time, in order, so the endpoint's newest attempt
 * record is its line's latest step. When that record is a failure with a retry to come, its delivery
 * is the head and holds back everything behind it. How many wait behind it is not told: SQS counts
 * a FIFO queue's messages, not one message group's.
 */

/** How long a line is blocked before it counts as stuck: the StuckOrderedEndpoint alarm's threshold. */
export const ORDERED_STUCK_AFTER_SECONDS = 3_600;

/** The blocked head of a line: which delivery, since when, and how its retries stand. */
export interface LineHead {
  eventId: string;
  /** The manual chain (replay, recovery) the head is on; absent on its first delivery. */
  chain?: string;
  /** Its chain's first failed attempt: since then the line waits on it. */
  blockedSince: string;
  attempts: number;
  lastAttemptAt: string;
  nextAttemptAt?: string;
  lastStatusCode?: number;
  lastError?: string;
}

/** An endpoint's line as GET /v1/endpoints/{id}/line answers it. */
export interface LineView {
  endpointId: string;
  ordering: "none" | "fifo";
  /** `unordered`: no line; `disabled`: the line drains, each delivery recorded skipped; `blocked`: the head waits for its retry; `clear`: nothing known holds it. */
  state: "unordered" | "disabled" | "blocked" | "clear";
  /** Blocked for ORDERED_STUCK_AFTER_SECONDS or more. */
  stuck: boolean;
  head: LineHead | null;
}

/** GET /v1/endpoints/{id}/line: reads the endpoint's newest attempt and, when it is a failure, that delivery's chain. */
export async function lineState(
  deps: { attempts: Pick<AttemptLog, "byEndpoint" | "ofDelivery">; clock: Clock },
  endpoint: Endpoint,
): Promise<LineView> {
  const base = { endpointId: endpoint.id, ordering: orderingOf(endpoint), stuck: false, head: null };
  if (!isOrdered(endpoint)) return { ...base, state: "unordered" };
  if (!endpoint.enabled) return { ...base, state: "disabled" };
  const [latest] = (await deps.attempts.byEndpoint(endpoint.id, 1)).items;
  if (!latest || latest.status !== "failed") return { ...base, state: "clear" };
  const chain = (await deps.attempts.ofDelivery(latest.eventId, endpoint.id)).filter((a) => a.chain === latest.chain);
  const head = headOf(latest, chain);
  const stuck = deps.clock.now().getTime() - Date.parse(head.blockedSince) >= ORDERED_STUCK_AFTER_SECONDS * 1000;
  return { ...base, state: "blocked", stuck, head };
}

function headOf(latest: AttemptRecord, chain: readonly AttemptRecord[]): LineHead {
  const since = chain.map((a) => a.at).reduce((a, b) => (b < a ? b : a), latest.at);
  return {
    eventId: latest.eventId,
    ...(latest.chain !== undefined && { chain: latest.chain }),
    blockedSince: since,
    attempts: Math.max(latest.attempt, chain.length),
    lastAttemptAt: latest.at,
    ...(latest.nextAttemptAt !== undefined && { nextAttemptAt: latest.nextAttemptAt }),
    ...(latest.statusCode !== undefined && { lastStatusCode: latest.statusCode }),
    ...(latest.error !== undefined && { lastError: latest.error }),
  };
}
