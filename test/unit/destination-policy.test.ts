import { describe, expect, it } from "vitest";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";

describe("DestinationPolicy", () => {
  const strict = new DestinationPolicy([], { allowHttp: false });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("allows the public address %s", (address) => {
    expect(strict.allows(address)).toBe(true);
  });

  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",
    "2002:7f00:1::",
    "224.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:c0a8:101::1",
    "::7f00:1",
    "::a00:1",
    "::",
    "255.255.255.255",
    "192.0.0.8",
    "198.18.0.1",
    "192.0.2.1",
    "240.0.0.1",
    "2001::1",
    "2001:db8::1",
    "ff02::1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(strict.allows(address)).toBe(false);
  });

  it("lets plain http through only where it is allowed, and no other scheme at all", () => {
    const local = new DestinationPolicy([], { allowHttp: true });
    expect([strict, local].map((p) => p.allowsScheme("https:"))).toEqual([true, true]);
    expect([strict, local].map((p) => p.allowsScheme("http:"))).toEqual([false, true]);
    for (const scheme of ["ftp:", "file:", "ws:", "HTTP:", "gopher:"]) expect(local.allowsScheme(scheme)).toBe(false);
  });

  it("opens ranges on purpose, and only those", () => {
    const local = new DestinationPolicy(["127.0.0.0/8", "::1/128"], { allowHttp: true });
    expect(local.allows("127.0.0.1")).toBe(true);
    expect(local.allows("::1")).toBe(true);
    expect(local.allows("::ffff:127.0.0.1")).toBe(true);
    expect(local.allows("10.0.0.1")).toBe(false);
  });
});
