import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/** Which destination addresses deliveries may reach: global unicast, plus ranges opened on purpose. */
export class DestinationPolicy {
  private readonly allowed: Cidr[];

  /** `allowCidrs` opens ranges that are otherwise refused (e.g. 127.0.0.0/8 for a local stack). */
  constructor(allowCidrs: readonly string[]) {
    this.allowed = allowCidrs.map((c) => ipaddr.parseCIDR(c));
  }

  /** Parses "a/b, c/d" and throws on a malformed range. */
  static parseCidrList(text: string): string[] {
    const list = text
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean);
    for (const cidr of list) ipaddr.parseCIDR(cidr);
    return list;
  }

  /** True when a connection to this literal address is allowed. */
  allows(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    let addr: Address = ipaddr.parse(address);
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
    }
    if (this.allowed.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits))) return true;
    return addr.range() === "unicast";
  }
}
