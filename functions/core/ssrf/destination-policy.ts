import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/**
 * The IPv6 ranges that carry an IPv4 address, parsed on the first IPv6 address checked: parsing
 * them compiles ipaddr's IPv6 patterns, which a cold start need not pay before any such address.
 */
let carriers: { compatible: Cidr; sixToFour: Cidr; nat64: Cidr } | undefined;
function carrierRanges() {
  carriers ??= {
    compatible: ipaddr.parseCIDR("::/96"),
    sixToFour: ipaddr.parseCIDR("2002::/16"),
    nat64: ipaddr.parseCIDR("64:ff9b::/96"),
  };
  return carriers;
}

/**
 * Which destination addresses deliveries may reach: globally routable unicast only, plus ranges
 * opened on purpose. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, compatible
 * ::a.b.c.d, 6to4 2002:aabb:ccdd::/48, NAT64 64:ff9b::a.b.c.d) are judged by the IPv4 address
 * they carry, so none of them can smuggle in a private one.
 */
export class DestinationPolicy {
  private readonly allowed: Cidr[];
  private readonly allowHttp: boolean;

  /**
   * `allowCidrs` opens ranges that are otherwise refused (e.g. 127.0.0.0/8 for a local stack), as
   * parseCidrList (cidr-list.ts) accepts them;
   * `allowHttp` lets plain http through, checked at every delivery so that turning it off also stops
   * endpoints registered while it was on.
   */
  constructor(allowCidrs: readonly string[], options: { allowHttp: boolean }) {
    this.allowed = allowCidrs.map((c) => ipaddr.parseCIDR(c));
    this.allowHttp = options.allowHttp;
  }

  /** True when a URL of this scheme (`"https:"`, as `URL.protocol` spells it) may be called. */
  allowsScheme(protocol: string): boolean {
    return protocol === "https:" || (protocol === "http:" && this.allowHttp);
  }

  /** True when a connection to this literal address is allowed. */
  allows(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const addr = ipaddr.parse(address);
    if (this.opened(addr)) return true;
    const embedded = embeddedIpv4(addr);
    if (embedded) return this.opened(embedded) || embedded.range() === "unicast";
    return addr.range() === "unicast";
  }

  private opened(addr: Address): boolean {
    return this.allowed.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
  }
}

/** The IPv4 address an IPv6 address carries, if it is one of the forms that carry one. */
export function embeddedIpv4(addr: Address): ipaddr.IPv4 | undefined {
  if (addr.kind() !== "ipv6") return undefined;
  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const bytes = v6.toByteArray();
  const { compatible, sixToFour, nat64 } = carrierRanges();
  if (v6.match(nat64) || v6.match(compatible)) return ipaddr.fromByteArray(bytes.slice(12, 16)) as ipaddr.IPv4;
  if (v6.match(sixToFour)) return ipaddr.fromByteArray(bytes.slice(2, 6)) as ipaddr.IPv4;
  return undefined;
}
