import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { heldPort } from "../support/free-port.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * The running stack (`npm start`'s entry, in its own process) never delivers to itself. Every range
 * is opened here, so only the own-socket rule stands between a tenant and the stack's API, its
 * DynamoDB and SQS emulators and its fault proxies: the attack it stops points an endpoint at the
 * DynamoDB emulator with forged `x-amz-*` headers and reads the answer back from the attempt log.
 */
const WIDE_OPEN = { DESTINATION_ALLOW_CIDRS: "0.0.0.0/0,::/0", RETRY_SCHEDULE: "600" };
/** Every way of writing an address that lands on a loopback listener of this machine. */
const SPELLINGS = ["127.0.0.1", "localhost", "127.0.0.2", "127.255.255.254", "[::1]", "0.0.0.0", "[::]", "[::ffff:127.0.0.1]"];
const FORGED = { "x-amz-target": "DynamoDB_20120810.Scan", "x-amz-date": "20260101T000000Z" };
const EMULATOR_OUTPUT = /amazonaws|__type|TableName|QueueUrl|<\?xml|"Items"/;

const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-self-"));
const stacks: RunningStack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startStack>[0]) {
  const stack = await startStack(options);
  stacks.push(stack);
  return stack;
}

/**
 * A loopback port held by a placeholder listener until `release`: another test file's server cannot
 * take it in the meantime (it did once, between a closed probe and the stack's restart).
 */
describe("the local stack and its own sockets", () => {
  it("refuses endpoints aimed at its API, emulator or proxy ports in any spelling, on create and on update", async () => {
    const stack = await start({ env: WIDE_OPEN, args: ["--fault-injection"] });
    const ports = stack.listening.map((url) => new URL(url).port);
    // The API, the WebSocket server, both emulators and both fault proxies, and the customer account's
    // emulators, proxies and recording servers (AWS destinations): each a distinct port.
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.length).toBeGreaterThanOrEqual(6);
    for (const url of [stack.apiUrl, stack.dynamoUrl, stack.sqsUrl]) expect(stack.listening).toContain(url);

    const receiver = await startReceiver(() => ({ status: 200, body: "ok" }));
    try {
      const allowed = await stack.api("POST", "/v1/endpoints", { url: receiver.url, tenantId: "t-self", headers: FORGED });
      expect(allowed.status).toBe(201);
      for (const port of ports) {
        for (const host of SPELLINGS) {
          const url = `http://${host}:${port}/`;
          const created = await stack.api("POST", "/v1/endpoints", { url, tenantId: "t-self", headers: FORGED });
          expect({ url, status: created.status, code: created.json?.error?.code }).toEqual({
            url,
            status: 422,
            code: "destination_not_allowed",
          });
          const updated = await stack.api("PATCH", `/v1/endpoints/${allowed.json.id}`, { url });
          expect({ url, status: updated.status, code: updated.json?.error?.code }).toEqual({
            url,
            status: 422,
            code: "destination_not_allowed",
          });
        }
      }
      // The stack still delivers to a receiver of its own machine that is not one of its sockets.
      const event = (await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-self" })).json;
      await eventually(async () => receiver.requests.length === 1);
      // The worker logs the attempt once the receiver has answered: a moment after the request arrived.
      const attempts = await eventually(async () => {
        const items = (await stack.api("GET", `/v1/events/${event.id}/attempts?tenantId=t-self`)).json.items;
        return items.length > 0 && items;
      });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ statusCode: 200, responseBody: "ok" });
    } finally {
      await receiver.close();
    }
    expect(await stack.stop("SIGTERM")).toBe(0);
  });

  it("blocks at delivery an endpoint whose port became the stack's own, with no answer recorded", async () => {
    // Registered while only a placeholder holds the port; after a restart the stack's API holds it.
    const { port, release } = await heldPort();
    const first = await start({ dataDir, env: WIDE_OPEN });
    const endpoints = [];
    for (const host of ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"]) {
      const created = await first.api("POST", "/v1/endpoints", { url: `http://${host}:${port}/`, tenantId: "t-later", headers: FORGED });
      expect(created.status).toBe(201);
      endpoints.push(created.json.id);
    }
    expect(await first.stop("SIGTERM")).toBe(0);

    await release();
    // WS_PORT=0: unset it is PORT + 1, which a server of another test file may hold.
    const second = await start({ dataDir, env: { ...WIDE_OPEN, PORT: String(port), WS_PORT: "0" } });
    expect(new URL(second.apiUrl).port).toBe(String(port));
    const event = (await second.api("POST", "/v1/events", { type: "a", payload: { probe: true }, tenantId: "t-later" })).json;
    expect(event.endpoints).toBe(3);
    const attempts = await eventually(async () => {
      const page = (await second.api("GET", `/v1/events/${event.id}/attempts?tenantId=t-later`)).json.items;
      return page.length === 3 ? page : undefined;
    });
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ status: "failed", error: "destination_blocked" });
      expect(attempt.statusCode).toBeUndefined();
      expect(attempt.responseBody ?? "").not.toMatch(EMULATOR_OUTPUT);
    }
    expect(attempts.map((a: { endpointId: string }) => a.endpointId).sort()).toEqual([...endpoints].sort());
    expect(await second.stop("SIGTERM")).toBe(0);
  });
});
