import { createHash } from "node:crypto";
import type { Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function setup() {
  const deps = {
    ...memoryApiDeps(),
    maxBodyBytes: 4096,
    checkUrl: async (url: string) => {
      if (url.includes("10.0.0.1")) throw new ApiError("destination_not_allowed", "private");
    },
  };
  const authenticator = new Authenticator("admin-key", deps.apiKeys);
  const handler = createApiHandler(deps, async () => authenticator, silent);
  const call = async (...args: Parameters<typeof apiEvent>) => {
    const response = await handler(apiEvent(...args), {} as Context);
    return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return { deps, call };
}

describe("API handler", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it("answers health without a key", async () => {
    expect(await t.call("GET", "/v1/health", { key: null })).toMatchObject({ statusCode: 200, json: { status: "ok" } });
  });

  it.each([null, "wrong", ""])("refuses key %j with 401 and WWW-Authenticate", async (key) => {
    const response = await t.call("GET", "/v1/endpoints", { key });
    expect(response.statusCode).toBe(401);
    expect(response.headers?.["www-authenticate"]).toMatch(/^Bearer/);
    expect(response.json.error.code).toBe("unauthorized");
  });

  it("creates an endpoint, showing the secret only at creation and on the secret route", async () => {
    const created = await t.call("POST", "/v1/endpoints", {
      body: { url: "https://a.example/hook", eventTypes: ["a.b"], headers: { "x-k": "v" } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({
      url: "https://a.example/hook",
      eventTypes: ["a.b"],
      tenantId: "default",
      enabled: true,
      headers: { "x-k": "v" },
      description: null,
    });
    expect(created.json.secret).toMatch(/^whsec_/);
    const id = created.json.id;
    const fetched = await t.call("GET", `/v1/endpoints/${id}`);
    expect(fetched.json.secret).toBeUndefined();
    expect((await t.call("GET", "/v1/endpoints")).json.items[0].secret).toBeUndefined();
    expect((await t.call("GET", `/v1/endpoints/${id}/secret`)).json).toEqual({ secret: created.json.secret });
  });

  it("updates and deletes an endpoint", async () => {
    const { json } = await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook", eventTypes: ["a"] } });
    const patched = await t.call("PATCH", `/v1/endpoints/${json.id}`, { body: { enabled: false, eventTypes: null, description: "d" } });
    expect(patched.json).toMatchObject({ enabled: false, eventTypes: null, description: "d", url: "https://a.example/hook" });
    expect((await t.call("DELETE", `/v1/endpoints/${json.id}`)).statusCode).toBe(204);
    expect((await t.call("GET", `/v1/endpoints/${json.id}`)).statusCode).toBe(404);
    expect((await t.call("DELETE", `/v1/endpoints/${json.id}`)).statusCode).toBe(404);
  });

  it("lists endpoints per tenant with a cursor", async () => {
    for (let i = 0; i < 3; i++) await t.call("POST", "/v1/endpoints", { body: { url: `https://a.example/${i}`, tenantId: "acme" } });
    const first = await t.call("GET", "/v1/endpoints?tenantId=acme&limit=2");
    expect(first.json.items).toHaveLength(2);
    const second = await t.call("GET", `/v1/endpoints?tenantId=acme&limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items).toHaveLength(1);
    expect(second.json.nextCursor).toBeNull();
    expect((await t.call("GET", "/v1/endpoints")).json.items).toHaveLength(0);
  });

  it("accepts an event with 202 and replays it for the same Idempotency-Key", async () => {
    await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook" } });
    const headers = { "idempotency-key": "abc" };
    const first = await t.call("POST", "/v1/events", { body: { type: "a", payload: { n: 1 } }, headers });
    expect(first.statusCode).toBe(202);
    expect(first.json).toMatchObject({ type: "a", tenantId: "default", endpoints: 1 });
    const again = await t.call("POST", "/v1/events", { body: { type: "a", payload: { n: 1 } }, headers });
    expect(again.json).toEqual(first.json);
    expect(again.headers?.["idempotent-replayed"]).toBe("true");
    const conflict = await t.call("POST", "/v1/events", { body: { type: "a", payload: { n: 2 } }, headers });
    expect(conflict).toMatchObject({ statusCode: 409, json: { error: { code: "idempotency_conflict" } } });
    expect(t.deps.queue.sent).toHaveLength(1);
  });

  it("answers a batch with one result per event, in order", async () => {
    const response = await t.call("POST", "/v1/events/batch", {
      body: { events: [{ type: "a", payload: 1 }, { type: 5 }, { type: "b", payload: 2 }] },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json.items.map((i: { status: number }) => i.status)).toEqual([202, 422, 202]);
    expect(response.json.items[1].error.code).toBe("validation_failed");
    expect(response.json.items[2].event.type).toBe("b");
  });

  it("answers HEAD as GET would, status and headers, without a body, and names HEAD wherever GET is allowed", async () => {
    const created = await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook" } });
    for (const path of ["/v1/health", "/v1/endpoints", `/v1/endpoints/${created.json.id}`, "/v1/endpoints/ep_missing", "/v1/nope"]) {
      const get = await t.call("GET", path);
      const head = await t.call("HEAD", path);
      expect({ path, status: head.statusCode, type: head.headers?.["content-type"] }).toEqual({
        path,
        status: get.statusCode,
        type: get.headers?.["content-type"],
      });
      expect(get.body, path).not.toBe("");
      expect(head.body, path).toBe("");
    }
    const refused = await t.call("PUT", `/v1/endpoints/${created.json.id}`, { body: {} });
    expect(refused.statusCode).toBe(405);
    expect(refused.headers?.allow).toBe("GET, HEAD, PATCH, DELETE");
  });

  it("answers 503 with Retry-After, never 202, when SQS is down", async () => {
    t.deps.queue.outage.down = true;
    await t.deps.endpoints.put({ ...(await import("../support/fakes.ts")).endpointFixture() });
    const response = await t.call("POST", "/v1/events", { body: { type: "a", payload: 1 } });
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe("5");
    expect(response.json.error.code).toBe("dependency_unavailable");
  });

  it.each([
    ["POST", "/v1/endpoints", 400, "invalid_json", { rawBody: "{nope" }],
    ["POST", "/v1/endpoints", 415, "unsupported_media_type", { rawBody: "{}", headers: { "content-type": "text/plain" } }],
    ["POST", "/v1/endpoints", 413, "payload_too_large", { body: { url: "x".repeat(5000) } }],
    ["POST", "/v1/events", 413, "payload_too_large", { body: { type: "a", payload: "x".repeat(5000) } }],
    ["POST", "/v1/endpoints", 422, "validation_failed", { body: { url: "ftp://a.example" } }],
    ["POST", "/v1/endpoints", 422, "validation_failed", { body: { url: "https://user:pw@a.example" } }],
    ["POST", "/v1/endpoints", 422, "validation_failed", { body: { url: "https://a.example", extra: 1 } }],
    ["POST", "/v1/endpoints", 422, "validation_failed", { body: { url: "https://a.example", headers: { "webhook-id": "x" } } }],
    ["POST", "/v1/endpoints", 422, "validation_failed", { body: { url: "https://a.example", secret: "nope" } }],
    ["POST", "/v1/endpoints", 422, "destination_not_allowed", { body: { url: "http://10.0.0.1/" } }],
    ["POST", "/v1/endpoints", 422, "validation_failed", { body: [] }],
    ["POST", "/v1/events", 422, "validation_failed", { body: { type: "a" } }],
    ["POST", "/v1/events", 400, "invalid_request", { body: { type: "a", payload: 1 }, headers: { "idempotency-key": "" } }],
    ["POST", "/v1/events/batch", 422, "validation_failed", { body: { events: [] } }],
    ["POST", "/v1/events/batch", 422, "validation_failed", { body: { events: Array(101).fill({ type: "a", payload: 1 }) } }],
    ["GET", "/v1/endpoints?limit=0", 400, "invalid_request", {}],
    ["GET", "/v1/endpoints?limit=abc", 400, "invalid_request", {}],
    ["GET", "/v1/endpoints?cursor=zzz", 200, undefined, {}],
    ["GET", "/v1/endpoints?tenantId=%20bad", 422, "validation_failed", {}],
    ["GET", "/v1/events/evt_missing", 404, "not_found", {}],
    ["GET", "/v1/nope", 404, "not_found", {}],
    ["GET", "/v1/endpoints/%E0%A4%A", 404, "not_found", {}],
    ["GET", `/v1/events/${"x".repeat(3000)}`, 404, "not_found", {}],
    ["PUT", "/v1/endpoints", 405, "method_not_allowed", {}],
  ] as const)("%s %s answers %i %s", async (method, path, status, code, options) => {
    const response = await t.call(method, path, options as never);
    expect(response.statusCode).toBe(status);
    if (code) expect(response.json.error.code).toBe(code);
  });
});

describe("tenant-scoped API keys", () => {
  let t: ReturnType<typeof setup>;
  let acmeKey: string;
  let acmeKeyId: string;
  let otherEndpoint: string;

  beforeEach(async () => {
    t = setup();
    const created = await t.call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "acme production" } });
    expect(created.statusCode).toBe(201);
    acmeKey = created.json.key;
    acmeKeyId = created.json.id;
    otherEndpoint = (await t.call("POST", "/v1/endpoints", { body: { url: "https://globex.example/hook", tenantId: "globex" } })).json.id;
  });

  it("returns the key once and stores only its SHA-256", async () => {
    expect(acmeKey).toMatch(/^hrk_key_[0-9a-f]{28}\.[A-Za-z0-9_-]{43}$/);
    const stored = [...t.deps.apiKeys.items.values()][0];
    expect(JSON.stringify(stored)).not.toContain(acmeKey.split(".")[1]);
    expect(stored?.keyHash).toBe(createHash("sha256").update(acmeKey).digest("base64"));
    const listed = await t.call("GET", "/v1/api-keys");
    expect(listed.json.items).toEqual([{ id: acmeKeyId, tenantId: "acme", name: "acme production", createdAt: expect.any(String) }]);
  });

  it("confines a tenant key to its own tenant: others' resources are not found", async () => {
    const mine = await t.call("POST", "/v1/endpoints", { body: { url: "https://acme.example/hook" }, key: acmeKey });
    expect(mine.json.tenantId).toBe("acme");
    expect((await t.call("GET", `/v1/endpoints/${otherEndpoint}`, { key: acmeKey })).statusCode).toBe(404);
    expect((await t.call("GET", `/v1/endpoints/${otherEndpoint}/secret`, { key: acmeKey })).statusCode).toBe(404);
    expect((await t.call("PATCH", `/v1/endpoints/${otherEndpoint}`, { body: { enabled: false }, key: acmeKey })).statusCode).toBe(404);
    expect((await t.call("DELETE", `/v1/endpoints/${otherEndpoint}`, { key: acmeKey })).statusCode).toBe(404);
    expect((await t.call("GET", `/v1/endpoints/${otherEndpoint}/attempts`, { key: acmeKey })).statusCode).toBe(404);
    expect(t.deps.endpoints.items.get(otherEndpoint)?.enabled).toBe(true);
    const list = await t.call("GET", "/v1/endpoints", { key: acmeKey });
    expect(list.json.items.map((e: { id: string }) => e.id)).toEqual([mine.json.id]);
    expect((await t.call("GET", "/v1/endpoints?tenantId=globex", { key: acmeKey })).statusCode).toBe(403);
  });

  it("emits only into its own tenant and sees only its own events", async () => {
    const mine = await t.call("POST", "/v1/events", { body: { type: "a", payload: 1 }, key: acmeKey });
    expect(mine.json.tenantId).toBe("acme");
    expect((await t.call("POST", "/v1/events", { body: { type: "a", payload: 1, tenantId: "globex" }, key: acmeKey })).statusCode).toBe(
      403,
    );
    const batch = await t.call("POST", "/v1/events/batch", {
      body: {
        events: [
          { type: "a", payload: 1, tenantId: "globex" },
          { type: "a", payload: 2 },
        ],
      },
      key: acmeKey,
    });
    expect(batch.json.items.map((i: { status: number }) => i.status)).toEqual([403, 202]);
    const theirs = await t.call("POST", "/v1/events", { body: { type: "a", payload: 1, tenantId: "globex" } });
    expect((await t.call("GET", `/v1/events/${theirs.json.id}`, { key: acmeKey })).statusCode).toBe(404);
    expect((await t.call("GET", `/v1/events/${theirs.json.id}/attempts`, { key: acmeKey })).statusCode).toBe(404);
    expect((await t.call("GET", `/v1/events/${mine.json.id}`, { key: acmeKey })).statusCode).toBe(200);
  });

  it("lets only the admin manage keys, and a deleted key stops working", async () => {
    expect((await t.call("GET", "/v1/api-keys", { key: acmeKey })).statusCode).toBe(403);
    expect((await t.call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "x" }, key: acmeKey })).statusCode).toBe(403);
    expect((await t.call("DELETE", `/v1/api-keys/${acmeKeyId}`)).statusCode).toBe(204);
    expect((await t.call("GET", "/v1/endpoints", { key: acmeKey })).statusCode).toBe(401);
    expect((await t.call("DELETE", `/v1/api-keys/${acmeKeyId}`)).statusCode).toBe(404);
  });

  it("refuses a forged key that names a real key id", async () => {
    const forged = `${acmeKey.split(".")[0]}.${"A".repeat(43)}`;
    expect((await t.call("GET", "/v1/endpoints", { key: forged })).statusCode).toBe(401);
  });
});

describe("MAX_ENDPOINTS_PER_TENANT", () => {
  it("answers 409 quota_exceeded once a tenant holds the most it may, counting each tenant apart, and frees a place on delete", async () => {
    const { deps, call } = setup();
    deps.maxEndpointsPerTenant = 3;
    const create = (tenantId: string) => call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook", tenantId } });
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await create("acme"));
    expect(made.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const refused = await create("acme");
    expect(refused.statusCode).toBe(409);
    expect(refused.json.error).toMatchObject({ code: "quota_exceeded", details: [{ path: "tenantId", limit: 3 }] });
    expect([...deps.endpoints.items.values()].filter((e) => e.tenantId === "acme")).toHaveLength(3);
    // Another tenant has places of its own.
    expect((await create("globex")).statusCode).toBe(201);
    expect((await call("DELETE", `/v1/endpoints/${made[0]?.json.id}`)).statusCode).toBe(204);
    expect((await create("acme")).statusCode).toBe(201);
    expect((await create("acme")).statusCode).toBe(409);
  });
});
