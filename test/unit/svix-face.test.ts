/**
 * The Svix face (/api/v1) over the API's in-memory ports: the same keys, tenant boundary, quotas
 * and checks as /v1, answered in Svix's shapes; ids computed from what a record is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApiKey } from "../../functions/core/access/api-keys.ts";
import { appIdOf, recoveryOfTask, taskIdOf, tenantsNamedBy, uidOf } from "../../functions/core/svix/svix-ids.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";

function setup(overrides: Partial<ReturnType<typeof memoryApiDeps>> = {}) {
  const deps = { ...memoryApiDeps(), ...overrides };
  return { deps, call: apiCaller(deps) };
}

const TENANT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const tenantIds = fc.stringMatching(TENANT_ID);

describe("Svix ids", () => {
  it("an app_ id names its tenant and nothing else, for any tenant id", () => {
    fc.assert(
      fc.property(tenantIds, (tenantId) => {
        const id = appIdOf(tenantId);
        expect(id).toMatch(/^app_[A-Za-z0-9]+$/);
        expect(tenantsNamedBy(id)).toContain(tenantId);
        expect(uidOf(tenantId) === null ? id === tenantId : tenantsNamedBy(id).at(-1) === tenantId).toBe(true);
      }),
    );
  });

  it("a qtask_ id names its endpoint and recovery", () => {
    const hex = fc.stringMatching(/^[0-9a-f]{28}$/);
    fc.assert(
      fc.property(hex, hex, (ep, rcv) => {
        const task = taskIdOf(`ep_${ep}`, `rcv_${rcv}`) as string;
        expect(recoveryOfTask(task)).toEqual({ endpointId: `ep_${ep}`, recoveryId: `rcv_${rcv}` });
      }),
    );
  });
});

describe("the Svix face", () => {
  it("answers health without a key, also at //api/v1 (1.x keeps a trailing slash)", async () => {
    const { call } = setup();
    expect((await call("GET", "/api/v1/health", { key: null })).status).toBe(204);
    expect((await call("GET", "http://localhost//api/v1/health", { key: null })).status).toBe(204);
  });

  it("refuses a missing or wrong key in Svix's error shape", async () => {
    const { call } = setup();
    for (const key of [null, "nope"]) {
      const r = await call("GET", "/api/v1/app", { key });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ code: "authentication_failed", detail: expect.any(String) });
    }
  });

  it("answers a Svix route it does not serve with 404 in Svix's shape", async () => {
    const { call } = setup();
    const r = await call("GET", "/api/v1/app/x/destination");
    expect(r).toEqual({ status: 404, json: { code: "not_found", detail: expect.stringContaining("docs/svix.md") } });
  });

  it("creates an app by uid, finds it by uid and by app_ id, and get_if_exists answers it again", async () => {
    const { call } = setup();
    const made = await call("POST", "/api/v1/app", { body: { name: "Acme", uid: "acme" } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ uid: "acme", name: "Acme", metadata: {} });
    expect((await call("GET", "/api/v1/app/acme")).json).toEqual(made.json);
    expect((await call("GET", `/api/v1/app/${made.json.id}`)).json).toEqual(made.json);
    const again = await call("POST", "/api/v1/app?get_if_exists=true", { body: { name: "Other", uid: "acme" } });
    expect(again).toEqual({ status: 200, json: made.json });
    expect((await call("POST", "/api/v1/app", { body: { name: "Other", uid: "acme" } })).json.code).toBe("conflict");
    // The tenant is /v1's: its record is the same one.
    expect((await call("GET", "/v1/tenants/acme")).json).toMatchObject({ id: "acme", name: "Acme" });
  });

  it("a tenant made through /v1 is an app: uid its tenant id, a stable app_ id that finds it", async () => {
    const { call } = setup();
    await call("POST", "/v1/tenants", { body: { id: "acme.eu", name: "Acme EU" } });
    const [listed] = (await call("GET", "/api/v1/app")).json.data;
    expect(listed).toMatchObject({ id: appIdOf("acme.eu"), uid: "acme.eu", name: "Acme EU" });
    expect((await call("GET", `/api/v1/app/${listed.id}`)).json).toEqual(listed);
  });

  it("an app made without a uid is named by its app_ id, which is its tenant id", async () => {
    const { call } = setup();
    const made = await call("POST", "/api/v1/app", { body: { name: "No uid" } });
    expect(made.json.id).toMatch(/^app_[A-Za-z0-9]{27}$/);
    expect(made.json.uid).toBeNull();
    expect((await call("GET", `/v1/tenants/${made.json.id}`)).status).toBe(200);
  });

  it("a tenant key reaches only its own app", async () => {
    const { call } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    await call("POST", "/api/v1/app", { body: { name: "B", uid: "b" } });
    const key = (await call("POST", "/v1/api-keys", { body: { tenantId: "a", name: "a" } })).json.key as string;
    expect((await call("GET", "/api/v1/app/a", { key })).status).toBe(200);
    expect((await call("GET", "/api/v1/app/b", { key })).json).toMatchObject({ code: "not_found" });
    expect((await call("GET", `/api/v1/app/${appIdOf("b")}`, { key })).status).toBe(404);
    expect((await call("GET", "/api/v1/app/b/endpoint", { key })).status).toBe(404);
    expect((await call("POST", "/api/v1/app", { key, body: { name: "B", uid: "b" } })).status).toBe(403);
    expect((await call("GET", "/api/v1/app", { key })).json.data.map((a: { uid: string }) => a.uid)).toEqual(["a"]);
  });

  it("holds an app to /v1's endpoint quota and checks, answering in Svix's shapes", async () => {
    const { call } = setup({ maxEndpointsPerTenant: 1 });
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const bad = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "not a url" } });
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0]).toMatchObject({ loc: ["body", "url"], type: "validation_failed" });
    const reserved = await call("POST", "/api/v1/app/a/endpoint", {
      body: { url: "https://example.com/h", headers: { "webhook-id": "x" } },
    });
    expect(reserved.status).toBe(422);
    const secret = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ok = await call("POST", "/api/v1/app/a/endpoint", {
      body: { url: "https://example.com/h", uid: "main", secret, filterTypes: ["a.b"] },
    });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ uid: "main", eventTypes: ["a.b"], filterTypes: ["a.b"], disabled: false });
    expect((await call("GET", "/api/v1/app/a/endpoint/main/secret")).json).toEqual({ key: `whsec_${secret}` });
    const over = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "https://example.com/2" } });
    expect(over).toEqual({ status: 409, json: { code: "quota_exceeded", detail: expect.any(String) } });
  });

  it("answers 501 naming the gap for expunge-all-contents, the one route that needs what hookrelay does not have yet", async () => {
    const { call } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const all = await call("POST", "/api/v1/app/a/msg/expunge-all-contents", { body: {} });
    expect(all).toEqual({ status: 501, json: { code: "not_implemented", detail: expect.stringContaining("payload expunge") } });
  });

  it("deletes an application with the admin key as hookrelay's tenant deletion, and expunges a message's content", async () => {
    const { call, deps } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const sent = await call("POST", "/api/v1/app/a/msg", { body: { eventType: "a.b", payload: { secret: "s-1" } } });
    expect((await call("DELETE", `/api/v1/app/a/msg/${sent.json.id}/content`)).status).toBe(204);
    const read = await call("GET", `/api/v1/app/a/msg/${sent.json.id}?with_content=true`);
    expect(read.json.payload).toEqual({});
    expect(JSON.stringify([...deps.events.items.values()])).not.toContain("s-1");
    const { key } = await createApiKey(deps, "a", "k");
    expect((await call("DELETE", "/api/v1/app/a", { key })).status).toBe(403);
    expect((await call("DELETE", "/api/v1/app/a")).status).toBe(204);
    expect((await call("GET", "/v1/tenants/a/deletion")).json).toMatchObject({ tenantId: "a", state: "removing" });
    // The tombstone stops the app's key at once in this container.
    expect((await call("GET", "/api/v1/app/a", { key })).status).toBe(401);
    // And the admin key finds the app gone: never the dead app again, nor its id reused (getOrCreate
    // reads, then creates), nor a portal link that would not work.
    const gone = { status: 410, json: { code: "tenant_deleted", detail: expect.stringContaining("a is deleted") } };
    expect(await call("GET", "/api/v1/app/a")).toEqual(gone);
    expect(await call("GET", "/api/v1/app/a/endpoint")).toEqual(gone);
    expect(await call("POST", "/api/v1/app/a/msg", { body: { eventType: "a.b", payload: {} } })).toEqual(gone);
    expect(await call("POST", "/api/v1/app?get_if_exists=true", { body: { name: "A", uid: "a" } })).toEqual(gone);
    expect(await call("POST", "/api/v1/auth/app-portal-access/a", { body: {} })).toEqual(gone);
    // A repeated delete (its first answer lost) answers as the first did.
    expect((await call("DELETE", "/api/v1/app/a")).status).toBe(204);
  });

  it("refuses a message asking its payload be kept less than LOG_RETENTION_DAYS, in days or hours", async () => {
    const { call, deps } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const days = deps.logRetentionDays;
    const send = (extra: object) => call("POST", "/api/v1/app/a/msg", { body: { eventType: "a.b", payload: {}, ...extra } });
    expect((await send({ payloadRetentionPeriod: days - 1 })).json.detail[0].loc).toEqual(["body", "payloadRetentionPeriod"]);
    expect((await send({ payloadRetentionHours: days * 24 - 1 })).json.detail[0].loc).toEqual(["body", "payloadRetentionHours"]);
    expect((await send({ payloadRetentionPeriod: days })).status).toBe(202);
  });

  it("a repeated eventId answers the first message; a message is found by msg_ id and by eventId", async () => {
    const { call, deps } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const first = await call("POST", "/api/v1/app/a/msg", { body: { eventType: "a.b", payload: { n: 1 }, eventId: "order-1" } });
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ eventId: "order-1", eventType: "a.b", payload: { n: 1 } });
    const again = await call("POST", "/api/v1/app/a/msg", { body: { eventType: "a.b", payload: { n: 1 }, eventId: "order-1" } });
    expect(again.json.id).toBe(first.json.id);
    deps.clock.advance(1000);
    const keyed = await call("POST", "/api/v1/app/a/msg", {
      body: { eventType: "a.b", payload: { n: 2 } },
      headers: { "idempotency-key": "auto_1" },
    });
    expect(keyed.json.eventId).toBeNull();
    const repeat = await call("POST", "/api/v1/app/a/msg", {
      body: { eventType: "a.b", payload: { n: 2 } },
      headers: { "idempotency-key": "auto_1" },
    });
    expect(repeat.json.id).toBe(keyed.json.id);
    for (const named of [first.json.id, "order-1"]) expect((await call("GET", `/api/v1/app/a/msg/${named}`)).json.id).toBe(first.json.id);
    expect((await call("GET", `/api/v1/app/a/msg/${keyed.json.id}`)).json.payload).toEqual({ n: 2 });
    const listed = await call("GET", "/api/v1/app/a/msg?limit=1");
    expect(listed.json).toMatchObject({ data: [{ id: keyed.json.id }], done: false });
    const rest = await call("GET", `/api/v1/app/a/msg?limit=1&iterator=${encodeURIComponent(listed.json.iterator)}`);
    expect(rest.json.data[0].id).toBe(first.json.id);
  });

  it("an idempotency-key on any POST answers the first result again", async () => {
    const { call } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const headers = { "idempotency-key": "auto_ep" };
    const first = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "https://example.com/h" }, headers });
    const second = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "https://example.com/h" }, headers });
    expect(second).toEqual(first);
    expect((await call("GET", "/api/v1/app/a/endpoint")).json.data).toHaveLength(1);
    // Another caller's key of the same spelling is its own: a tenant key's call runs and gets its own answer.
    const key = (await call("POST", "/v1/api-keys", { body: { tenantId: "a", name: "a" } })).json.key as string;
    const theirs = await call("POST", "/api/v1/app/a/endpoint", { key, body: { url: "https://example.com/t" }, headers });
    expect(theirs.status).toBe(201);
    expect(theirs.json.id).not.toBe(first.json.id);
    // A failed call is not kept: repeating it runs again.
    const refused = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "bad" }, headers: { "idempotency-key": "auto_bad" } });
    const fixed = await call("POST", "/api/v1/app/a/endpoint", {
      body: { url: "https://example.com/ok" },
      headers: { "idempotency-key": "auto_bad" },
    });
    expect([refused.status, fixed.status]).toEqual([422, 201]);
  });
});

describe("PUT on the Svix face", () => {
  it("replaces an endpoint, and creates one (201) under a uid no endpoint holds", async () => {
    const { call } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const made = await call("PUT", "/api/v1/app/a/endpoint/billing", { body: { url: "https://example.com/b", description: "d" } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ uid: "billing", description: "d" });
    const replaced = await call("PUT", "/api/v1/app/a/endpoint/billing", { body: { url: "https://example.com/c" } });
    expect(replaced).toMatchObject({ status: 200, json: { id: made.json.id, url: "https://example.com/c", description: "" } });
  });
});

describe("Svix list filters the face cannot apply", () => {
  it("are refused naming the parameter, never ignored", async () => {
    const { call } = setup();
    await call("POST", "/api/v1/app", { body: { name: "A", uid: "a" } });
    const ep = await call("POST", "/api/v1/app/a/endpoint", { body: { url: "https://example.com/h" } });
    const msg = await call("POST", "/api/v1/app/a/msg", { body: { eventType: "a.b", payload: {} } });
    const lists = [
      "/api/v1/app/a/msg?tag=x",
      "/api/v1/app/a/msg?channel=x",
      `/api/v1/app/a/attempt/endpoint/${ep.json.id}?status_code_class=2`,
      `/api/v1/app/a/attempt/msg/${msg.json.id}?tag=x`,
      "/api/v1/app?exclude_apps_with_no_endpoints=true",
    ];
    for (const path of lists) {
      const answer = await call("GET", path);
      const name = new URL(path, "http://x").searchParams.keys().next().value as string;
      expect(answer, path).toEqual({ status: 400, json: { code: "invalid_request", detail: expect.stringContaining(name) } });
    }
  });
});
