import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API_KEY_CACHE_SECONDS } from "../../functions/core/access/api-key-cache.ts";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";
import { apiEvent } from "../support/api-event.ts";
import { eventually } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * Two API containers with caches of their own on the same emulators: A is the local stack's API
 * (functions/api/index.ts as Lambda loads it, with its delivery worker), B a second copy of the same
 * module, imported afresh, so its key, tenant and event-type caches are its own. B's clock is held
 * still and moved by the test: no wait, no timed assertion.
 */
let stack: LocalStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let containerB: Handler;
/** B's clock (ms): it moves only when a test moves it. */
let bNow = Date.now();

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startLocalStack({
    port: 0,
    dataDir: undefined,
    deadLetterConsumer: false,
    concurrency: 2,
    deliverAutomatically: true,
    faultInjection: false,
    sweepIntervalMs: false,
    log: () => undefined,
  });
  // The stack set the environment (emulators, table, queues, admin key) and loaded A; B is the same module loaded again.
  vi.resetModules();
  const clock = await import("../../functions/core/kernel/clock.ts");
  vi.spyOn(clock.systemClock, "now").mockImplementation(() => new Date(bNow));
  containerB = (await import("../../functions/api/index.ts")).handler as unknown as Handler;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
  await receiver?.close();
});

async function onA(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function onB(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: any }> {
  const out = await containerB(apiEvent(method, path, { key, ...(body !== undefined && { body }) }), {} as Context);
  return { status: out.statusCode ?? 0, json: out.body ? JSON.parse(out.body) : undefined };
}

async function tenantKey(tenantId: string): Promise<{ id: string; key: string }> {
  const created = await onA("POST", "/v1/api-keys", stack.adminKey, { tenantId, name: "cache test" });
  expect(created.status).toBe(201);
  return created.json;
}

describe("two API containers with caches of their own", () => {
  it("an event emitted on B right after an endpoint's 201 on A goes to that endpoint, however warm B's caches are", async () => {
    const { key } = await tenantKey("t-window");
    // B has read the key, the tenant and its (empty) endpoint list before any endpoint exists.
    const before = await onB("POST", "/v1/events", key, { type: "order.paid", payload: { n: 0 } });
    expect(before.status).toBe(202);
    expect(before.json.endpoints).toBe(0);
    // Each new endpoint, of whatever filter, receives the very next event B takes.
    const filters = [undefined, ["order.paid"], ["order.paid", "order.refunded"]];
    for (const [i, eventTypes] of filters.entries()) {
      const created = await onA("POST", "/v1/endpoints", key, { url: `${receiver.url}/ep${i}`, ...(eventTypes && { eventTypes }) });
      expect(created.status).toBe(201);
      const emitted = await onB("POST", "/v1/events", key, { type: "order.paid", payload: { n: i + 1 } });
      expect(emitted.status).toBe(202);
      expect(emitted.json.endpoints).toBe(i + 1);
      await eventually(async () => receiver.requests.some((r) => r.path === `/ep${i}` && JSON.parse(r.body).n === i + 1), 60_000);
    }
  });

  it("a key revoked on A is refused by A at once and by B once B's cache bound has passed", async () => {
    const { id, key } = await tenantKey("t-revoke");
    const emit = { type: "order.paid", payload: { n: 1 } };
    // B reads the key now (its clock stands still), A too.
    expect((await onB("POST", "/v1/events", key, emit)).status).toBe(202);
    expect((await onA("POST", "/v1/events", key, emit)).status).toBe(202);
    expect((await onA("DELETE", `/v1/api-keys/${id}`, stack.adminKey)).status).toBe(204);
    expect((await onA("POST", "/v1/events", key, emit)).status).toBe(401);
    // Within the bound B still trusts what it read before the revocation...
    expect((await onB("POST", "/v1/events", key, emit)).status).toBe(202);
    // ...and at the bound, counted from that read (which came before the revocation), it no longer does.
    bNow += API_KEY_CACHE_SECONDS * 1000;
    const refused = await onB("POST", "/v1/events", key, emit);
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe("unauthorized");
  });

  it("a key created on A works on B at once, and B checks the secret of a key it has cached", async () => {
    const { id, key } = await tenantKey("t-new");
    expect((await onB("POST", "/v1/events", key, { type: "a", payload: {} })).status).toBe(202);
    const wrong = `hrk_${id}.${"A".repeat(43)}`;
    expect((await onB("POST", "/v1/events", wrong, { type: "a", payload: {} })).status).toBe(401);
  });
});
