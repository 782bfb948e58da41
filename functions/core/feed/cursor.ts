import { createHmac, timingSafeEqual } from "node:crypto";
import { type ApiError, invalidField } from "../kernel/errors.ts";

/**
 * Where a follower is in a feed: every slot below `next` was handed out (or was a hole closed for
 * good); `floorMs` is a lower bound of when any slot from `next` on was allocated, which tells an
 * expired cursor from a behind-but-kept one.
 */
export interface FeedPosition {
  next: number;
  floorMs: number;
}

const MAC_BYTES = 18;

/** The opaque cursor of a position: base64url JSON, a dot, and an HMAC under the feed's key over the endpoint id and the JSON. */
export function encodeCursor(key: string, endpointId: string, position: FeedPosition): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, n: position.next, f: position.floorMs })).toString("base64url");
  return `${payload}.${mac(key, endpointId, payload).toString("base64url")}`;
}

/** The position a cursor names; an ApiError `invalid_request` naming `cursor` when it was not made by this feed (forged, garbled, another feed's). */
export function decodeCursor(key: string, endpointId: string, cursor: string): FeedPosition {
  const [payload, tag, ...rest] = cursor.split(".");
  if (payload === undefined || tag === undefined || rest.length > 0 || cursor.length > 512) throw invalid();
  const given = Buffer.from(tag, "base64url");
  const expected = mac(key, endpointId, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  try {
    const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { v?: unknown; n?: unknown; f?: unknown };
    if (parsed.v === 1 && isWhole(parsed.n) && parsed.n >= 1 && isWhole(parsed.f)) return { next: parsed.n, floorMs: parsed.f };
  } catch {
    // a valid MAC over text that is not our JSON cannot happen; treated as garbled all the same
  }
  throw invalid();
}

function mac(key: string, endpointId: string, payload: string): Buffer {
  return createHmac("sha256", Buffer.from(key, "base64")).update(`${endpointId}.${payload}`).digest().subarray(0, MAC_BYTES);
}

function isWhole(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function invalid(): ApiError {
  return invalidField("cursor", "is not one this feed gave out");
}
