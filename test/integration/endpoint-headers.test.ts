import fc from "fast-check";
import * as v from "valibot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NodeHttpSender } from "../../functions/adapters/http/http-sender.ts";
import { CreateEndpoint, RESERVED_HEADER_NAMES, UpdateEndpoint } from "../../functions/core/requests/validation.ts";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * Endpoint headers as an attacker would pick them. Whatever registration lets through must be
 * deliverable by the real client to a loopback receiver; whatever a stored endpoint holds (one
 * written before a rule existed) must end as a failed attempt, never as a throw, a rejection or a
 * crashed process.
 */
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: NodeHttpSender;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 204 }));
  client = new NodeHttpSender({ timeoutMs: 5_000, policy: new DestinationPolicy(["127.0.0.0/8"], { allowHttp: true }) });
});
afterAll(async () => {
  client.close();
  await receiver.close();
});
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

/** A name in random case: Node and HTTP compare header names without case. */
const anyCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
const TOKEN_CHARS = "!#$%&'*+.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-".split("");
const token = fc.array(fc.constantFrom(...TOKEN_CHARS), { minLength: 1, maxLength: 140 }).map((c) => c.join(""));
/** Names a tenant might try: reserved ones in any case, tokens, and arbitrary strings. */
const headerName = fc.oneof(
  fc.constantFrom(...RESERVED_HEADER_NAMES).chain(anyCase),
  anyCase("webhook-x"),
  token,
  fc.string({ maxLength: 40 }),
);
/** Values: printable ASCII, Latin-1, control characters, anything. */
const headerValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 1100 }),
  fc.constantFrom("x", "chunked", "100-continue", "close", "a\r\nx-injected: 1", ""),
);
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 6 });

describe("endpoint headers", () => {
  it("refuses every reserved, hop-by-hop or framing header name in any case, on create and on update", () => {
    fc.assert(
      fc.property(fc.constantFrom(...RESERVED_HEADER_NAMES, "webhook-id", "webhook-anything").chain(anyCase), (name) => {
        const headers = { [name]: "x" };
        expect(v.safeParse(CreateEndpoint, { url: "https://example.com/", headers }).success).toBe(false);
        expect(v.safeParse(UpdateEndpoint, { headers }).success).toBe(false);
      }),
    );
  });

  it("bounds name and value lengths and the number of headers", () => {
    const parse = (h: Record<string, string>) => v.safeParse(CreateEndpoint, { url: "https://example.com/", headers: h }).success;
    expect(parse({ ["x".repeat(128)]: "v" })).toBe(true);
    expect(parse({ ["x".repeat(129)]: "v" })).toBe(false);
    expect(parse({ x: "v".repeat(1024) })).toBe(true);
    expect(parse({ x: "v".repeat(1025) })).toBe(false);
    expect(parse(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x-${i}`, "v"])))).toBe(false);
  });

  it("delivers every header set that registration accepts, through the real client, with no throw or rejection", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(headers, async (h) => {
        const parsed = v.safeParse(CreateEndpoint, { url: receiver.url, headers: h });
        fc.pre(parsed.success);
        accepted++;
        // What registration stores is what was sent: a name that could not be kept is refused, not dropped.
        expect(Object.keys(parsed.output.headers ?? {}).sort()).toEqual(Object.keys(h).sort());
        const stored = parsed.output.headers ?? {};
        const before = receiver.requests.length;
        const result = await client.post(`${receiver.url}/h`, { ...stored, "content-type": "application/json" }, "{}");
        expect(result).toMatchObject({ kind: "response", statusCode: 204 });
        const seen = receiver.requests[before]?.headers ?? {};
        // HTTP drops only spaces and tabs around a value (RFC 9110's OWS); a no-break space stays.
        for (const [name, value] of Object.entries(stored)) expect(seen[name.toLowerCase()]).toBe(value.replace(/^[ \t]+|[ \t]+$/g, ""));
      }),
      { numRuns: 300 },
    );
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
    expect(accepted).toBeGreaterThan(50);
  });

  it("delivers a Latin-1 value byte for byte, a no-break space included", async () => {
    const before = receiver.requests.length;
    expect(await client.post(`${receiver.url}/latin1`, { "x-nbsp": "\u00a0", "x-e": " caf\u00e9\t" }, "{}")).toMatchObject({
      kind: "response",
      statusCode: 204,
    });
    expect(receiver.requests[before]?.headers).toMatchObject({ "x-nbsp": "\u00a0", "x-e": "caf\u00e9" });
  });

  it("turns any stored header set, however bad, into a response or a classified failed attempt", async () => {
    await fc.assert(
      fc.asyncProperty(headers, async (h) => {
        const result = await client.post(`${receiver.url}/stored`, h, "{}");
        // A stored header the receiver objects to (an `Expect` it cannot meet answers 417) is the
        // receiver's answer like any other; what may never happen is a throw or a rejection.
        if (result.kind === "error") expect(result.error).toBe("request_invalid");
        else expect(result.statusCode).toBeGreaterThanOrEqual(200);
      }),
      { numRuns: 300 },
    );
    // Timers and sockets of refused requests have settled by now; none rejected unseen.
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });

  it.each([
    ["Trailer", "x"],
    ["tRaIlEr", "x"],
    ["x-bad", "a\r\nb"],
    ["bad name", "x"],
    ["x-wide", "\u0100"],
  ])("fails the attempt for a stored %s header instead of throwing", async (name, value) => {
    const result = await client.post(`${receiver.url}/one`, { [name]: value }, "{}");
    expect(result).toMatchObject({ kind: "error", error: "request_invalid" });
  });

  it("fails the attempt for a stored target that is not a URL", async () => {
    expect(await client.post("not a url", {}, "{}")).toMatchObject({ kind: "error", error: "request_invalid" });
  });
});
