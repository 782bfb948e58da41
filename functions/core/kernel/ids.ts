import { createHash, hash, randomBytes } from "node:crypto";

/** A new id that sorts by creation time: prefix_ + 12 hex of milliseconds + 16 hex of randomness. */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  // Within one millisecond the ids of a process count up from a random start (63 bits, so the count
  // never wraps), as monotonic ULIDs do: the events of one batch list in the order they were given,
  // not in the order of random suffixes.
  const low = nowMs === lastId.ms ? lastId.low + 1n : randomBytes(8).readBigUInt64BE() >> 1n;
  lastId = { ms: nowMs, low };
  return `${prefix}_${nowMs.toString(16).padStart(12, "0")}${low.toString(16).padStart(16, "0")}`;
}

let lastId = { ms: -1, low: 0n };

/**
 * The creation time (ISO) a time-ordered id spells (`prefix_` + 12 hex of milliseconds + 16 hex), or
 * undefined when the id has another shape. Any id of that shape has a time, even one a caller or an
 * Idempotency-Key chose: only a record whose own creation time is this one was named by `newId`.
 */
export function idTime(id: string): string | undefined {
  const match = /^[a-z]+_([0-9a-f]{12})[0-9a-f]{16}$/.exec(id);
  return match ? new Date(Number.parseInt(match[1] as string, 16)).toISOString() : undefined;
}

/**
 * The event id an Idempotency-Key stands for: the same key in the same tenant always names the same
 * event. Anyone can compute it, and that is harmless: an event is named by its tenant and its id, so
 * another tenant using this id makes an event of its own.
 */
export function eventIdForKey(tenantId: string, key: string): string {
  return `evt_${createHash("sha256").update(`${tenantId}\u0000${key}`).digest("hex").slice(0, 28)}`;
}

/** A stable digest of the parts of a request that must match when an idempotency key is reused. */
export function requestHash(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\u0000");
  return hash.digest("base64url");
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE62_CUBED = 62 ** 3;

/**
 * The message id of a tenant's event: `msg_` + 27 base62 characters (160 bits of SHA-256 over the
 * tenant and the event id, the shape of a Svix message id). Receivers see it as `webhook-id`: it is
 * part of the signed content `${webhook-id}.${timestamp}.${body}`, so it must not be text a caller
 * chose (an event id may hold a `.`), and it is the same on every attempt, replay and endpoint.
 */
export function messageIdFor(tenantId: string, eventId: string): string {
  return `msg_${base62Digest(`hookrelay message id\u0000${JSON.stringify([tenantId, eventId])}`)}`;
}

/** 27 base62 characters naming `text`: the first 160 bits of its SHA-256 (the length of a Svix id's KSUID part). */
export function base62Digest(text: string): string {
  const digest = hash("sha256", text, "buffer");
  // The first 160 bits as five 32-bit words, divided in place by 62^3 nine times (62^27 > 2^160):
  // each step stays below 2^50, exact in a double, and no BigInt (4 times slower) is needed.
  const words = [0, 4, 8, 12, 16].map((at) => digest.readUInt32BE(at));
  let text62 = "";
  for (let step = 0; step < 9; step++) {
    let rest = 0;
    for (let w = 0; w < 5; w++) {
      const value = rest * 0x1_0000_0000 + (words[w] as number);
      const quotient = Math.floor(value / BASE62_CUBED);
      words[w] = quotient;
      rest = value - quotient * BASE62_CUBED;
    }
    text62 = `${BASE62[Math.floor(rest / 3844)]}${BASE62[Math.floor(rest / 62) % 62]}${BASE62[rest % 62]}${text62}`;
  }
  return text62;
}

/** The `webhook-id` an event's deliveries carry: its message id, or its own id for an event accepted before message ids existed. */
export function webhookId(event: { eventId: string; messageId?: string }): string {
  return event.messageId ?? event.eventId;
}
