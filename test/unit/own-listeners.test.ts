import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { OwnListeners } from "../../functions/core/ssrf/own-listeners.ts";

const INTERFACES = ["10.1.2.3", "fe80::1234", "192.168.7.9"];
const port = fc.integer({ min: 1, max: 65_535 });
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
/** Every spelling of an IPv4 address that connect() accepts as the same destination. */
const spellings = (v4: string) => {
  const hex = ipaddr.IPv4.parse(v4).toIPv4MappedAddress().toString();
  return [v4, hex, `::ffff:${v4}`, `[::ffff:${v4}]`];
};
/** Addresses that land on this machine's loopback: 127.0.0.0/8, 0.0.0.0/8, ::1, ::, in every form. */
const thisMachine = fc.oneof(
  fc.tuple(octet, octet, octet).chain(([a, b, c]) => fc.constantFrom(...spellings(`127.${a}.${b}.${c}`))),
  fc.tuple(octet, octet, octet).chain(([a, b, c]) => fc.constantFrom(...spellings(`0.${a}.${b}.${c}`))),
  fc.constantFrom("::1", "[::1]", "::", "[::]", "0:0:0:0:0:0:0:1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::"),
);
/** IPv6 ranges that carry an IPv4 address (judged by it, so left to `thisMachine` above). */
const CARRIERS = ["::/96", "::ffff:0:0/96", "64:ff9b::/96", "2002::/16"].map((c) => ipaddr.parseCIDR(c));
/** Addresses that are neither loopback, unspecified nor one of INTERFACES, in any form. */
const elsewhere = fc.oneof(ipv4, fc.ipV6()).filter((a) => {
  const addr = ipaddr.parse(a);
  if (addr.kind() === "ipv6" && CARRIERS.some(([net, bits]) => addr.match(net, bits))) return false;
  return addr.range() !== "loopback" && addr.range() !== "unspecified" && !INTERFACES.includes(addr.toString());
});

describe("OwnListeners", () => {
  const listeners = (...bound: { host: string; port: number }[]) => {
    const own = new OwnListeners(() => INTERFACES);
    for (const b of bound) own.add(b);
    return own;
  };

  it("a loopback listener is reached through every loopback or unspecified spelling, on its port only", () => {
    fc.assert(
      fc.property(port, port, thisMachine, fc.constantFrom("127.0.0.1", "::1"), (p, other, address, host) => {
        const own = listeners({ host, port: p });
        expect(own.reaches(address, p)).toBe(true);
        if (other !== p) expect(own.reaches(address, other)).toBe(false);
      }),
    );
  });

  it("a loopback listener is not reached through any other address, the machine's own included", () => {
    fc.assert(
      fc.property(port, fc.oneof(elsewhere, fc.constantFrom(...INTERFACES)), (p, address) => {
        expect(listeners({ host: "127.0.0.1", port: p }).reaches(address, p)).toBe(false);
      }),
    );
  });

  it("a listener on every interface is also reached through each of the machine's addresses", () => {
    fc.assert(
      fc.property(port, fc.constantFrom("0.0.0.0", "::"), fc.oneof(thisMachine, fc.constantFrom(...INTERFACES)), (p, host, address) => {
        expect(listeners({ host, port: p }).reaches(address, p)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(port, elsewhere, (p, address) => {
        expect(listeners({ host: "0.0.0.0", port: p }).reaches(address, p)).toBe(false);
      }),
    );
  });

  it("reads the machine's addresses at check time, since interfaces come and go", () => {
    const current = ["10.9.9.9"];
    const own = new OwnListeners(() => current);
    own.add({ host: "0.0.0.0", port: 4000 });
    expect(own.reaches("10.9.9.9", 4000)).toBe(true);
    current[0] = "10.8.8.8";
    expect(own.reaches("10.9.9.9", 4000)).toBe(false);
    expect(own.reaches("10.8.8.8", 4000)).toBe(true);
  });

  it("a listener on one address is reached through that address alone", () => {
    const own = listeners({ host: "10.1.2.3", port: 8080 });
    expect(own.reaches("10.1.2.3", 8080)).toBe(true);
    expect(own.reaches("::ffff:a01:203", 8080)).toBe(true);
    expect(own.reaches("127.0.0.1", 8080)).toBe(false);
    expect(own.reaches("192.168.7.9", 8080)).toBe(false);
  });

  it("forgets a listener it was told to forget, and keeps the others on the same port", () => {
    const own = new OwnListeners(() => []);
    const forgetLoopback = own.add({ host: "127.0.0.1", port: 3000 });
    own.add({ host: "10.1.2.3", port: 3000 });
    forgetLoopback();
    expect(own.reaches("127.0.0.1", 3000)).toBe(false);
    expect(own.reaches("10.1.2.3", 3000)).toBe(true);
  });

  it("never matches something that is not an address", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!ipaddr.isValid(text.replace(/^\[|\]$/g, "").replace(/%.*$/, "")));
        expect(listeners({ host: "0.0.0.0", port: 80 }).reaches(text, 80)).toBe(false);
      }),
    );
  });
});
