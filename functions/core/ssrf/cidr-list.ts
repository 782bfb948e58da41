import { createRequire } from "node:module";

/*
 * DESTINATION_ALLOW_CIDRS is checked at every cold start, where ipaddr.js (12 KB and its patterns)
 * need not load yet: node:net, which every function has loaded already, checks the addresses. It
 * accepts nothing ipaddr.js refuses (a property test holds that), so every range accepted here is
 * one the destination policy can use; the policy reads the ranges with ipaddr.js, as it always has
 * (which reads `::a.b.c.d` as the IPv4-mapped `::ffff:a.b.c.d`).
 */

/*
 * node:net as a CommonJS module: an ES import builds a facade of every export, and node:net's lazy
 * BlockList and SocketAddress then load with it, about 0.5 ms of every cold start.
 * process.getBuiltinModule where Node has it (every Lambda runtime we deploy to; a createRequire
 * costs a cold start another 0.2 ms), createRequire where it does not: the construct reads the
 * settings in the user's CDK app, whose Node may predate it.
 */
const { isIP } = (process.getBuiltinModule?.("node:net") ?? createRequire(import.meta.url)("node:net")) as typeof import("node:net");

/** Prefix lengths in plain decimal, no sign or leading zero. */
const PREFIX = /^(0|[1-9]\d{0,2})$/;

/** Parses "a/b, c/d" (an IPv4 or IPv6 address in its plain form, a prefix its family allows) and throws on a malformed range. */
export function parseCidrList(text: string): string[] {
  const list = text
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  for (const cidr of list) {
    const slash = cidr.indexOf("/");
    const address = cidr.slice(0, slash);
    const prefix = cidr.slice(slash + 1);
    // A zone (fe80::1%eth0) names an interface of one machine, which no range of addresses has.
    const family = slash < 0 || address.includes("%") ? 0 : isIP(address);
    if (family === 0 || !PREFIX.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) {
      throw new Error(`"${cidr}" is not an address and a prefix length, as 10.0.0.0/8 or fd00::/8`);
    }
  }
  return list;
}
