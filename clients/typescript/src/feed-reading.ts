/** What reading a polling endpoint's feed needs beside the client: its query, the moved feed URL, and a pause. */
import { HookrelayError } from "./errors.ts";
import type { FeedItem, FeedPage } from "./types.ts";

/** The query of one feed read. */
export type FeedQuery = { cursor?: string; limit?: number; wait?: number };

/** The feed URL a `400 use_feed_url` names, if any. */
export function feedUrlOf(error: HookrelayError): string | undefined {
  const url = error.details?.find((d) => d.path === "wait")?.feedUrl;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
}

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Options of a followed feed: where to start, the page size and wait, when to stop, where each cursor goes. */
export type FollowFeedOptions = {
  cursor?: string;
  limit?: number;
  wait?: number;
  signal?: AbortSignal;
  onCursor?: (cursor: string) => void;
};

/**
 * Every item of a feed, read by `read` page by page from `options.cursor` until `options.signal`
 * aborts; a `429 too_many_polls` is waited out for its Retry-After, then the same cursor is read again.
 */
export async function* followFeed(
  read: (query: FeedQuery, signal?: AbortSignal) => Promise<FeedPage>,
  options: FollowFeedOptions,
): AsyncGenerator<FeedItem> {
  let cursor = options.cursor;
  while (!options.signal?.aborted) {
    let page: FeedPage;
    try {
      page = await read({ cursor, limit: options.limit, wait: options.wait ?? 20 }, options.signal);
    } catch (error) {
      if (!(error instanceof HookrelayError && error.code === "too_many_polls")) throw error;
      await pause((error.retryAfterSeconds ?? 1) * 1000, options.signal);
      continue;
    }
    yield* page.items;
    cursor = page.cursor;
    options.onCursor?.(cursor);
  }
}
