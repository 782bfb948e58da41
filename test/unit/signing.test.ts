import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret, isValidSecret, Signer } from "../../functions/core/kernel/signing.ts";

describe("signing", () => {
  it("produces a v1 signature the standardwebhooks library accepts", () => {
    const secret = generateSecret();
    const body = JSON.stringify({ hello: "wörld", n: 1 });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = new Signer(secret).sign("msg_1", timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verified = new Webhook(secret).verify(body, {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    });
    expect(verified).toEqual({ hello: "wörld", n: 1 });
  });

  it("signs id, timestamp and body, so changing any of them breaks verification", () => {
    const secret = generateSecret();
    const ts = Math.floor(Date.now() / 1000);
    const signature = new Signer(secret).sign("msg_1", ts, "{}");
    const verify = (id: string, t: number, body: string) =>
      new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": String(t), "webhook-signature": signature });
    expect(() => verify("msg_2", ts, "{}")).toThrow();
    expect(() => verify("msg_1", ts + 1, "{}")).toThrow();
    expect(() => verify("msg_1", ts, "{ }")).toThrow();
  });

  it("generates whsec_ secrets of 32 random bytes", () => {
    const a = generateSecret();
    expect(a.startsWith("whsec_")).toBe(true);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });

  it.each([
    [`whsec_${Buffer.alloc(24, 1).toString("base64")}`, true],
    [`whsec_${Buffer.alloc(64, 1).toString("base64")}`, true],
    [`whsec_${Buffer.alloc(23, 1).toString("base64")}`, false],
    [`whsec_${Buffer.alloc(65, 1).toString("base64")}`, false],
    [Buffer.alloc(32, 1).toString("base64"), false],
    ["whsec_not base64!", false],
  ])("validates secret %s as %s", (secret, valid) => {
    expect(isValidSecret(secret)).toBe(valid);
  });
});
