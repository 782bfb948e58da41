import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationCheck } from "../../functions/adapters/http/destination-check.ts";
import { NodeHttpSender } from "../../functions/adapters/http/http-sender.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";
import { OwnListeners } from "../../functions/core/ssrf/own-listeners.ts";

/*
 * The outbound client against a real listener of its own process on 127.0.0.1, with every range
 * opened: the own-socket rule alone refuses it, before any connection is made. A second listener
 * that is not registered is the control: the same client reaches it.
 */
const WIDE_OPEN = new DestinationPolicy(["0.0.0.0/0", "::/0"], { allowHttp: true });
const servers: { server: http.Server; port: number; connections: number }[] = [];

async function listen() {
  const entry = { server: http.createServer((_req, res) => res.end("emulator output")), port: 0, connections: 0 };
  entry.server.on("connection", () => entry.connections++);
  await new Promise<void>((resolve) => entry.server.listen(0, "127.0.0.1", resolve));
  entry.port = (entry.server.address() as AddressInfo).port;
  servers.push(entry);
  return entry;
}

let own: Awaited<ReturnType<typeof listen>>;
let other: Awaited<ReturnType<typeof listen>>;
let sender: NodeHttpSender;

beforeAll(async () => {
  own = await listen();
  other = await listen();
  const ownSockets = new OwnListeners(() => []);
  ownSockets.add({ host: "127.0.0.1", port: own.port });
  sender = new NodeHttpSender({
    timeoutMs: 2_000,
    policy: WIDE_OPEN,
    ownSockets,
    // Names resolve here, never through DNS: "localhost" as /etc/hosts has it, anything else to 127.0.0.3.
    resolver: async (host) =>
      host === "localhost"
        ? [
            { address: "127.0.0.1", family: 4 },
            { address: "::1", family: 6 },
          ]
        : [{ address: "127.0.0.3", family: 4 }],
  });
});

afterAll(async () => {
  sender.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.server.close(resolve))));
});

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "127.0.0.2", "[::1]", "0.0.0.0", "[::]", "[::ffff:127.0.0.1]", "hooks.customer.test"];

describe("NodeHttpSender and the process's own sockets", () => {
  it("refuses every spelling of its own listener with destination_blocked and opens no connection", async () => {
    for (const host of LOOPBACK_HOSTS) {
      for (const path of ["/", "/?Action=ListQueues"]) {
        const result = await sender.post(`http://${host}:${own.port}${path}`, { "x-amz-target": "DynamoDB_20120810.Scan" }, "{}");
        expect({ host, ...result }).toMatchObject({ host, kind: "error", error: "destination_blocked" });
      }
    }
    expect(own.connections).toBe(0);
  });

  it("counts the scheme's default port as the URL's port", async () => {
    const ownSockets = new OwnListeners(() => []);
    ownSockets.add({ host: "127.0.0.1", port: 80 });
    ownSockets.add({ host: "127.0.0.1", port: 443 });
    const client = new NodeHttpSender({ timeoutMs: 2_000, policy: WIDE_OPEN, ownSockets });
    expect(await client.post("http://127.0.0.1/", {}, "{}")).toMatchObject({ error: "destination_blocked" });
    expect(await client.post("https://127.0.0.1/", {}, "{}")).toMatchObject({ error: "destination_blocked" });
    client.close();
  });

  it("refuses it at registration too", async () => {
    const check = destinationCheck(sender);
    for (const host of LOOPBACK_HOSTS) {
      const refused = await check(`http://${host}:${own.port}/`).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).code).toBe("destination_not_allowed");
    }
    await expect(check(`http://127.0.0.1:${other.port}/`)).resolves.toBeUndefined();
    expect(own.connections).toBe(0);
  });

  it("still reaches a listener that is not its own", async () => {
    const result = await sender.post(`http://127.0.0.1:${other.port}/`, {}, "{}");
    expect(result).toMatchObject({ kind: "response", statusCode: 200 });
    expect(other.connections).toBeGreaterThan(0);
  });
});
