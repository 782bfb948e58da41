import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationCheck } from "../../functions/adapters/http/destination-check.ts";
import { NodeHttpSender, type Resolver, systemResolver } from "../../functions/adapters/http/http-sender.ts";
import { urlCheckOnFirstCall } from "../../functions/adapters/http/url-check-on-first-call.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * The outbound client against a real receiver on 127.0.0.1. Host names resolve through an injected
 * resolver, so no test reaches DNS or any address but loopback: a refused address is refused before
 * any connection is opened.
 */
const loopbackOnly = new DestinationPolicy(["127.0.0.0/8"], { allowHttp: true });
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let port: string;

beforeAll(async () => {
  receiver = await startReceiver((req) => {
    if (req.path === "/big") return { status: 200, body: "x".repeat(1_000_000) };
    if (req.path === "/redirect") return { status: 307, headers: { location: "/elsewhere" } };
    if (req.path === "/late") return { status: 200, body: "late", delayMs: 400 };
    return { status: 200, body: "ok" };
  });
  port = new URL(receiver.url).port;
});

afterAll(() => receiver.close());

function sender(resolver: Resolver, policy = loopbackOnly) {
  return new NodeHttpSender({ timeoutMs: 2_000, policy, resolver });
}

describe("NodeHttpSender destination checks", () => {
  it("connects to the very address it checked, resolving the name once", async () => {
    const lookups: string[] = [];
    const client = sender(async (host) => {
      lookups.push(host);
      return [{ address: "127.0.0.1", family: 4 }];
    });
    const result = await client.post(`http://hooks.customer.test:${port}/a`, {}, "{}");
    expect(result).toMatchObject({ kind: "response", statusCode: 200, body: "ok" });
    expect(lookups).toEqual(["hooks.customer.test"]);
    expect(receiver.requests.at(-1)?.headers.host).toBe(`hooks.customer.test:${port}`);
    client.close();
  });

  it("cannot be rebound: a second, private answer is never asked for", async () => {
    let answers = 0;
    // First answer allowed (loopback is opened here), every later answer would be cloud metadata.
    const client = sender(async () =>
      answers++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }],
    );
    const first = await client.post(`http://rebind.test:${port}/one`, {}, "{}");
    expect(first).toMatchObject({ kind: "response", statusCode: 200 });
    const second = await client.post(`http://rebind.test:${port}/two`, {}, "{}");
    expect(second).toMatchObject({ kind: "error", error: "destination_blocked" });
    expect(receiver.requests.some((r) => r.path === "/two")).toBe(false);
    client.close();
  });

  it("refuses a name when any of its addresses is private", async () => {
    const client = sender(async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ]);
    const result = await client.post(`http://mixed.test:${port}/`, {}, "{}");
    expect(result).toMatchObject({ kind: "error", error: "destination_blocked" });
    // Why, never which address: the tenant reads this message in its attempt log.
    expect((result as { message: string }).message).toMatch(/^mixed\.test must resolve, and only to publicly routable addresses$/);
    expect((result as { message: string }).message).not.toMatch(/10\.0\.0\.7|127\.0\.0\.1/);
  });

  it("says the same of a name that does not resolve as of a private one, so a private zone cannot be probed", async () => {
    const privateName = await sender(async () => [{ address: "10.9.8.7", family: 4 }]).post("http://db.internal.test/", {}, "{}");
    const missing = await sender(async () => {
      throw Object.assign(new Error("queryA ENOTFOUND db.internal.test"), { code: "ENOTFOUND" });
    }).post("http://db.internal.test/", {}, "{}");
    const none = await sender(async () => []).post("http://db.internal.test/", {}, "{}");
    expect(privateName).toMatchObject({ kind: "error", error: "destination_blocked" });
    const messages = [privateName, missing, none].map((r) => (r as { message: string }).message);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).not.toContain("10.9.8.7");
  });

  it("answers a registration of a private destination with a 422 that names no address", async () => {
    const check = destinationCheck(
      sender(async () => [{ address: "169.254.169.254", family: 4 }], new DestinationPolicy([], { allowHttp: false })),
    );
    const refusal = await check("https://metadata.internal.test/hook").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 422, code: "destination_not_allowed" });
    expect((refusal as ApiError).message).toContain("metadata.internal.test");
    expect((refusal as ApiError).message).not.toContain("169.254");
  });

  it("checks URLs as the API does, the outbound client loaded on the first check, with the settings' rules", async () => {
    const resolver: Resolver = async (hostname) => [{ address: hostname.startsWith("private") ? "10.1.2.3" : "127.0.0.1", family: 4 }];
    const check = urlCheckOnFirstCall(
      { deliveryTimeoutMs: 1_000, destinationAllowCidrs: ["127.0.0.0/8"], allowHttpDestinations: false },
      resolver,
    );
    await expect(check("https://loopback.test/hook")).resolves.toBeUndefined();
    await expect(check("https://private.test/hook")).rejects.toMatchObject({ status: 422, code: "destination_not_allowed" });
    // Plain http is refused unless allowed, whatever the address.
    await expect(check("http://loopback.test/hook")).rejects.toMatchObject({ status: 422, code: "destination_not_allowed" });
  });

  it("masks every address in a connection error: an opened private range's address stays unseen", async () => {
    // A port nobody listens on: Node's message is "connect ECONNREFUSED 127.0.0.1:<port>".
    const closed = await startReceiver(() => ({ status: 200 }));
    const closedPort = new URL(closed.url).port;
    await closed.close();
    const result = await sender(async () => [{ address: "127.0.0.1", family: 4 }]).post(
      `http://svc.internal.test:${closedPort}/`,
      {},
      "{}",
    );
    expect(result).toMatchObject({ kind: "error", error: "connection" });
    const message = (result as { message: string }).message;
    expect(message).toContain("ECONNREFUSED");
    expect(message).not.toContain("127.0.0.1");
    expect(message).not.toContain(closedPort);
  });

  it("stops plain http at delivery once ALLOW_HTTP_DESTINATIONS is off, whatever was registered before", async () => {
    const before = receiver.requests.length;
    const resolver: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    const off = sender(resolver, new DestinationPolicy(["127.0.0.0/8"], { allowHttp: false }));
    const result = await off.post(`http://h.test:${port}/old-http-endpoint`, {}, "{}");
    expect(result).toMatchObject({ kind: "error", error: "destination_blocked" });
    expect((result as { message: string }).message).toMatch(/https/);
    expect(receiver.requests.length).toBe(before);
    // The same sender still delivers over https: only the scheme is refused.
    await expect(off.checkedAddresses(new URL("https://h.test/"))).resolves.toHaveLength(1);
  });

  it.each([
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00::1]/",
  ])("refuses %s without opening a connection when no range is opened", async (url) => {
    const resolver: Resolver = async () => {
      throw new Error("a literal address must not be resolved");
    };
    const client = sender(resolver, new DestinationPolicy([], { allowHttp: true }));
    const before = receiver.requests.length;
    expect(await client.post(url, {}, "{}")).toMatchObject({ kind: "error", error: "destination_blocked" });
    expect(receiver.requests.length).toBe(before);
  });

  it("treats a name that does not resolve as blocked", async () => {
    const client = sender(async () => {
      throw Object.assign(new Error("queryA ENOTFOUND"), { code: "ENOTFOUND" });
    });
    expect(await client.post("http://nowhere.test/", {}, "{}")).toMatchObject({ kind: "error", error: "destination_blocked" });
  });

  it("resolves a name through the system resolver to every address it has", async () => {
    // localhost is answered from the hosts file, on this machine only: no DNS server is asked.
    const addresses = await systemResolver("localhost");
    expect(addresses.length).toBeGreaterThan(0);
    for (const { address, family } of addresses) expect(family === 4 ? address.startsWith("127.") : address === "::1").toBe(true);
  });

  it("follows no redirect and reads a bounded part of a huge answer", async () => {
    const client = sender(async () => [{ address: "127.0.0.1", family: 4 }]);
    expect(await client.post(`http://h.test:${port}/redirect`, {}, "{}")).toMatchObject({ kind: "response", statusCode: 307 });
    expect(receiver.requests.some((r) => r.path === "/elsewhere")).toBe(false);
    const big = await client.post(`http://h.test:${port}/big`, {}, "{}");
    expect(big).toMatchObject({ kind: "response", statusCode: 200 });
    expect((big as { body: string }).body.length).toBeLessThanOrEqual(64 * 1024);
    client.close();
  });
});

describe("NodeHttpSender slow watch", () => {
  it("tells the watch once, while the POST is still open, when it outlasts the watch's time; never when answered first or cut off before it", async () => {
    const client = new NodeHttpSender({
      timeoutMs: 10_000,
      policy: loopbackOnly,
      resolver: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    const events: string[] = [];
    const watch = (name: string, afterMs: number) => ({ afterMs, onSlow: () => events.push(`${name} slow`) });
    const late = client.post(`http://h.test:${port}/late`, {}, "{}", undefined, watch("late", 50)).then((result) => {
      events.push("late answered");
      return result;
    });
    const quick = await client.post(`http://h.test:${port}/a`, {}, "{}", undefined, watch("quick", 5_000));
    expect(quick).toMatchObject({ kind: "response", statusCode: 200 });
    expect(await late).toMatchObject({ kind: "response", statusCode: 200, body: "late" });
    const cut = await client.post(`http://h.test:${port}/late`, {}, "{}", 100, watch("cut", 5_000));
    expect(cut).toMatchObject({ kind: "error", error: "timeout" });
    // Told before the answer came: the watch acts while the receiver still holds the request.
    expect(events).toEqual(["late slow", "late answered"]);
    client.close();
  });
});
