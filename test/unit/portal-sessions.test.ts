import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { portalSigningKey, signPortalToken, verifyPortalToken } from "../../functions/core/portal-sessions.ts";
import { B64TOKEN } from "../../functions/core/principal.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const LATER = Math.floor(NOW.getTime() / 1000) + 600;
const key = portalSigningKey("admin-key");
const claims = { tenantId: "acme", endpointIds: ["ep_1", "ep_2"], expiresAt: LATER };

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
});
