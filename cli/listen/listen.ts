import { setTimeout as sleep } from "node:timers/promises";
import type { FeedItem, ListenApi } from "./api.ts";
import { ApiAnswerError, ApiUnreachableError, ListenError } from "./errors.ts";
import { type LocalAnswer, retryDelayMs } from "./forward.ts";
import type { ListenOptions } from "./options.ts";
import { type PageSource, pollSource, pushSource } from "./sources.ts";
import { type ListenState, loadState, lockState, removeState, saveState, stateFile } from "./state.ts";

/** What the listener touches, passed in so the loop can run on fakes. */
export interface ListenDeps {
  api: ListenApi;
  forward: (url: URL, item: FeedItem, signal: AbortSignal) => Promise<LocalAnswer>;
  /** One line of progress (stdout). */
  print: (line: string) => void;
  now: () => Date;
  random: () => number;
}

const FEED_WAIT_SECONDS = 20;
// The feed signs items when they are read and receivers refuse a timestamp more than 5 minutes off:
// an item retried for longer than this is read again, freshly signed, rather than sent stale.
const STALE_SIGNATURE_SECONDS = 240;
const FEED_LIMIT = 50;

/**
 * Forwards an endpoint's feed to the local URL until `signal` aborts, then deletes the endpoint if
 * it was temporary. The cursor is saved after every item the local URL answered.
 */
export async function listen(options: ListenOptions, deps: ListenDeps, signal: AbortSignal): Promise<void> {
  const file =
    options.endpointId !== undefined
      ? stateFile(options.stateDir, options.apiUrl, { endpointId: options.endpointId })
      : stateFile(options.stateDir, options.apiUrl, { events: options.events, forwardTo: options.forwardTo.href });
  const lock = await lockState(file);
  if ("heldBy" in lock) throw new ListenError(`another listener (pid ${lock.heldBy}) is running with the same flags; stop it first`);
  try {
    const { state, secret, resumed } = await openEndpoint(options, deps.api, file);
    printBanner(options, deps.print, { file, state, secret, resumed });
    try {
      await forwardFeed(options, deps, file, state, signal);
    } finally {
      if (state.temporary && signal.aborted) await deleteTemporary(deps, file, state.endpointId);
    }
  } finally {
    await lock.release();
  }
}

async function openEndpoint(options: ListenOptions, api: ListenApi, file: string) {
  if (options.endpointId !== undefined) {
    const endpointId = options.endpointId;
    if (!(await api.endpointExists(endpointId))) throw new ListenError(`endpoint ${endpointId} does not exist for this key`);
    const saved = await loadState(file);
    const state: ListenState = saved ?? { apiUrl: options.apiUrl, endpointId, temporary: false, done: [] };
    return { state, secret: await api.getSecret(endpointId), resumed: saved !== undefined };
  }
  const saved = await loadState(file);
  // A temporary endpoint is still there when the last run was killed: resume it, items and cursor.
  if (saved?.temporary && (await api.endpointExists(saved.endpointId))) {
    return { state: saved, secret: await api.getSecret(saved.endpointId), resumed: true };
  }
  const created = await api.createPollingEndpoint(options.events, options.secret);
  const state: ListenState = { apiUrl: options.apiUrl, endpointId: created.id, temporary: true, done: [] };
  await saveState(file, state);
  return { state, secret: created.secret, resumed: false };
}

async function forwardFeed(options: ListenOptions, deps: ListenDeps, file: string, state: ListenState, signal: AbortSignal) {
  const failures = { count: 0 };
  const poll = (at: ListenState, stop: AbortSignal) => readPage(deps, file, at, stop, failures);
  const source: PageSource =
    options.transport === "poll"
      ? pollSource({ poll })
      : pushSource(
          { api: deps.api, print: deps.print, random: deps.random, poll },
          {
            transport: options.transport,
            apiKey: options.apiKey,
            endpointId: state.endpointId,
            ...(options.wsUrl !== undefined && { wsUrl: options.wsUrl }),
          },
        );
  try {
    await forwardPages(options, deps, file, state, signal, source);
  } finally {
    source.close();
  }
}

async function forwardPages(
  options: ListenOptions,
  deps: ListenDeps,
  file: string,
  state: ListenState,
  signal: AbortSignal,
  source: PageSource,
) {
  while (!signal.aborted) {
    const page = await source.read(state, signal);
    if (page === undefined) continue;
    let outcome: Delivery = "answered";
    for (const item of page.items) {
      if (state.done.includes(item.id)) continue;
      outcome = await deliver(options.forwardTo, item, deps, signal);
      if (outcome !== "answered") break;
      state.done.push(item.id);
      await saveState(file, state);
    }
    if (outcome === "stopped") return;
    // The rest of the page is read again from the same cursor; the items already answered are skipped.
    if (outcome === "stale") {
      source.reset();
      continue;
    }
    if (page.cursor !== state.cursor || state.done.length > 0) {
      Object.assign(state, { cursor: page.cursor, done: [] });
      await saveState(file, state);
    }
    source.answered(page.cursor);
  }
}

