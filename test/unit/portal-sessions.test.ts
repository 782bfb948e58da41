import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  openCursor,
  portalCursorKey,
  portalSigningKey,
  sealCursor,
  signPortalToken,
  verifyPortalToken,
} from "../../functions/core/access/portal-sessions.ts";
import { B64TOKEN } from "../../functions/core/access/principal.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const LATER = Math.floor(NOW.getTime() / 1000) + 600;
const key = portalSigningKey("admin-key");
const claims = { tenantId: "acme", endpointIds: ["ep_1", "ep_2"], expiresAt: LATER };
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Every other base64url text Node decodes to the same bytes: the last character with other unused
 * low bits, or one more character that the decoder drops. Earlier characters carry six bits each,
 * so changing one changes the bytes.
 */
function otherSpellings(canonical: string): string[] {
  const bytes = Buffer.from(canonical, "base64url");
  const candidates = [...ALPHABET].flatMap((c) => [canonical.slice(0, -1) + c, canonical + c]);
  return candidates.filter((text) => text !== canonical && Buffer.from(text, "base64url").equals(bytes));
}

/** A token over `payload` as the signer would sign it, whatever its spelling. */
const signedAs = (payload: string) => `hrp_${payload}.${createHmac("sha256", key).update(payload).digest("base64url")}`;

const anyClaims = fc.record(
  {
    tenantId: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    endpointIds: fc.array(fc.stringMatching(/^ep_[A-Za-z0-9]{1,12}$/), { minLength: 1, maxLength: 5 }),
    keyId: fc.stringMatching(/^key_[0-9a-f]{4,28}$/),
    expiresAt: fc.integer({ min: LATER, max: LATER + 86_400 }),
  },
  { requiredKeys: ["tenantId", "expiresAt"] },
);

describe("portal session tokens", () => {
  it("verify to the claims they were signed with, and are valid bearer-style credentials", () => {
    const token = signPortalToken(key, claims);
    expect(B64TOKEN.test(token)).toBe(true);
    expect(verifyPortalToken(key, token, NOW)).toEqual(claims);
    expect(verifyPortalToken(key, signPortalToken(key, { tenantId: "acme", expiresAt: LATER }), NOW)).toEqual({
      tenantId: "acme",
      expiresAt: LATER,
    });
  });

  it("refuse a token once its time is up, to the second", () => {
    const token = signPortalToken(key, claims);
    expect(verifyPortalToken(key, token, new Date(LATER * 1000 - 1))).toBeDefined();
    expect(verifyPortalToken(key, token, new Date(LATER * 1000))).toBeUndefined();
  });

  it("refuse a token whose claims or signature were changed", () => {
    const token = signPortalToken(key, claims);
    const [payload, signature] = token.slice("hrp_".length).split(".") as [string, string];
    const widened = Buffer.from(JSON.stringify({ tenantId: "acme", expiresAt: LATER + 86_400 })).toString("base64url");
    expect(verifyPortalToken(key, `hrp_${widened}.${signature}`, NOW)).toBeUndefined();
    const other = Buffer.from(JSON.stringify({ ...claims, tenantId: "globex" })).toString("base64url");
    expect(verifyPortalToken(key, `hrp_${other}.${signature}`, NOW)).toBeUndefined();
    const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    expect(verifyPortalToken(key, `hrp_${payload}.${flipped}`, NOW)).toBeUndefined();
    expect(verifyPortalToken(key, `hrp_${payload}`, NOW)).toBeUndefined();
    expect(verifyPortalToken(key, "", NOW)).toBeUndefined();
    const good = JSON.stringify({ tenantId: "acme", expiresAt: LATER });
    const goodPayload = Buffer.from(good).toString("base64url");
    expect(verifyPortalToken(key, `hrp_${goodPayload}.${createHmac("sha256", key).update(goodPayload).digest("base64url")}`, NOW)).toEqual({
      tenantId: "acme",
      expiresAt: LATER,
    });
  });

  it("refuse a token signed under another admin key, so rotating the admin key revokes every session", () => {
    const token = signPortalToken(portalSigningKey("old-admin-key"), claims);
    expect(verifyPortalToken(key, token, NOW)).toBeUndefined();
    expect(portalSigningKey("admin-key").equals(key)).toBe(true);
  });

  it("refuse a correctly signed payload of the wrong shape", () => {
    for (const odd of [{ tenantId: "acme" }, { tenantId: 1, expiresAt: LATER }, { tenantId: "acme", expiresAt: LATER, endpointIds: [1] }]) {
      const payload = Buffer.from(JSON.stringify(odd)).toString("base64url");
      // Signed as the signer signs, so only the shape is wrong.
      const signed = `hrp_${payload}.${createHmac("sha256", key).update(payload).digest("base64url")}`;
      expect(verifyPortalToken(key, signed, NOW)).toBeUndefined();
    }
  });

  it("accept only the canonical base64url spelling of the signature: the three others of its unused bits are refused", () => {
    fc.assert(
      fc.property(anyClaims, (claimed) => {
        const token = signPortalToken(key, claimed);
        const [payload, signature] = token.slice("hrp_".length).split(".") as [string, string];
        expect(verifyPortalToken(key, token, NOW)).toEqual(claimed);
        const others = otherSpellings(signature);
        // 32 bytes in 43 characters leave 2 unused bits: four spellings, one canonical.
        expect(others).toHaveLength(3);
        for (const other of others) expect(verifyPortalToken(key, `hrp_${payload}.${other}`, NOW)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("accept only the canonical spelling of the payload, even signed as the signer signs", () => {
    fc.assert(
      fc.property(anyClaims, (claimed) => {
        const payload = Buffer.from(JSON.stringify(claimed)).toString("base64url");
        expect(verifyPortalToken(key, signedAs(payload), NOW)).toEqual(claimed);
        const others = otherSpellings(payload);
        // Every length leaves some: unused low bits (length 2 or 3 mod 4), or a dropped sixth character (0 mod 4).
        expect(others.length).toBeGreaterThan(0);
        for (const other of others) expect(verifyPortalToken(key, signedAs(other), NOW)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe("sealed list cursors of a limited portal session", () => {
  const cursorKey = portalCursorKey(key);

  it("open to the cursor sealed, in its own context only, and tell nothing of it", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (cursor, context, other) => {
        const sealed = sealCursor(cursorKey, context, cursor);
        expect(/^[A-Za-z0-9_-]+$/.test(sealed)).toBe(true);
        expect(openCursor(cursorKey, context, sealed)).toBe(cursor);
        if (other !== context) expect(openCursor(cursorKey, other, sealed)).toBeUndefined();
        expect(openCursor(portalCursorKey(portalSigningKey("another-admin-key")), context, sealed)).toBeUndefined();
        if (cursor.length >= 8) expect(Buffer.from(sealed, "base64url").toString("latin1")).not.toContain(cursor);
      }),
    );
  });

  it("refuse any change to a sealed cursor, and anything not sealed here", () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.string(), (cursor, at, flip, garbage) => {
        const bytes = Buffer.from(sealCursor(cursorKey, "ctx", cursor), "base64url");
        bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ flip;
        expect(openCursor(cursorKey, "ctx", bytes.toString("base64url"))).toBeUndefined();
        expect(openCursor(cursorKey, "ctx", garbage)).toBeUndefined();
        expect(openCursor(cursorKey, "ctx", Buffer.from(garbage).toString("base64url"))).toBeUndefined();
      }),
    );
  });
});
