import { createHash, randomBytes } from "node:crypto";

/** A new id that sorts by creation time: prefix_ + 12 hex of milliseconds + 16 hex of randomness. */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}_${nowMs.toString(16).padStart(12, "0")}${randomBytes(8).toString("hex")}`;
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

/**
 * The message id of a tenant's event: `msg_` + 27 base62 characters (160 bits of SHA-256 over the
 * tenant and the event id, the shape of a Svix message id). Receivers see it as `webhook-id`: it is
 * part of the signed content `${webhook-id}.${timestamp}.${body}`, so it must not be text a caller
 * chose (an event id may hold a `.`), and it is the same on every attempt, replay and endpoint.
 */
export function messageIdFor(tenantId: string, eventId: string): string {
  const digest = createHash("sha256")
    .update("hookrelay message id\u0000")
    .update(JSON.stringify([tenantId, eventId]))
    .digest();
  let n = BigInt(`0x${digest.subarray(0, 20).toString("hex")}`);
  let text = "";
  for (let i = 0; i < 27; i++) {
    text = BASE62[Number(n % 62n)] + text;
    n /= 62n;
  }
  return `msg_${text}`;
}

/** The `webhook-id` an event's deliveries carry: its message id, or its own id for an event accepted before message ids existed. */
export function webhookId(event: { eventId: string; messageId?: string }): string {
  return event.messageId ?? event.eventId;
}
