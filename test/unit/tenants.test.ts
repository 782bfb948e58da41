import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator, createApiKey } from "../../functions/core/access/api-keys.ts";
import type { TenantRecord } from "../../functions/core/kernel/model.ts";
import { MAX_TENANT_METADATA, updateTenant } from "../../functions/core/tenants/tenants.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { FakeClock } from "../support/fakes.ts";
import { MemoryTenantStore } from "../support/memory-tenants.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function setup() {
  const deps = memoryApiDeps();
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const call = async (...args: Parameters<typeof apiEvent>) => {
    const response = await handler(apiEvent(...args), {} as Context);
    return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return { deps, call };
}

describe("tenant records", () => {
  it("are created by the admin with a name and metadata, once, and read back without their revision", async () => {
    const { call } = setup();
    const created = await call("POST", "/v1/tenants", { body: { id: "acme", name: "Acme", metadata: { plan: "pro" } } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: "acme",
      name: "Acme",
      metadata: { plan: "pro" },
      createdAt: created.json.createdAt,
      updatedAt: created.json.createdAt,
    });
    expect(await call("POST", "/v1/tenants", { body: { id: "acme" } })).toMatchObject({
      status: 409,
      json: { error: { code: "already_exists" } },
    });
    expect((await call("GET", "/v1/tenants/acme")).json).toEqual(created.json);
  });

  it("are written on a tenant's first endpoint and first API key, and listed oldest first", async () => {
    const { call, deps } = setup();
    await call("POST", "/v1/endpoints", { body: { tenantId: "first", url: "https://a.example/hook" } });
    deps.clock.advance(1000);
    await call("POST", "/v1/api-keys", { body: { tenantId: "second", name: "k" } });
    deps.clock.advance(1000);
    await call("POST", "/v1/endpoints", { body: { tenantId: "first", url: "https://b.example/hook" } });
    const listed = await call("GET", "/v1/tenants?limit=1");
    expect(listed.json.items.map((t: TenantRecord) => t.id)).toEqual(["first"]);
    const rest = await call("GET", `/v1/tenants?limit=5&cursor=${encodeURIComponent(listed.json.nextCursor)}`);
    expect(rest.json).toMatchObject({ items: [{ id: "second", metadata: {} }], nextCursor: null });
  });

  it("show a tenant key its own record only, and refuse it every change", async () => {
    const { call, deps } = setup();
    await call("POST", "/v1/tenants", { body: { id: "mine" } });
    await call("POST", "/v1/tenants", { body: { id: "theirs", name: "secret name" } });
    const { key } = await createApiKey(deps, "mine", "k");
    expect((await call("GET", "/v1/tenants/mine", { key })).status).toBe(200);
    const other = await call("GET", "/v1/tenants/theirs", { key });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.json)).not.toContain("secret name");
    expect((await call("GET", "/v1/tenants", { key })).status).toBe(403);
    expect((await call("PATCH", "/v1/tenants/mine", { key, body: { name: "x" } })).status).toBe(403);
    expect((await call("POST", "/v1/tenants", { key, body: { id: "new" } })).status).toBe(403);
  });

  it("change the fields given and remove the name on null", async () => {
    const { call } = setup();
    await call("POST", "/v1/tenants", { body: { id: "acme", name: "Acme", metadata: { a: "1" } } });
    expect((await call("PATCH", "/v1/tenants/acme", { body: { metadata: { b: "2" } } })).json).toMatchObject({
      name: "Acme",
      metadata: { b: "2" },
    });
    const unnamed = await call("PATCH", "/v1/tenants/acme", { body: { name: null } });
    expect(unnamed.json).not.toHaveProperty("name");
    expect(unnamed.json.metadata).toEqual({ b: "2" });
    expect((await call("PATCH", "/v1/tenants/nobody", { body: { name: "x" } })).status).toBe(404);
  });

  it("refuse bad ids, names and metadata with 422 naming the field", async () => {
    const { call } = setup();
    const bad = fc.oneof(
      fc.record({ id: fc.constantFrom("", "a b", "x".repeat(65), "é") }).map((body) => ({ body, field: "id" })),
      fc.record({ id: fc.constant("ok"), name: fc.constantFrom("", "n".repeat(257)) }).map((body) => ({ body, field: "name" })),
      fc
        .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 4 }), {
          minKeys: MAX_TENANT_METADATA + 1,
          maxKeys: MAX_TENANT_METADATA + 5,
        })
        .map((metadata) => ({ body: { id: "ok", metadata }, field: "metadata" })),
      fc.record({ id: fc.constant("ok"), metadata: fc.constant({ k: "v".repeat(513) }) }).map((body) => ({ body, field: "metadata" })),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ body, field }) => {
        const answer = await call("POST", "/v1/tenants", { body });
        expect(answer.status).toBe(422);
        expect(JSON.stringify(answer.json.error.details)).toContain(field);
      }),
      { numRuns: 40 },
    );
  });

  it("keep every change when two writers race: a change read at an old revision is tried again", async () => {
    const store = new MemoryTenantStore();
    const clock = new FakeClock();
    await store.create({
      id: "t",
      metadata: {},
      createdAt: "2026-11-01T00:00:00.000Z",
      updatedAt: "2026-11-01T00:00:00.000Z",
      revision: 0,
    });
    let raced = false;
    const racing = Object.assign(Object.create(store), {
      async replace(tenant: TenantRecord) {
        if (!raced) {
          raced = true;
          // Another writer renames the tenant between this change's read and its write.
          const current = (await store.get("t")) as TenantRecord;
          await store.replace({ ...current, name: "renamed by the other" });
        }
        return store.replace(tenant);
      },
    }) as MemoryTenantStore;
    const updated = await updateTenant({ tenants: racing, clock }, "t", { metadata: { k: "v" } });
    expect(updated).toMatchObject({ name: "renamed by the other", metadata: { k: "v" }, revision: 2 });
    expect(await store.get("t")).toMatchObject({ name: "renamed by the other", metadata: { k: "v" }, revision: 2 });
  });
});
