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