/** One long poll of the feed; undefined when there is nothing to forward this round (stopped, waited out a failure, cursor reset). */
async function readPage(deps: ListenDeps, file: string, state: ListenState, signal: AbortSignal, failures: { count: number }) {
  try {
    const query = { wait: FEED_WAIT_SECONDS, limit: FEED_LIMIT, ...(state.cursor !== undefined && { cursor: state.cursor }) };
    const page = await deps.api.readFeed(state.endpointId, query, signal);
    failures.count = 0;
    return page;
  } catch (error) {
    if (signal.aborted) return undefined;
    if (error instanceof ApiAnswerError && error.status === 410) {
      // The items behind the cursor are past retention and gone; the oldest kept is the closest we can get.
      deps.print(`${clock(deps)}  the cursor expired (410 ${error.code}): continuing from the oldest item kept`);
      Object.assign(state, { cursor: undefined, done: [] });
      await saveState(file, state);
      return undefined;
    }
    // Our side or the network failed, or the API asked to slow down: worth waiting for. Anything else is final.
    const transient =
      error instanceof ApiUnreachableError || (error instanceof ApiAnswerError && (error.status >= 500 || error.status === 429));
    if (!transient) throw error;
    // 429 too_many_polls: another poll of this endpoint is open (the one a restart left runs its wait out).
    const asked = error instanceof ApiAnswerError ? error.retryAfterMs : undefined;
    const delay = retryDelayMs(++failures.count, deps.random, asked);
    deps.print(`${clock(deps)}  feed: ${error.message}; again in ${seconds(delay)}`);
    await pause(delay, signal);
    return undefined;
  }
}

/** How sending one item ended: answered by the local URL, stopped by a signal, or its signature grew too old to send. */
type Delivery = "answered" | "stopped" | "stale";

/** Sends one item until the local URL answers. */
async function deliver(url: URL, item: FeedItem, deps: ListenDeps, signal: AbortSignal): Promise<Delivery> {
  const signedAt = Number(item.headers["webhook-timestamp"]);
  for (let attempt = 1; ; attempt++) {
    if (deps.now().getTime() / 1000 - signedAt > STALE_SIGNATURE_SECONDS) return "stale";
    let answer: LocalAnswer;
    try {
      answer = await deps.forward(url, item, signal);
    } catch (error) {
      if (signal.aborted) return "stopped";
      throw error;
    }
    const head = `${clock(deps)}  ${item.eventType}  ${item.headers["webhook-id"]}  ->`;
    if (answer.kind === "answered") {
      deps.print(`${head} ${answer.status}  ${answer.ms}ms`);
      return "answered";
    }
    const delay = retryDelayMs(attempt, deps.random, answer.retryAfterMs);
    deps.print(`${head} ${answer.reason}  ${answer.ms}ms  (attempt ${attempt}, again in ${seconds(delay)})`);
    if (!(await pause(delay, signal))) return "stopped";
  }
}

async function deleteTemporary(deps: ListenDeps, file: string, endpointId: string): Promise<void> {
  try {
    await deps.api.deleteEndpoint(endpointId);
    await removeState(file);
    deps.print(`deleted the temporary endpoint ${endpointId}`);
  } catch (error) {
    if (error instanceof ApiAnswerError && error.status === 404) {
      await removeState(file);
      return;
    }
    // Kept in the state file: the next run with the same flags resumes it.
    deps.print(`could not delete the temporary endpoint ${endpointId}: ${(error as Error).message}`);
  }
}

function printBanner(
  options: ListenOptions,
  print: (line: string) => void,
  opened: { file: string; state: ListenState; secret: string; resumed: boolean },
): void {
  const { state } = opened;
  const kind = state.temporary ? "temporary, deleted when listen stops" : "kept when listen stops";
  const lines = [
    "hookrelay listen",
    `  Endpoint    ${state.endpointId} (${kind}${opened.resumed ? "; resumed from the last run" : ""})`,
    `  Secret      ${opened.secret}`,
    ...(options.endpointId === undefined ? [`  Events      ${options.events.length > 0 ? options.events.join(", ") : "every type"}`] : []),
    `  Forward to  ${options.forwardTo.href}`,
    `  State       ${opened.file}`,
    `  Transport   ${options.transport === "auto" ? "auto (WebSocket push, long polling while it cannot connect)" : options.transport}`,
    "Waiting for webhooks; one line per delivery (time, type, webhook-id, local status, duration). Ctrl-C stops.",
  ];
  for (const line of lines) print(line);
}

/** Waits, or returns false as soon as the listener is stopped. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

const clock = (deps: Pick<ListenDeps, "now">) => deps.now().toISOString().slice(11, 23);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
