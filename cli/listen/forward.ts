import type { FeedItem } from "../../clients/typescript/src/index.ts";
import { describeFailure } from "./errors.ts";

/** How one POST to the local URL ended. */
export type LocalAnswer =
  /** The receiver answered: the webhook is done, whatever the status (it is printed). */
  | { kind: "answered"; status: number; ms: number }
  /** No answer, or an answer that says "not there yet / slow down": send the same webhook again later. */
  | { kind: "retry"; reason: string; ms: number; retryAfterMs?: number };

/** The statuses a proxy or dev server gives while the app behind it is down or busy: retried, not passed. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const LOCAL_TIMEOUT_MS = 30_000;

/** POSTs the item's exact body with its Standard Webhooks headers unchanged and classifies the outcome. */
export async function forwardOnce(
  url: URL,
  item: Pick<FeedItem, "body" | "headers">,
  signal: AbortSignal,
  now: () => number = performance.now.bind(performance),
): Promise<LocalAnswer> {
  const started = now();
  const elapsed = () => Math.round(now() - started);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { ...item.headers, "content-type": "application/json", "user-agent": "hookrelay-listen/0.1" },
      body: item.body,
      // A redirect is an answer (as for real deliveries, 3xx is not followed).
      redirect: "manual",
      signal: AbortSignal.any([signal, AbortSignal.timeout(LOCAL_TIMEOUT_MS)]),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: "retry", reason: `no answer (${describeFailure(error)})`, ms: elapsed() };
  }
  // The body is not shown, so it is not read: cancelling frees the connection for the next POST.
  await response.body?.cancel().catch(() => {});
  if (RETRY_STATUSES.has(response.status)) {
    const retryAfterMs = retryAfterToMs(response.headers.get("retry-after"));
    return { kind: "retry", reason: `HTTP ${response.status}`, ms: elapsed(), ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  return { kind: "answered", status: response.status, ms: elapsed() };
}

/** Backoff of the local retries: 0.5 s doubling to 10 s, each with up to 20 % jitter from `random`. */
export function retryDelayMs(attempt: number, random: () => number, retryAfterMs?: number): number {
  const base = Math.min(500 * 2 ** Math.max(0, attempt - 1), 10_000);
  const jittered = Math.round(base * (1 + 0.2 * random()));
  // Retry-After is honoured up to 30 s: longer would look like a hang in a terminal.
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, 30_000));
}

/** A Retry-After header in seconds as ms; undefined when absent or not a number of seconds. */
export function retryAfterToMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
