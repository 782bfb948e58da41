import net from "node:net";
import { listenOnLoopback } from "./loopback.ts";

/**
 * A TCP proxy on 127.0.0.1 in front of an emulator, for fault injection: during an outage it cuts
 * every open connection and refuses new ones, as a stopped DynamoDB or SQS endpoint would look to
 * the SDK. Used only when the local stack runs with --fault-injection.
 */
export async function startFaultProxy(target: URL) {
  let downUntil = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (Date.now() < downUntil) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const url = await listenOnLoopback(server, 0);
  return {
    url,
    /** Cuts every connection and refuses new ones for `ms` milliseconds. */
    outage(ms: number): void {
      downUntil = Date.now() + ms;
      for (const s of sockets) s.destroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
