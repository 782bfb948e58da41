import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractChecker } from "../support/contract.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * The contract test: flows through every route of the local stack, happy and failing, and every
 * answer checked against the API document (the operation's schema for the status it answered).
 * An answer outside the document, or a route the document lacks, fails the call that got it.
 */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const contract = new ContractChecker();

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStack({ env: { RETRY_SCHEDULE: "1,1" } }), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

interface CallOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

/** Calls the API and asserts the answer is one the document describes. */
async function call(method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? "local-admin-key"}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const response = await fetch(stack.apiUrl + path, { method, headers, body });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  const exchange = { method, path, status: response.status, contentType: response.headers.get("content-type"), body: json };
  expect(contract.problems(exchange)).toEqual([]);
  return { status: response.status, headers: response.headers, json };
}

describe("every answer of the API is in its document", () => {
  let endpointId: string;
  let eventId: string;
  let tenantKey: string;

  it("public routes and authentication", async () => {
    expect((await call("GET", "/v1/health", { key: null })).status).toBe(200);
    const doc = await call("GET", "/v1/openapi.json", { key: null });
    expect(doc.json).toEqual(contract.document);
    expect((await call("GET", "/v1/endpoints", { key: null })).status).toBe(401);
    expect((await call("GET", "/v1/events/evt_x", { key: "hrk_key_nope.nope" })).status).toBe(401);
  });

  it("API keys", async () => {
    const created = await call("POST", "/v1/api-keys", { body: { tenantId: "t-contract", name: "contract" } });
    expect(created.status).toBe(201);
    tenantKey = created.json.key;
    const other = await call("POST", "/v1/api-keys", { body: { tenantId: "t-contract", name: "to revoke" } });
    expect((await call("GET", "/v1/api-keys?limit=1")).json.items).toHaveLength(1);
    expect((await call("POST", "/v1/api-keys", { body: { tenantId: "t-contract" } })).status).toBe(422);
    expect((await call("POST", "/v1/api-keys", { body: { tenantId: "x", name: "y" }, key: tenantKey })).status).toBe(403);
    expect((await call("GET", "/v1/api-keys", { key: tenantKey })).status).toBe(403);
    expect((await call("DELETE", `/v1/api-keys/${other.json.id}`)).status).toBe(204);
    expect((await call("DELETE", `/v1/api-keys/${other.json.id}`)).status).toBe(404);
  });

  it("tenant records", async () => {
    // The tenant's first API key wrote its record; the admin names it, and the key reads it.
    expect((await call("GET", "/v1/tenants/t-contract", { key: tenantKey })).json).toMatchObject({ id: "t-contract", metadata: {} });
    expect((await call("PATCH", "/v1/tenants/t-contract", { body: { name: "Contract Inc.", metadata: { plan: "pro" } } })).status).toBe(
      200,
    );
    expect((await call("POST", "/v1/tenants", { body: { id: "t-named", name: "Named" } })).status).toBe(201);
    expect((await call("POST", "/v1/tenants", { body: { id: "t-named" } })).status).toBe(409);
    expect((await call("POST", "/v1/tenants", { body: { id: "no spaces" } })).status).toBe(422);
    const listed = await call("GET", "/v1/tenants?limit=100");
    expect(listed.json.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(["t-contract", "t-named"]));
    expect((await call("GET", "/v1/tenants/t-named", { key: tenantKey })).status).toBe(404);
    expect((await call("PATCH", "/v1/tenants/t-contract", { body: { name: "x" }, key: tenantKey })).status).toBe(403);
  });

  it("endpoints", async () => {
    const created = await call("POST", "/v1/endpoints", {
      body: { url: `${receiver.url}/hook`, eventTypes: ["order.paid"], headers: { "x-shop": "1" }, rateLimitPerSecond: 50 },
      key: tenantKey,
    });
    expect(created.status).toBe(201);
    endpointId = created.json.id;
    expect((await call("POST", "/v1/endpoints", { body: { url: "ftp://x.example" }, key: tenantKey })).status).toBe(422);
    expect((await call("POST", "/v1/endpoints", { rawBody: "{", key: tenantKey })).status).toBe(400);
    expect((await call("POST", "/v1/endpoints", { rawBody: "url=x", contentType: "text/plain" })).status).toBe(415);
    expect((await call("POST", "/v1/endpoints", { body: { url: "https://a.example", tenantId: "else" }, key: tenantKey })).status).toBe(
      403,
    );
    expect((await call("GET", "/v1/endpoints?tenantId=t-contract&limit=10")).json.items).toHaveLength(1);
    expect((await call("GET", "/v1/endpoints?limit=0")).status).toBe(400);
    expect((await call("GET", "/v1/endpoints?tenantId=no%20spaces")).status).toBe(422);
    expect((await call("GET", "/v1/endpoints?cursor=garbage")).status).toBe(400);
    expect((await call("GET", `/v1/endpoints/${endpointId}`, { key: tenantKey })).json.circuit).toEqual({ state: "closed" });
    expect((await call("GET", "/v1/endpoints/ep_missing")).status).toBe(404);
    const patched = await call("PATCH", `/v1/endpoints/${endpointId}`, { body: { description: "contract", retrySchedule: null } });
    expect(patched.json.description).toBe("contract");
    expect((await call("PATCH", `/v1/endpoints/${endpointId}`, { body: { unknown: 1 } })).status).toBe(422);
    expect((await call("GET", `/v1/endpoints/${endpointId}/secret`)).json.secret).toMatch(/^whsec_/);
    const rotated = await call("POST", `/v1/endpoints/${endpointId}/secret/rotate`, { body: { gracePeriodSeconds: 60 } });
    expect(rotated.json.previous).toHaveLength(1);
    expect((await call("POST", `/v1/endpoints/${endpointId}/secret/rotate`)).status).toBe(200);
  });

  it("events", async () => {
    const event = { type: "order.paid", payload: { order: "o_1", total: 1200 } };
    const emitted = await call("POST", "/v1/events", { body: event, key: tenantKey, headers: { "idempotency-key": "order-o_1" } });
    expect(emitted.status).toBe(202);
    eventId = emitted.json.id;
    const repeat = await call("POST", "/v1/events", { body: event, key: tenantKey, headers: { "idempotency-key": "order-o_1" } });
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    const conflict = await call("POST", "/v1/events", {
      body: { ...event, payload: {} },
      key: tenantKey,
      headers: { "idempotency-key": "order-o_1" },
    });
    expect(conflict.status).toBe(409);
    expect((await call("POST", "/v1/events", { body: event, headers: { "idempotency-key": "k".repeat(256) } })).status).toBe(400);
    expect((await call("POST", "/v1/events", { body: { ...event, tenantId: "else" }, key: tenantKey })).status).toBe(403);
    expect((await call("POST", "/v1/events", { body: { type: "no spaces", payload: 1 } })).status).toBe(422);
    expect((await call("POST", "/v1/events", { rawBody: JSON.stringify({ type: "a", payload: "x".repeat(300_000) }) })).status).toBe(413);
    const batch = await call("POST", "/v1/events/batch", { body: { events: [event, { type: "" }] }, key: tenantKey });
    expect(batch.json.items.map((i: { status: number }) => i.status)).toEqual([202, 422]);
    expect((await call("POST", "/v1/events/batch", { body: { events: [] } })).status).toBe(422);
    const view = await eventually(async () => {
      const got = await call("GET", `/v1/events/${eventId}`, { key: tenantKey });
      return got.json.deliveries[0]?.status === "succeeded" ? got : undefined;
    });
    expect(view.json.payload).toEqual(event.payload);
    expect((await call("GET", "/v1/events/evt_missing")).status).toBe(404);
    expect((await call("GET", `/v1/events/${eventId}/attempts?tenantId=t-contract&limit=5`)).json.items).toHaveLength(1);
    expect((await call("GET", `/v1/events/${eventId}/attempts?tenantId=t-contract&cursor=garbage`)).status).toBe(400);
    expect((await call("GET", `/v1/endpoints/${endpointId}/attempts?status=succeeded`)).json.items.length).toBeGreaterThan(0);
    expect((await call("GET", `/v1/endpoints/${endpointId}/attempts?status=weird`)).status).toBe(422);
    const listed = await call("GET", "/v1/events?tenantId=t-contract&limit=5");
    expect(listed.json.items.map((e: { id: string }) => e.id)).toContain(eventId);
    expect((await call("GET", "/v1/events?tenantId=t-contract&before=2024-02-31T00:00:00Z")).status).toBe(400);
    const stats = await call("GET", `/v1/endpoints/${endpointId}/stats`);
    expect(stats.json.hours).toHaveLength(24);
    expect((await call("GET", `/v1/endpoints/${endpointId}/line`)).json).toMatchObject({
      ordering: "none",
      state: "unordered",
      head: null,
    });
    const ordered = await call("POST", "/v1/endpoints", {
      body: { url: `${receiver.url}/ordered`, tenantId: "t-contract", ordering: "fifo" },
    });
    expect((await call("GET", `/v1/endpoints/${ordered.json.id}/line`)).json).toMatchObject({ ordering: "fifo", state: "clear" });
    expect((await call("GET", "/v1/endpoints/ep_missing/line")).status).toBe(404);
  });

  it("scheduled delivery", async () => {
    const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
    const held = await call("POST", "/v1/events", { body: { type: "order.paid", payload: { later: true }, deliverAt }, key: tenantKey });
    expect(held.json.deliverAt).toBe(deliverAt);
    const far = new Date(Date.now() + 400 * 3_600_000).toISOString();
    expect((await call("POST", "/v1/events", { body: { type: "order.paid", payload: 1, deliverAt: far }, key: tenantKey })).status).toBe(
      422,
    );
    const listed = await call("GET", "/v1/scheduled?limit=5", { key: tenantKey });
    expect(listed.json.items.map((i: { eventId: string }) => i.eventId)).toContain(held.json.id);
    expect((await call("GET", `/v1/scheduled/${held.json.id}`, { key: tenantKey })).json.state).toBe("waiting");
    expect((await call("GET", "/v1/scheduled/evt_missing", { key: tenantKey })).status).toBe(404);
    expect((await call("DELETE", `/v1/scheduled/${held.json.id}`, { key: tenantKey })).json.state).toBe("cancelled");
    expect((await call("GET", `/v1/events/${held.json.id}`, { key: tenantKey })).json.schedule.state).toBe("cancelled");
  });

  it("polling endpoints and their feed", async () => {
    const created = await call("POST", "/v1/endpoints", { body: { kind: "polling", eventTypes: ["order.shipped"] }, key: tenantKey });
    expect(created.json).toMatchObject({ kind: "polling", eventTypes: ["order.shipped"] });
    const polling = created.json.id;
    const refused = await call("POST", "/v1/endpoints", { body: { kind: "polling", url: "https://a.example" }, key: tenantKey });
    expect(refused.json.error.code).toBe("validation_failed");
    expect((await call("PATCH", `/v1/endpoints/${polling}`, { body: { headers: { "x-a": "b" } } })).status).toBe(422);
    const empty = await call("GET", `/v1/endpoints/${polling}/feed`, { key: tenantKey });
    expect(empty.json.items).toEqual([]);
    await call("POST", "/v1/events", { body: { type: "order.shipped", payload: { order: "o_1" } }, key: tenantKey });
    const read = await call("GET", `/v1/endpoints/${polling}/feed?wait=10&limit=10&cursor=${empty.json.cursor}`, { key: tenantKey });
    expect(read.json.items.map((i: { payload: unknown }) => i.payload)).toEqual([{ order: "o_1" }]);
    expect((await call("GET", `/v1/endpoints/${polling}/feed?wait=21`)).json.error).toMatchObject({
      code: "invalid_request",
      details: [{ path: "wait" }],
    });
    expect((await call("GET", `/v1/endpoints/${polling}/feed?limit=101`)).json.error).toMatchObject({
      code: "invalid_request",
      details: [{ path: "limit" }],
    });
    expect((await call("GET", `/v1/endpoints/${polling}/feed?cursor=garbage`)).json.error).toMatchObject({
      code: "invalid_request",
      details: [{ path: "cursor" }],
    });
    expect((await call("GET", `/v1/endpoints/${endpointId}/feed`)).json.error.code).toBe("not_a_polling_endpoint");
    expect((await call("GET", "/v1/endpoints/ep_missing/feed")).json.error.code).toBe("not_found");
    expect((await call("DELETE", `/v1/endpoints/${polling}`)).status).toBe(204);
  });

  it("portal sessions", async () => {
    const opened = await call("POST", "/v1/portal-sessions", {
      body: { tenantId: "t-contract", endpointIds: [endpointId] },
      key: tenantKey,
    });
    expect(opened.status).toBe(201);
    const portal = { key: null, headers: { authorization: `Portal ${opened.json.token}` } };
    expect((await call("GET", "/v1/endpoints", portal)).json.items.map((e: { id: string }) => e.id)).toEqual([endpointId]);
    expect((await call("GET", "/v1/api-keys", portal)).status).toBe(403);
    expect((await call("GET", "/v1/endpoints", { key: null, headers: { authorization: "Portal hrp_x.y" } })).status).toBe(401);
    expect((await call("POST", "/v1/portal-sessions", { body: { tenantId: "else" }, key: tenantKey })).status).toBe(403);
    expect((await call("POST", "/v1/portal-sessions", { body: { tenantId: "t-contract", endpointIds: ["ep_missing"] } })).status).toBe(404);
    expect((await call("POST", "/v1/portal-sessions", { body: { tenantId: "t-contract", expiresIn: 86_401 } })).status).toBe(422);
  });

  it("replay and recovery", async () => {
    const replayed = await call("POST", `/v1/events/${eventId}/replay`, { body: { endpointId, tenantId: "t-contract" } });
    expect(replayed.json.chains).toHaveLength(1);
    expect((await call("POST", `/v1/events/${eventId}/replay`, { body: { tenantId: "t-contract" } })).status).toBe(202);
    expect((await call("POST", `/v1/events/${eventId}/replay`)).status).toBe(404);
    expect(
      (await call("POST", `/v1/events/${eventId}/replay`, { body: { endpointId: "ep_missing", tenantId: "t-contract" } })).status,
    ).toBe(404);
    await call("PATCH", `/v1/endpoints/${endpointId}`, { body: { enabled: false } });
    expect((await call("POST", `/v1/events/${eventId}/replay`, { body: { endpointId, tenantId: "t-contract" } })).status).toBe(409);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    expect((await call("POST", `/v1/endpoints/${endpointId}/recover`, { body: { since } })).status).toBe(409);
    await call("PATCH", `/v1/endpoints/${endpointId}`, { body: { enabled: true } });
    expect((await call("POST", `/v1/endpoints/${endpointId}/recover`, { body: { since: "yesterday" } })).status).toBe(422);
    const recovery = await call("POST", `/v1/endpoints/${endpointId}/recover`, { body: { since } });
    expect(recovery.status).toBe(202);
    const done = await eventually(async () => {
      const got = await call("GET", `/v1/endpoints/${endpointId}/recoveries/${recovery.json.id}`);
      return got.json.status === "completed" ? got : undefined;
    });
    expect(done.json.scanned).toBeGreaterThan(0);
    expect((await call("GET", `/v1/endpoints/${endpointId}/recoveries/rcv_missing`)).status).toBe(404);
    expect((await call("DELETE", `/v1/endpoints/${endpointId}`)).status).toBe(204);
    expect((await call("DELETE", `/v1/endpoints/${endpointId}`)).status).toBe(404);
  });

  it("event types: the catalog, and payloads held to a type's schema at emit", async () => {
    const schema = {
      type: "object",
      required: ["sku", "quantity"],
      properties: { sku: { type: "string" }, quantity: { type: "integer", minimum: 1 } },
    };
    const created = await call("POST", "/v1/event-types", { body: { name: "stock.reserved", description: "Stock reserved", schema } });
    expect(created.json).toMatchObject({ name: "stock.reserved", schema, archived: false });
    expect((await call("POST", "/v1/event-types", { body: { name: "stock.reserved", description: "again" } })).status).toBe(409);
    const badSchema = await call("POST", "/v1/event-types", { body: { name: "stock.bad", description: "x", schema: { type: 5 } } });
    expect(badSchema.json.error.code).toBe("invalid_schema");
    const lookahead = { type: "object", properties: { sku: { type: "string", pattern: "^(?=.*\\d)\\w+$" } } };
    const unsafe = await call("POST", "/v1/event-types", { body: { name: "stock.bad", description: "x", schema: lookahead } });
    expect(unsafe.json.error).toMatchObject({ code: "invalid_schema", details: [{ path: "schema.properties.sku.pattern" }] });
    expect((await call("POST", "/v1/event-types", { body: { name: "x", description: "x" }, key: tenantKey })).status).toBe(403);
    const listed = await call("GET", "/v1/event-types?limit=10", { key: tenantKey });
    expect(listed.json.items.map((t: { name: string }) => t.name)).toContain("stock.reserved");
    expect((await call("GET", "/v1/event-types/stock.reserved", { key: tenantKey })).json.schema).toEqual(schema);
    expect((await call("GET", "/v1/event-types/stock.missing")).status).toBe(404);

    const valid = await call("POST", "/v1/events", {
      body: { type: "stock.reserved", payload: { sku: "s1", quantity: 2 } },
      key: tenantKey,
    });
    expect(valid.status).toBe(202);
    const invalid = await call("POST", "/v1/events", {
      body: { type: "stock.reserved", payload: { sku: "s1", quantity: 0 } },
      key: tenantKey,
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error).toMatchObject({ code: "schema_validation_failed", details: [{ path: "payload.quantity" }] });

    // The catalog as webhooks, for receivers to generate payload types from.
    const document = await call("GET", "/v1/event-types/openapi.json", { key: tenantKey });
    expect(document.json.webhooks["stock.reserved"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Event_stock.reserved",
    });
    expect(document.json.components.schemas["Event_stock.reserved"]).toEqual(schema);

    // The migration check: nothing registration accepted today is refused.
    expect((await call("GET", "/v1/schema-check")).json).toEqual({ items: [] });

    // An endpoint subscribing to a type the catalog lacks is saved, with a warning.
    const endpoint = await call("POST", "/v1/endpoints", {
      body: { url: `${receiver.url}/example`, eventTypes: ["stock.reserved", "stock.typo"] },
      key: tenantKey,
    });
    expect(endpoint.json.warnings).toEqual([{ code: "unknown_event_type", eventType: "stock.typo", message: expect.any(String) }]);
    const example = await call("POST", `/v1/endpoints/${endpoint.json.id}/send-example`, {
      body: { eventType: "stock.reserved" },
      key: tenantKey,
    });
    expect(example.json).toMatchObject({ endpointId: endpoint.json.id, source: "generated" });
    const delivered = await eventually(async () => receiver.requests.find((r) => r.path === "/example"));
    expect(delivered.headers["webhook-id"]).toBe(example.json.messageId);
    expect(JSON.parse(delivered.body)).toEqual(example.json.payload);
    const secret = (await call("GET", `/v1/endpoints/${endpoint.json.id}/secret`, { key: tenantKey })).json.secret;
    expect(() => new Webhook(secret).verify(delivered.body, delivered.headers)).not.toThrow();
    expect((await call("POST", "/v1/endpoints/ep_missing/send-example", { body: { eventType: "stock.reserved" } })).status).toBe(404);

    const archived = await call("PATCH", "/v1/event-types/stock.reserved", { body: { archived: true } });
    expect(archived.json.archived).toBe(true);
    const refused = await call("POST", "/v1/events", { body: { type: "stock.reserved", payload: { sku: "s1", quantity: 2 } } });
    expect(refused.json.error.code).toBe("event_type_archived");
    expect((await call("DELETE", "/v1/event-types/stock.reserved")).status).toBe(204);
    expect((await call("DELETE", "/v1/event-types/stock.reserved")).status).toBe(404);
    // Gone from the catalog, the type is accepted unchecked again.
    expect((await call("POST", "/v1/events", { body: { type: "stock.reserved", payload: { anything: true } } })).status).toBe(202);
  });

  it("data lifecycle: payload expunge and tenant deletion", async () => {
    const tenant = "t-contract-gone";
    const event = await call("POST", "/v1/events", { body: { tenantId: tenant, type: "a.b", payload: { secret: "x" } } });
    expect(event.status).toBe(202);
    const expunged = await call("DELETE", `/v1/events/${event.json.id}/payload?tenantId=${tenant}`);
    expect(expunged.status).toBe(200);
    expect((await call("DELETE", `/v1/events/evt_never_made/payload?tenantId=${tenant}`)).status).toBe(404);
    expect((await call("GET", `/v1/tenants/${tenant}/deletion`)).status).toBe(404);
    expect((await call("DELETE", `/v1/tenants/${tenant}`)).status).toBe(202);
    expect((await call("GET", `/v1/tenants/${tenant}/deletion`)).json).toMatchObject({ tenantId: tenant, state: "removing" });
    expect((await call("DELETE", `/v1/tenants/${tenant}`, { key: tenantKey })).status).toBe(403);
  });

  it("answers a tenant's destination access, and registers and shows an AWS destination as documented", async () => {
    const access = await call("GET", "/v1/destination-access?tenantId=default");
    expect(access.json.externalId).toMatch(/^hookrelay-/);
    const created = await call("POST", "/v1/endpoints", {
      body: { kind: "sqs", queueUrl: "http://127.0.0.1:9/000000000000/contract-it", eventTypes: ["contract.aws"] },
    });
    expect(created.status).toBe(201);
    expect(created.json.destination).toMatchObject({ queueUrl: "http://127.0.0.1:9/000000000000/contract-it", account: "000000000000" });
    expect((await call("GET", `/v1/endpoints/${created.json.id}`)).json.kind).toBe("sqs");
    expect((await call("DELETE", `/v1/endpoints/${created.json.id}`)).status).toBe(204);
  });

  it("got a documented success from every operation of the document", () => {
    const succeeded = [...contract.seen].filter(([, statuses]) => [...statuses].some((s) => s < 300)).map(([op]) => op);
    expect(succeeded.sort()).toEqual(contract.operations().sort());
  });
});
