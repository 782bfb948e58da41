/**
 * Ports a test chooses and hands to a process that binds them later (PORT, WS_PORT, RECEIVER_PORT).
 * A port read from listen(0) and closed is in the kernel's ephemeral range, where any other test
 * file's listen(0) or outgoing connection may be given it before the process binds it. These come
 * from below that range instead, which the kernel hands to nobody: only another test choosing the
 * same port this way could take it, one chance in thousands.
 */
import { readFileSync } from "node:fs";
import net from "node:net";

const QUIET_FROM = 20_000;

/** The lowest port of the kernel's ephemeral range (Linux: /proc; elsewhere the IANA range's 49152). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  } catch {
    return 49_152;
  }
}

/** Binds `port` on 127.0.0.1, or resolves undefined when something holds it. */
function bind(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A loopback port held by a placeholder listener until `release()`: bound by nothing else meanwhile. */
export async function heldPort(): Promise<{ port: number; release(): Promise<void> }> {
  const low = ephemeralLow();
  for (let attempt = 0; attempt < 100 && low > QUIET_FROM + 100; attempt++) {
    const port = QUIET_FROM + Math.floor(Math.random() * (low - QUIET_FROM));
    const server = await bind(port);
    if (server) return { port, release: () => close(server) };
  }
  // No quiet range on this machine: an ephemeral port, as listen(0) gives.
  const server = (await bind(0)) as net.Server;
  return { port: (server.address() as net.AddressInfo).port, release: () => close(server) };
}

/** A loopback port that nothing listens on now, from below the ephemeral range. */
export async function freePort(): Promise<number> {
  const { port, release } = await heldPort();
  await release();
  return port;
}
