/*
 * The WebSocket push protocol's frames (JSON text, docs/websocket.md): what a client may send, what
 * the server sends, and the close codes. Pure: the session (session.ts) decides, this module only
 * reads and writes frames, each bounded.
 */

/** Close codes, sent in a `close` frame before the connection closes (API Gateway always closes with 1000, so the frame carries the code). */
export const CLOSE = {
  /** Server closing (its 2-hour limit, a redeploy, a push that failed): reconnect with the last cursor. */
  serverClosing: 4000,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  notPolling: 4409,
  cursorExpired: 4410,
  frameTooLarge: 4413,
  overCap: 4429,
  /** A frame that is not one of the protocol's (RFC 6455's policy violation). */
  badFrame: 1008,
} as const;

/** A close code of the protocol. */
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** The close codes after which a client reconnects (with its last cursor); on any other it stops. */
export const RECONNECT_CODES: readonly number[] = [CLOSE.serverClosing, 1001, 1006];

/**
 * The largest frame a client may send: a subscribe with a portal token (up to about 8 KB) fits with
 * room; API Gateway splits frames at 32 KB, and a larger one is nobody's.
 */
export const MAX_INBOUND_BYTES = 16 * 1024;
/** The largest frame the server sends: API Gateway's 128 KB message limit. An item whose frame would pass it goes as `item_ref`. */
export const MAX_OUTBOUND_BYTES = 128 * 1024;
/** Ids and cursors are short; these bound each string field of an inbound frame. */
const MAX_ID_LENGTH = 64;
const MAX_CURSOR_LENGTH = 512;
const MAX_AUTHORIZATION_LENGTH = 9 * 1024;

/** A frame the client sent, parsed. */
export type ClientFrame =
  | { action: "subscribe"; endpointId: string; cursor?: string; authorization: string }
  | { action: "ack"; cursor: string }
  | { action: "ping" };

/** Why a frame was refused, and the code the connection closes with. */
export class PushCloseError extends Error {
  override readonly name = "PushCloseError";
  readonly code: CloseCode;
  constructor(code: CloseCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Parses one inbound text frame; a PushCloseError (4413 too large, 1008 anything else) names what is wrong. */
export function parseClientFrame(text: string): ClientFrame {
  if (Buffer.byteLength(text) > MAX_INBOUND_BYTES) {
    throw new PushCloseError(CLOSE.frameTooLarge, `A frame may hold at most ${MAX_INBOUND_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PushCloseError(CLOSE.badFrame, "A frame must be a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new PushCloseError(CLOSE.badFrame, "A frame must be a JSON object");
  const frame = value as Record<string, unknown>;
  switch (frame.action) {
    case "subscribe": {
      const endpointId = field(frame, "endpointId", MAX_ID_LENGTH, true) as string;
      const authorization = field(frame, "authorization", MAX_AUTHORIZATION_LENGTH, true) as string;
      const cursor = field(frame, "cursor", MAX_CURSOR_LENGTH, false);
      return { action: "subscribe", endpointId, authorization, ...(cursor !== undefined && { cursor }) };
    }
    case "ack":
      return { action: "ack", cursor: field(frame, "cursor", MAX_CURSOR_LENGTH, true) as string };
    case "ping":
      return { action: "ping" };
    default:
      throw new PushCloseError(CLOSE.badFrame, "`action` must be subscribe, ack or ping");
  }
}

function field(frame: Record<string, unknown>, name: string, max: number, required: boolean): string | undefined {
  const value = frame[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw new PushCloseError(CLOSE.badFrame, `\`${name}\` must be a string of 1 to ${max} characters`);
  }
  return value;
}

/** The credentials a subscribe carries: `Bearer <key>` or `Portal <token>`. */
export type Presented = { kind: "bearer"; key: string } | { kind: "portal"; token: string };

/** The credentials of `authorization`, or undefined when it is neither scheme. */
export function presentedCredentials(authorization: string): Presented | undefined {
  const match = /^(Bearer|Portal) ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization);
  if (!match) return undefined;
  return match[1] === "Bearer" ? { kind: "bearer", key: match[2] as string } : { kind: "portal", token: match[2] as string };
}

/** The server's frames. */
export type ServerFrame =
  | { type: "subscribed"; endpointId: string; cursor: string; window: number; closeAt: string; idleTimeoutSeconds: number }
  | { type: "item"; cursor: string; item: unknown }
  | { type: "item_ref"; cursor: string; id: string }
  | { type: "pong" }
  | { type: "close"; code: number; reason: string };

/** One item's frame: the item itself, or a reference to it when the frame would pass MAX_OUTBOUND_BYTES. */
export function itemFrame(cursor: string, item: { id: string }): string {
  const full = JSON.stringify({ type: "item", cursor, item } satisfies ServerFrame);
  if (Buffer.byteLength(full) <= MAX_OUTBOUND_BYTES) return full;
  return JSON.stringify({ type: "item_ref", cursor, id: item.id } satisfies ServerFrame);
}

/** Any other server frame as text. */
export function serverFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** A close reason fits the 123 bytes RFC 6455 leaves it. */
export function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}
