import { pushFrame } from "../../clients/typescript/src/push.ts";
import type { FeedItem } from "./api.ts";
import { ListenError } from "./errors.ts";

/*
 * The WebSocket push as `listen` reads it (docs/websocket.md): one connection, subscribed with the
 * key in its first frame (never in the URL), items taken one at a time and acked once answered. It
 * runs on Node's own WebSocket client, so the CLI needs no dependency for it.
 */

/** Close codes after which the client reconnects from its cursor; any other ends the run (the protocol's rule). */
const RECONNECT_CODES = [4000, 1001, 1006];
/** API Gateway closes a connection idle for 10 minutes; a ping within it keeps it. */
const PING_EVERY_MS = 4 * 60_000;
/** A connection that has not answered the subscribe by then is given up. */
const SUBSCRIBE_TIMEOUT_MS = 15_000;

/** One pushed item: the item itself, or (`item_ref`, over 128 KB) its id to read from the feed; the cursor resumes after it. */
export type Pushed = { cursor: string; item: FeedItem } | { cursor: string; ref: string };

/** The connection ended; `reconnect` says whether the protocol lets a client come back with its cursor. */
export class PushClosedError extends ListenError {
  override readonly name = "PushClosedError";
  readonly code: number;
  readonly reconnect: boolean;
  constructor(code: number, reason: string) {
    super(`the WebSocket closed with ${code}${reason ? ` (${reason})` : ""}`);
    this.code = code;
    this.reconnect = RECONNECT_CODES.includes(code);
  }
}

/** A subscribed connection to one endpoint's push. */
export interface PushConnection {
  /** The next item, waiting for it; throws PushClosedError when the connection ends. */
  next(signal: AbortSignal): Promise<Pushed>;
  ack(cursor: string): void;
  close(): void;
}

/** Opens the WebSocket, subscribes from `cursor` (none: the oldest item kept), and resolves once the server said `subscribed`. */
export async function subscribePush(url: string, apiKey: string, endpointId: string, cursor: string | undefined): Promise<PushConnection> {
  const socket = new WebSocket(url);
  const queue: Pushed[] = [];
  let closed: PushClosedError | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  socket.addEventListener("open", () => {
    socket.send(
      JSON.stringify({ action: "subscribe", endpointId, authorization: `Bearer ${apiKey}`, ...(cursor !== undefined && { cursor }) }),
    );
  });
  socket.addEventListener("message", (event) => {
    const frame = pushFrame(event.data);
    // Another server behind --ws (or a proxy's page): Node rethrows a listener's throw, so it is said, not thrown.
    if (frame === undefined) {
      closed ??= new PushClosedError(1002, "a frame that is not the push protocol's");
      // A client may only send 1000 or 3000-4999: the 1002 (protocol error) is this side's record.
      socket.close();
      notify();
      subscribed();
      return;
    }
    if (frame.type === "subscribed") subscribed();
    else if (frame.type === "item" && frame.cursor && frame.item) queue.push({ cursor: frame.cursor, item: frame.item });
    else if (frame.type === "item_ref" && frame.cursor && frame.id) queue.push({ cursor: frame.cursor, ref: frame.id });
    // API Gateway closes with 1000 whatever the reason: the code is the close frame's.
    else if (frame.type === "close" && typeof frame.code === "number") closed ??= new PushClosedError(frame.code, frame.reason ?? "");
    notify();
  });
  socket.addEventListener("close", (event) => {
    closed ??= new PushClosedError(event.code === 1000 ? 4000 : event.code, event.reason);
    notify();
    subscribed();
  });
  const timer = setTimeout(() => {
    closed ??= new PushClosedError(1006, "no answer to the subscribe");
    socket.close();
    subscribed();
  }, SUBSCRIBE_TIMEOUT_MS);
  await ready;
  clearTimeout(timer);
  if (closed && queue.length === 0) throw closed;
  const ping = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send('{"action":"ping"}'), PING_EVERY_MS);
  ping.unref();
  const close = () => {
    clearInterval(ping);
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000);
  };
  return {
    async next(signal) {
      for (;;) {
        const head = queue.shift();
        if (head) return head;
        if (closed) {
          close();
          throw closed;
        }
        if (signal.aborted) throw signal.reason;
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      }
    },
    ack(at) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: "ack", cursor: at }));
    },
    close,
  };
}
