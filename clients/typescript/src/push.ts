import type { components } from "./schema.ts";

type FeedItem = components["schemas"]["FeedItem"];

/** Close codes after which the stream reconnects from its last cursor (docs/websocket.md); any other ends it. */
const RECONNECT_CODES = [4000, 1001, 1006];

/**
 * The WebSocket push ended for good: `code` is the protocol's close code (4401, 4403, 4404, 4409,
 * 4410, 4413, 4429, 1008), or 1002 when the server at the URL sent a frame that is not the protocol's.
 */
export class PushClosedError extends Error {
  override readonly name = "PushClosedError";
  readonly code: number;
  constructor(code: number, reason: string) {
    super(`The WebSocket push closed with ${code}${reason ? `: ${reason}` : ""}`);
    this.code = code;
  }
}

/** What following the push needs from the client. */
export interface PushFollow {
  url: string;
  apiKey: string;
  endpointId: string;
  cursor?: string;
  signal?: AbortSignal;
  onCursor?: (cursor: string) => void;
  /** One item of the feed after `cursor`: how an `item_ref` (over 128 KB) is read. */
  readOne: (cursor: string | undefined) => Promise<FeedItem | undefined>;
  pause: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A frame the push server sends (docs/websocket.md). */
export type PushFrame = { type: string; cursor?: string; item?: FeedItem; id?: string; code?: number; reason?: string };

/** A frame of the push protocol, or undefined for anything else: not JSON, or no `type` (`hookrelay listen` reads frames with it too). */
export function pushFrame(data: unknown): PushFrame | undefined {
  try {
    const frame = JSON.parse(String(data)) as unknown;
    return typeof frame === "object" && frame !== null && typeof (frame as { type?: unknown }).type === "string"
      ? (frame as PushFrame)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows an endpoint's push: subscribes (the key in the first frame), yields each item, acks its
 * cursor once the consumer asks for the next, and reconnects from the last cursor on 4000, 1001
 * and 1006 (backing off 0.5 s doubling to 10 s while it cannot connect).
 */
export async function* followPush(follow: PushFollow): AsyncGenerator<FeedItem> {
  let cursor = follow.cursor;
  for (let failures = 0; !follow.signal?.aborted; ) {
    const socket = new WebSocket(follow.url);
    const frames: PushFrame[] = [];
    let closed: { code: number; reason: string } | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    const stop = () => socket.close(1000);
    follow.signal?.addEventListener("abort", stop, { once: true });
    socket.addEventListener("open", () =>
      socket.send(
        JSON.stringify({
          action: "subscribe",
          endpointId: follow.endpointId,
          authorization: `Bearer ${follow.apiKey}`,
          ...(cursor && { cursor }),
        }),
      ),
    );
    socket.addEventListener("message", (event) => {
      const frame = pushFrame(event.data);
      // Another server at the URL: a throw here would be rethrown by the WebSocket as an uncaught
      // exception, so it ends the stream as the protocol error (1002) it is; a client cannot send 1002 itself.
      if (frame === undefined) {
        closed ??= { code: 1002, reason: "a frame that is not the push protocol's" };
        socket.close(1000);
        notify();
        return;
      }
      // API Gateway closes with 1000 whatever the reason: the code is the close frame's.
      if (frame.type === "close") closed ??= { code: frame.code ?? 4000, reason: frame.reason ?? "" };
      else frames.push(frame);
      notify();
    });
    socket.addEventListener("close", (event) => {
      closed ??= { code: event.code === 1000 ? 4000 : event.code, reason: event.reason };
      notify();
    });
    try {
      for (;;) {
        const frame = frames.shift();
        if (frame === undefined) {
          if (closed || follow.signal?.aborted) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        if (frame.type === "subscribed") failures = 0;
        if ((frame.type !== "item" && frame.type !== "item_ref") || frame.cursor === undefined) continue;
        const item = frame.type === "item" ? frame.item : await follow.readOne(cursor);
        if (item) yield item;
        cursor = frame.cursor;
        follow.onCursor?.(cursor);
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: "ack", cursor }));
      }
    } finally {
      follow.signal?.removeEventListener("abort", stop);
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    }
    if (follow.signal?.aborted) return;
    if (closed && !RECONNECT_CODES.includes(closed.code)) throw new PushClosedError(closed.code, closed.reason);
    await follow.pause(Math.min(500 * 2 ** failures++, 10_000), follow.signal);
  }
}
