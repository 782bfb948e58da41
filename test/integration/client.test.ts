import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HookrelayClient, HookrelayError, verify } from "../../clients/typescript/src/index.ts";
import { startOrderService } from "../../examples/order-service/service.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/* The typed client (clients/typescript) against the local stack, as a customer's service uses it. */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: HookrelayClient;

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStack(), startReceiver()]);
  admin = new HookrelayClient({ baseUrl: `${stack.apiUrl}/`, apiKey: "local-admin-key" });
});

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

describe("the TypeScript client on the local stack", () => {
  it("emits with a tenant key, and the receiver verifies the webhook with verify()", async () => {
    const { key } = await admin.createApiKey({ tenantId: "t-client", name: "shop" });
    const shop = new HookrelayClient({ baseUrl: stack.apiUrl, apiKey: key });
    const endpoint = await shop.createEndpoint({ url: `${receiver.url}/orders`, eventTypes: ["order.created"] });
    expect(endpoint.tenantId).toBe("t-client");
    const accepted = await shop.emit({ type: "order.created", payload: { order: "o_9", total: 990 } });
    expect(accepted).toMatchObject({ type: "order.created", tenantId: "t-client", endpoints: 1, replayed: false });
    const [request] = await eventually(async () => (receiver.requests.length > 0 ? receiver.requests : undefined));
    expect(verify(request?.body ?? "", request?.headers ?? {}, endpoint.secret)).toEqual({ order: "o_9", total: 990 });
    expect(() => verify(`${request?.body} `, request?.headers ?? {}, endpoint.secret)).toThrow();
    const view = await eventually(async () => {
      const got = await shop.getEvent(accepted.id);
      return got.deliveries[0]?.status === "succeeded" ? got : undefined;
    });
    expect(view.deliveries[0]).toMatchObject({ endpointId: endpoint.id, attempts: 1 });
    expect((await shop.listEventAttempts(accepted.id).all()).map((a) => a.status)).toEqual(["succeeded"]);
    expect((await shop.listEvents({ type: accepted.type }).all()).map((e) => e.id)).toContain(accepted.id);
  });

  it("makes emit idempotent with a key of yours: a repeat answers the first result", async () => {
    const event = { type: "order.paid", tenantId: "t-idem", payload: { order: "o_1" } };
    const first = await admin.emit(event, { idempotencyKey: "order-o_1-paid" });
    const repeat = await admin.emit(event, { idempotencyKey: "order-o_1-paid" });
    expect(repeat).toEqual({ ...first, replayed: true });
    const other = await admin.emit(event);
    expect(other.id).not.toBe(first.id);
  });

  it("schedules with deliverAt, lists and cancels the held message", async () => {
    const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
    await admin.createEndpoint({ url: `${receiver.url}/later`, tenantId: "t-later" });
    const accepted = await admin.emit({ type: "order.reminder", tenantId: "t-later", payload: { order: "o_2" }, deliverAt });
    expect(accepted.deliverAt).toBe(deliverAt);
    expect((await admin.listScheduled({ tenantId: "t-later" }).all()).map((m) => [m.eventId, m.state])).toEqual([[accepted.id, "waiting"]]);
    expect((await admin.cancelScheduled(accepted.id, { tenantId: "t-later" })).state).toBe("cancelled");
    expect((await admin.getScheduled(accepted.id, { tenantId: "t-later" })).state).toBe("cancelled");
    expect((await admin.getEvent(accepted.id, { tenantId: "t-later" })).schedule?.state).toBe("cancelled");
  });

  it("throws a HookrelayError with the API's code, status and details", async () => {
    const invalid = await admin.createEndpoint({ url: "not-a-url" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(HookrelayError);
    expect(invalid).toMatchObject({ status: 422, code: "validation_failed", details: [{ path: "url" }] });
    const missing = await admin.getEvent("evt_missing").catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: "not_found" });
    const conflict = await admin
      .emit({ type: "a.b", payload: 2 }, { idempotencyKey: "used-once" })
      .then(() => admin.emit({ type: "a.b", payload: 3 }, { idempotencyKey: "used-once" }).catch((e: unknown) => e));
    expect(conflict).toMatchObject({ status: 409, code: "idempotency_conflict" });
    const stranger = new HookrelayClient({ baseUrl: stack.apiUrl, apiKey: "wrong" });
    await expect(stranger.health()).resolves.toEqual({
      status: "ok",
      feedUrl: null,
      websocketUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+/),
    });
    await expect(stranger.listApiKeys().all()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("pages through a list with an async iterator, following nextCursor", async () => {
    const urls = Array.from({ length: 5 }, (_, i) => `${receiver.url}/page/${i}`);
    for (const url of urls) await admin.createEndpoint({ url, tenantId: "t-pages" });
    const pages: number[] = [];
    for await (const page of admin.listEndpoints({ tenantId: "t-pages", limit: 2 }).pages()) pages.push(page.items.length);
    expect(pages).toEqual([2, 2, 1]);
    const seen: string[] = [];
    for await (const endpoint of admin.listEndpoints({ tenantId: "t-pages", limit: 2 })) seen.push(endpoint.url ?? "");
    expect(seen.sort()).toEqual(urls.sort());
  });

  it("runs the example order service, whose orders reach the customer's endpoint once", async () => {
    const customer = await startReceiver();
    const endpoint = await admin.createEndpoint({ url: customer.url, tenantId: "t-orders", eventTypes: ["order.created"] });
    const { server, url } = await startOrderService(admin);
    try {
      const order = { id: "ord_1", customer: "t-orders", total: 4200 };
      const placed = await fetch(`${url}/orders`, { method: "POST", body: JSON.stringify(order) });
      expect(placed.status).toBe(201);
      const again = await fetch(`${url}/orders`, { method: "POST", body: JSON.stringify(order) });
      expect(((await again.json()) as any).event).toBe(((await placed.json()) as any).event);
      const [request] = await eventually(async () => (customer.requests.length > 0 ? customer.requests : undefined));
      expect(verify(request?.body ?? "", request?.headers ?? {}, endpoint.secret)).toEqual({ order: "ord_1", total: 4200 });
      expect(customer.requests).toHaveLength(1);
    } finally {
      server.close();
      await customer.close();
    }
  });

  it("emits a batch and reports each item", async () => {
    const result = await admin.emitBatch([
      { type: "a.b", tenantId: "t-batch", payload: 1 },
      { type: "", payload: 1 },
    ]);
    expect(result.items.map((item) => item.status)).toEqual([202, 422]);
  });

  it("catalogues a type, sends an example of it, and reads the catalog as webhooks", async () => {
    const schema = { type: "object", required: ["sku"], properties: { sku: { type: "string" } } };
    await admin.createEventType({ name: "stock.counted", description: "Stock counted", schema, examples: [{ sku: "s_1" }] });
    const endpoint = await admin.createEndpoint({ url: `${receiver.url}/stock`, eventTypes: ["stock.counted"] });
    const sent = await admin.sendExample(endpoint.id, "stock.counted");
    expect(sent).toMatchObject({ endpointId: endpoint.id, payload: { sku: "s_1" }, source: "stored" });
    const request = await eventually(async () => receiver.requests.find((r) => r.path === "/stock"));
    expect(verify(request.body, request.headers, endpoint.secret)).toEqual({ sku: "s_1" });
    const document = await admin.eventTypesDocument();
    expect(Object.keys(document.webhooks)).toContain("stock.counted");
    expect((await admin.schemaCheck()).items.map((i) => i.name)).not.toContain("stock.counted");
  });
});
