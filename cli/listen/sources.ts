import { setTimeout as sleep } from "node:timers/promises";
import type { FeedPage, ListenApi } from "./api.ts";
import { ApiAnswerError, ApiUnreachableError, ListenError } from "./errors.ts";
import { retryDelayMs } from "./forward.ts";
import type { Transport } from "./options.ts";
import type { ListenState } from "./state.ts";
import { PushClosedError, type PushConnection, subscribePush } from "./ws-feed.ts";

/*
 * Where `listen` takes its pages from: long polls of the feed, or the WebSocket push (one item a
 * page, acked once answered). Either way the loop in listen.ts forwards a page and moves the cursor
 * only past what the local URL answered, so a switch between them loses nothing.
 */

/** One source of pages. */
export interface PageSource {
  /** The next page from the state's cursor; undefined when this round has none (stopped, waited out a failure). */
  read(state: ListenState, signal: AbortSignal): Promise<FeedPage | undefined>;
  /** Every item of the page up to `cursor` was answered, and the cursor saved. */
  answered(cursor: string): void;
  /** The next read starts again from the state's cursor (an item's signature grew stale). */
  reset(): void;
  close(): void;
}

/** What the sources need. */
export interface SourceDeps {
  api: ListenApi;
  print: (line: string) => void;
  random: () => number;
  /** One long poll, with listen's own handling of 410, 429 and unreachable APIs. */
  poll: (state: ListenState, signal: AbortSignal) => Promise<FeedPage | undefined>;
}

/** Long polls only. */
export function pollSource(deps: Pick<SourceDeps, "poll">): PageSource {
  return { read: deps.poll, answered: () => undefined, reset: () => undefined, close: () => undefined };
}

/** Long polls `auto` makes while the WebSocket cannot connect, before it tries again. */
const POLLS_BEFORE_RETRY = 2;

/**
 * The WebSocket push; with `auto`, long polls while it cannot connect (no URL, refused, a
 * restart in progress) and tries again after POLLS_BEFORE_RETRY of them. `ws` never polls: it
 * waits and reconnects. Either reconnects from the saved cursor after 4000, 1001 and 1006 only.
 */
export function pushSource(
  deps: SourceDeps,
  options: { transport: Exclude<Transport, "poll">; wsUrl?: string; apiKey: string; endpointId: string },
): PageSource {
  let connection: PushConnection | undefined;
  let polls = 0;
  let failures = 0;
  let mode: "push" | "poll" | undefined;
  const say = (now: "push" | "poll", line: string) => {
    if (mode !== now) deps.print(line);
    mode = now;
  };
  const fallBack = async (signal: AbortSignal, why: string) => {
    if (options.transport === "ws") {
      const delay = retryDelayMs(++failures, deps.random);
      deps.print(`WebSocket: ${why}; again in ${(delay / 1000).toFixed(1)}s`);
      await pause(delay, signal);
      return undefined;
    }
    polls = POLLS_BEFORE_RETRY;
    say("poll", `WebSocket: ${why}; long polling meanwhile`);
    return undefined;
  };
  const connect = async (state: ListenState) => {
    const url = options.wsUrl ?? (await deps.api.websocketUrl());
    if (url === undefined) {
      if (options.transport === "ws")
        throw new ListenError("the API tells no WebSocket URL (GET /v1/health); pass --ws, or --transport poll");
      return undefined;
    }
    const opened = await subscribePush(url, options.apiKey, options.endpointId, state.cursor);
    failures = 0;
    say("push", `WebSocket: pushed from ${url}`);
    return opened;
  };
  return {
    async read(state, signal) {
      if (polls > 0) {
        polls--;
        return deps.poll(state, signal);
      }
      try {
        connection ??= await connect(state);
        if (connection === undefined) return fallBack(signal, "the API tells no WebSocket URL");
        const pushed = await connection.next(signal);
        if ("item" in pushed) return { items: [pushed.item], cursor: pushed.cursor };
        // Over 128 KB: read from the feed, the cursor before it being the saved one.
        const page = await deps.api.readFeed(
          options.endpointId,
          { wait: 0, limit: 1, ...(state.cursor !== undefined && { cursor: state.cursor }) },
          signal,
        );
        return { items: page.items.slice(0, 1), cursor: pushed.cursor };
      } catch (error) {
        connection?.close();
        connection = undefined;
        if (signal.aborted) return undefined;
        if (error instanceof PushClosedError) {
          if (error.code === 4410) {
            deps.print("WebSocket: the cursor expired (4410): continuing from the oldest item kept");
            Object.assign(state, { cursor: undefined, done: [] });
            return undefined;
          }
          if (!error.reconnect) throw new ListenError(`the WebSocket push refused: ${explainClose(error)}`);
          return fallBack(signal, error.message);
        }
        if (error instanceof ApiUnreachableError || (error instanceof ApiAnswerError && error.status >= 500) || isSocketFailure(error)) {
          return fallBack(signal, (error as Error).message);
        }
        throw error;
      }
    },
    answered(cursor) {
      connection?.ack(cursor);
    },
    reset() {
      connection?.close();
      connection = undefined;
    },
    close() {
      connection?.close();
      connection = undefined;
    },
  };
}

function explainClose(error: PushClosedError): string {
  const known: Record<number, string> = {
    1002: "the server at the WebSocket URL does not speak the push protocol (1002); check --ws or HOOKRELAY_WS_URL, or use --transport poll",
    4401: "the key was refused (4401); check --key or HOOKRELAY_API_KEY",
    4403: "the endpoint is disabled (4403)",
    4404: "no such endpoint for this key (4404)",
    4409: "that endpoint delivers by POST, not a feed (4409)",
    4429: "too many WebSocket connections for this endpoint or tenant (4429); stop another listener or use --transport poll",
  };
  return known[error.code] ?? error.message;
}

function isSocketFailure(error: unknown): boolean {
  return error instanceof Error && (error.name === "SyntaxError" || error.name === "TypeError");
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // stopped
  }
}
