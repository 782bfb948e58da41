import ipaddr from "ipaddr.js";
import { embeddedIpv4 } from "./destination-policy.ts";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A socket this process listens on: the address it is bound to and its port. */
export interface Listener {
  host: string;
  port: number;
}

/** Whether a connection to an address and port would reach one of this process's own listeners. */
export interface OwnSockets {
  reaches(address: string, port: number): boolean;
}

/** Loopback and unspecified addresses all land on this machine, whatever their spelling. */
const isThisMachine = (addr: Address) => addr.range() === "loopback" || addr.range() === "unspecified";

/**
 * The sockets this process listens on (the local stack's API, emulators and proxies), so that a
 * delivery can never reach them, whatever ranges the destination policy opens: a tenant endpoint
 * aimed at the DynamoDB emulator with forged `x-amz-*` headers would otherwise get another tenant's
 * secret back in the stored response body. A listener on a loopback address is reached through any
 * loopback or unspecified address (127.0.0.2, 0.0.0.0, ::, ::1 and their IPv4-in-IPv6 forms); one on
 * every interface also through each of the machine's own addresses, read at check time because
 * interfaces come and go. A Lambda registers none, so the check costs it one set lookup.
 */
export class OwnListeners implements OwnSockets {
  private readonly listeners = new Map<number, Address[]>();
  private readonly interfaceAddresses: () => readonly string[];

  /** `interfaceAddresses` lists the machine's own addresses (os.networkInterfaces in production). */
  constructor(interfaceAddresses: () => readonly string[]) {
    this.interfaceAddresses = interfaceAddresses;
  }

  /** Registers a listening socket; returns a function that forgets it again. */
  add(listener: Listener): () => void {
    const bound = normalized(listener.host);
    if (!bound) throw new Error(`${listener.host} is not an address a socket can be bound to`);
    const list = this.listeners.get(listener.port) ?? [];
    list.push(bound);
    this.listeners.set(listener.port, list);
    return () => {
      const left = (this.listeners.get(listener.port) ?? []).filter((a) => a !== bound);
      if (left.length > 0) this.listeners.set(listener.port, left);
      else this.listeners.delete(listener.port);
    };
  }

  /** True when connecting to `address` on `port` would reach a registered listener. */
  reaches(address: string, port: number): boolean {
    const bound = this.listeners.get(port);
    if (!bound) return false;
    const target = normalized(address);
    // Not an address at all: nothing can connect to it, and the destination policy refuses it.
    if (!target) return false;
    return bound.some((listener) => {
      if (listener.range() === "unspecified") return isThisMachine(target) || this.isInterface(target);
      if (listener.range() === "loopback") return isThisMachine(target);
      return sameAddress(listener, target);
    });
  }

  private isInterface(target: Address): boolean {
    return this.interfaceAddresses().some((a) => {
      const own = normalized(a);
      return own !== undefined && sameAddress(own, target);
    });
  }
}

/** The address parsed, judged by the IPv4 address it carries when it carries one; zone ids dropped. */
function normalized(address: string): Address | undefined {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return undefined;
  const addr = ipaddr.parse(bare);
  return embeddedIpv4(addr) ?? addr;
}

function sameAddress(a: Address, b: Address): boolean {
  return a.kind() === b.kind() && a.toNormalizedString() === b.toNormalizedString();
}
