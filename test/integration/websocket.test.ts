import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { HookrelayClient, PushClosedError } from "../../clients/typescript/src/index.ts";
import { SUBSCRIBE_DEADLINE_MS } from "../../functions/core/push/deps.ts";
import { type RunningStack, startStack } from "../support/local-stack.ts";
import { openSocket, type PushFrame } from "../support/ws-client.ts";

/*
 * WebSocket push on the local stack: events go through the real intake, queue, worker and feed, and
 * a `ws` client follows the endpoint's feed as a consumer would, acking each item.
 */
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ env: { MAX_SOCKETS_PER_ENDPOINT: "2", MAX_SOCKETS_PER_TENANT: "3" } });
});

afterAll(async () => {
  await stack?.stop();
});

async function emit(tenantId: string, count: number) {
  for (let i = 0; i < count; i += 10) {
    const events = Array.from({ length: Math.min(10, count - i) }, (_, k) => ({ type: "invoice.paid", tenantId, payload: { n: i + k } }));
    const answer = await stack.api("POST", "/v1/events/batch", { events });
    expect(answer.status).toBeLessThan(300);
  }
}

/** Every item of the feed in its order, read by plain polling: what the push must match. */
async function feedIds(endpointId: string, expected: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  while (ids.length < expected) {
    const page = await stack.api("GET", `/v1/endpoints/${endpointId}/feed?limit=100&wait=5${cursor ? `&cursor=${cursor}` : ""}`);
    ids.push(...page.json.items.map((item: { id: string }) => item.id));
    cursor = page.json.cursor;
  }
  return ids;
}

/** Subscribes and acks each item as it comes, as a consumer does. */
async function follow(endpointId: string, authorization = "Bearer local-admin-key", cursor?: string) {
  const client = await openSocket(stack.websocketUrl);
  client.socket.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as PushFrame;
    if (frame.cursor && frame.type.startsWith("item")) client.send({ action: "ack", cursor: frame.cursor });
  });
  client.send({ action: "subscribe", endpointId, authorization, ...(cursor && { cursor }) });
  return client;
}

async function pollingEndpoint(tenantId: string) {
  const created = await stack.api("POST", "/v1/endpoints", { kind: "polling", eventTypes: ["invoice.paid"], tenantId });
  expect(created.status).toBe(201);
  return created.json as { id: string; secret: string };
}

