import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a portal session lasts unless asked otherwise, and the most it may last, in seconds. */
export const PORTAL_DEFAULT_SECONDS = 3600;
export const PORTAL_MAX_SECONDS = 86_400;

/** What a portal token grants: one tenant, optionally only some of its endpoints, until a time. */
export interface PortalClaims {
  tenantId: string;
  endpointIds?: string[];
  /** The tenant key that opened the session, if one did: revoking that key ends the session. */
  keyId?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

// The label binds the derived key to this one use, so a portal MAC can never stand for anything else.
const LABEL = "hookrelay portal session v1";
const TOKEN = /^hrp_([A-Za-z0-9_-]{1,8000})\.([A-Za-z0-9_-]{43})$/;

/** The key portal tokens are signed with, derived from the admin key: rotating the admin key revokes every session. */
export function portalSigningKey(adminKey: string): Buffer {
  return createHmac("sha256", adminKey).update(LABEL).digest();
}

/** The key a limited session's list cursors are sealed with, derived from the signing key for that one use. */
export function portalCursorKey(signingKey: Buffer): Buffer {
  return createHmac("sha256", signingKey).update("hookrelay portal cursor v1").digest();
}

/**
 * A list cursor sealed with AES-256-GCM for one context (route and session scope). A session limited
 * to some endpoints pages through lists filtered for it, and a plain cursor names where the read
 * stopped: often an event of another endpoint. Sealed, it tells the caller nothing and cannot be made
 * or moved to another context.
 */
export function sealCursor(key: Buffer, context: string, cursor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(cursor, "utf8"), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** The cursor `sealCursor` sealed for this context, or undefined for anything else. */
export function openCursor(key: Buffer, context: string, sealed: string): string | undefined {
  const bytes = canonicalBytes(sealed);
  if (!bytes || bytes.length < 12 + 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12)).setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** A token carrying the claims, signed with HMAC-SHA256; made only of RFC 6750 b64token characters. */
export function signPortalToken(key: Buffer, claims: PortalClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `hrp_${payload}.${mac(key, payload).toString("base64url")}`;
}

/** The claims of a token signed with `key` that has not expired at `now`, or undefined. */
export function verifyPortalToken(key: Buffer, token: string, now: Date): PortalClaims | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, payload, signature] = match as unknown as [string, string, string];
  const presented = canonicalBytes(signature);
  const claimed = canonicalBytes(payload);
  if (!presented || !claimed) return undefined;
  const expected = mac(key, payload);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
  const claims = claimsOf(claimed.toString("utf8"));
  if (!claims || claims.expiresAt * 1000 <= now.getTime()) return undefined;
  return claims;
}

/**
 * The bytes of a base64url text written as the signer writes it, or undefined. The decoder ignores
 * the unused low bits of the last character and a dangling sixth-bit character, so one value has
 * several spellings (a 43-character MAC has four); only the canonical one is a token.
 */
function canonicalBytes(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac("sha256", key).update(payload).digest();
}

// A signed payload is ours, but its shape is still checked: a token from a future version must not half-work.
function claimsOf(text: string): PortalClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { tenantId, endpointIds, expiresAt, keyId } = (value ?? {}) as Record<string, unknown>;
  if (typeof tenantId !== "string" || typeof expiresAt !== "number") return undefined;
  if (keyId !== undefined && typeof keyId !== "string") return undefined;
  if (endpointIds !== undefined && !(Array.isArray(endpointIds) && endpointIds.every((id) => typeof id === "string"))) return undefined;
  return {
    tenantId,
    expiresAt,
    ...(endpointIds !== undefined && { endpointIds: endpointIds as string[] }),
    ...(keyId !== undefined && { keyId }),
  };
}
