import { ApiError, invalidField } from "../kernel/errors.ts";
import type { Endpoint } from "../kernel/model.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { type FeedReadDeps, MAX_WAIT_SECONDS, type Sleep } from "./deps.ts";
import { type FeedItem, feedItems } from "./items.ts";
import { type PollLeaseDeps, withPollLeases } from "./poll-leases.ts";
import { type FeedPage, readFeed } from "./read.ts";

export { MAX_WAIT_SECONDS };

/** The first pause between two looks at an empty feed; it grows by a quarter each time, up to MAX_INTERVAL_MS. */
export const FIRST_INTERVAL_MS = 250;
/** Caps the pause, so an append is answered within about half a second plus one read. */
export const MAX_INTERVAL_MS = 500;
/** The most items one answer holds, and the default. */
export const MAX_FEED_LIMIT = 100;
export const DEFAULT_FEED_LIMIT = 50;

/** One feed request: where to start, how many items at most, and how long to hold an empty answer. */
export interface FeedRequest {
  cursor?: string;
  limit: number;
  waitMs: number;
}

/** An answer: the items, and the cursor to pass back (the same one when nothing was read). */
export interface FeedAnswer {
  items: FeedItem[];
  cursor: string;
}

/**
 * Reads the polling endpoint's feed; with `waitMs` > 0 an empty answer is held, looking again every
 * 250 ms and backing off to 500 ms, until an item can be handed out or the wait is over. Only a poll
 * that holds takes leases (see poll-leases.ts): one that finds items at once is a plain read, and a
 * poll past MAX_POLLS_PER_ENDPOINT or MAX_POLLS_PER_TENANT is refused with 429 `too_many_polls`.
 */
export async function pollFeed(
  deps: FeedReadDeps & PollLeaseDeps & { sleep: Sleep },
  endpoint: Endpoint,
  request: FeedRequest,
): Promise<FeedAnswer> {
  if (endpoint.kind !== "polling") {
    throw new ApiError("not_a_polling_endpoint", `Endpoint ${endpoint.id} delivers by POST; only a polling endpoint has a feed`);
  }
  const head = await deps.feed.head(endpoint.id);
  const from = request.cursor === undefined ? undefined : decodeCursor(head.cursorKey, endpoint.id, request.cursor);
  const deadline = deps.clock.now().getTime() + request.waitMs;
  let page = await readFeed(deps, endpoint.id, from, request.limit, head);
  if (page.entries.length === 0 && request.waitMs > 0) {
    const first = page;
    page = await withPollLeases(deps, endpoint, deadline, () => holdUntil(deps, endpoint.id, first, request.limit, deadline));
  }
  return {
    items: feedItems(page.entries, endpoint, deps.clock.now()),
    cursor: encodeCursor(head.cursorKey, endpoint.id, page.position),
  };
}

/** Looks at the feed again and again from an empty page until it has entries or `deadline` passed. */
async function holdUntil(deps: FeedReadDeps & { sleep: Sleep }, endpointId: string, empty: FeedPage, limit: number, deadline: number) {
  let page = empty;
  let interval = FIRST_INTERVAL_MS;
  for (let left = deadline - deps.clock.now().getTime(); page.entries.length === 0 && left > 0; ) {
    await deps.sleep(Math.min(interval, left));
    interval = Math.min(Math.round(interval * 1.25), MAX_INTERVAL_MS);
    page = await readFeed(deps, endpointId, page.position, limit);
    left = deadline - deps.clock.now().getTime();
  }
  return page;
}

/** `limit` as the feed route reads it: a whole number from 1 to 100, default 50. */
export function parseFeedLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_FEED_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_FEED_LIMIT) {
    throw invalidField("limit", `must be a whole number from 1 to ${MAX_FEED_LIMIT}`);
  }
  return Number(raw);
}

/** `wait` as the feed route reads it: whole seconds from 0 to 20, default 0. */
export function parseFeedWait(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > MAX_WAIT_SECONDS) {
    throw invalidField("wait", `must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`);
  }
  return Number(raw);
}