describe("WebSocket push on the local stack", () => {
  it("tells its ws:// URL in GET /v1/health", async () => {
    const health = await stack.api("GET", "/v1/health");
    expect(health.json.websocketUrl).toBe(stack.websocketUrl);
    expect(stack.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it("pushes 1,000 items in feed order, each with a valid signature", async () => {
    const endpoint = await pollingEndpoint("ws-thousand");
    const client = await follow(endpoint.id);
    await emit("ws-thousand", 1000);
    await client.until(() => client.items().length >= 1000, 120_000);
    const pushed = client.items();
    expect(pushed.map((f) => f.item?.id)).toEqual(await feedIds(endpoint.id, 1000));
    const receiver = new Webhook(endpoint.secret);
    for (const frame of pushed) expect(() => receiver.verify(frame.item?.body as string, frame.item?.headers as never)).not.toThrow();
    client.socket.close();
  }, 180_000);

  it("resumes a connection killed mid-stream from its last cursor, losing and repeating nothing", async () => {
    const endpoint = await pollingEndpoint("ws-resume");
    const first = await follow(endpoint.id);
    await emit("ws-resume", 300);
    await first.until(() => first.items().length >= 120, 60_000);
    first.socket.terminate();
    const seen = first.items();
    const second = await follow(endpoint.id, "Bearer local-admin-key", seen.at(-1)?.cursor);
    const all = await feedIds(endpoint.id, 300);
    await second.until(() => seen.length + second.items().length >= all.length, 60_000);
    expect([...seen, ...second.items()].map((f) => f.item?.id)).toEqual(all);
    second.socket.close();
  }, 120_000);

  it("refuses a bad key (4401), another tenant's endpoint (4404), a webhook endpoint (4409) and a first frame that is not a subscribe (4401)", async () => {
    const mine = await pollingEndpoint("ws-mine");
    const theirs = await pollingEndpoint("ws-theirs");
    const hook = await stack.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook", tenantId: "ws-mine" });
    const key = (await stack.api("POST", "/v1/api-keys", { tenantId: "ws-mine", name: "ws" })).json.key as string;
    const cases: [unknown, number][] = [
      [{ action: "subscribe", endpointId: mine.id, authorization: "Bearer hrk_key_00000000000000000000000000000.nope" }, 4401],
      [{ action: "subscribe", endpointId: theirs.id, authorization: `Bearer ${key}` }, 4404],
      [{ action: "subscribe", endpointId: hook.json.id, authorization: `Bearer ${key}` }, 4409],
      [{ action: "ping" }, 4401],
      ["not json", 4401],
    ];
    for (const [first, code] of cases) {
      const client = await openSocket(stack.websocketUrl);
      client.send(first);
      const closed = await client.closed;
      expect({ first, code: closed.code, frame: client.frames.at(-1)?.code }).toEqual({ first, code, frame: code });
    }
    const allowed = await follow(mine.id, `Bearer ${key}`);
    await allowed.until(() => allowed.frames.length > 0);
    expect(allowed.frames[0]?.type).toBe("subscribed");
    allowed.socket.close();
  });

  it("closes a connection that sends nothing with 4401 at its deadline, through the deadline queue as in AWS (not the sweep's backstop)", async () => {
    const endpoint = await pollingEndpoint("ws-deadline");
    const openedAt = Date.now();
    const [silent, talking] = [await openSocket(stack.websocketUrl), await openSocket(stack.websocketUrl)];
    // The other subscribes at once: its deadline message finds it subscribed, and it stays open.
    talking.send({ action: "subscribe", endpointId: endpoint.id, authorization: "Bearer local-admin-key" });
    await talking.until(() => talking.frames.length > 0);
    const closed = await silent.closed;
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(SUBSCRIBE_DEADLINE_MS);
    expect(closed.code).toBe(4401);
    expect(silent.frames.at(-1)).toEqual({ type: "close", code: 4401, reason: `No subscribe within ${SUBSCRIBE_DEADLINE_MS / 1000} s` });
    talking.send({ action: "ping" });
    await talking.until(() => talking.frames.some((f) => f.type === "pong"));
    expect(talking.socket.readyState).toBe(talking.socket.OPEN);
    talking.socket.close();
  }, 60_000);

  it("holds MAX_SOCKETS_PER_ENDPOINT and MAX_SOCKETS_PER_TENANT with 4429", async () => {
    const a = await pollingEndpoint("ws-caps");
    const b = await pollingEndpoint("ws-caps");
    const open = [await follow(a.id), await follow(a.id)];
    for (const client of open) await client.until(() => client.frames.length > 0);
    const third = await follow(a.id);
    expect((await third.closed).code).toBe(4429);
    open.push(await follow(b.id));
    await open[2]?.until(() => (open[2]?.frames.length ?? 0) > 0);
    const overTenant = await follow(b.id);
    expect((await overTenant.closed).code).toBe(4429);
    for (const client of open) client.socket.close();
  });

  it("is followed by the typed client's push() iterator, in feed order, and refuses another tenant's endpoint with PushClosedError 4404", async () => {
    const endpoint = await pollingEndpoint("ws-client");
    await emit("ws-client", 20);
    const client = new HookrelayClient({ baseUrl: stack.apiUrl, apiKey: "local-admin-key" });
    const stop = new AbortController();
    const got: string[] = [];
    const cursors: string[] = [];
    for await (const item of client.push(endpoint.id, { signal: stop.signal, onCursor: (c) => cursors.push(c) })) {
      got.push(item.id);
      if (got.length === 20) stop.abort();
    }
    expect(got).toEqual(await feedIds(endpoint.id, 20));
    const theirs = await pollingEndpoint("ws-client-other");
    const key = (await stack.api("POST", "/v1/api-keys", { tenantId: "ws-client", name: "c" })).json.key as string;
    const tenant = new HookrelayClient({ baseUrl: stack.apiUrl, apiKey: key });
    const refused = await (async () => {
      for await (const _ of tenant.push(theirs.id)) return undefined;
    })().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PushClosedError);
    expect((refused as PushClosedError).code).toBe(4404);
  });
});

describe("the typed client's push() against another WebSocket server", () => {
  it("ends with PushClosedError 1002 on a frame that is not the push protocol's, instead of an uncaught exception", async () => {
    const other = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => other.once("listening", () => resolve()));
    try {
      const subscribes: string[] = [];
      other.on("connection", (socket) =>
        socket.on("message", (data) => {
          subscribes.push(String(data));
          socket.send("<html>hello</html>");
        }),
      );
      const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "hrk_k" });
      const websocketUrl = `ws://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const ended = await (async () => {
        for await (const _ of client.push("ep_1", { websocketUrl })) return undefined;
      })().catch((error: unknown) => error);
      expect(ended).toBeInstanceOf(PushClosedError);
      expect((ended as PushClosedError).code).toBe(1002);
      expect(subscribes.map((frame) => JSON.parse(frame))).toEqual([
        { action: "subscribe", endpointId: "ep_1", authorization: "Bearer hrk_k" },
      ]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
