import { beforeEach, describe, expect, it } from "vitest";
import { MAX_SCHEMA_REFS } from "../../functions/adapters/schemas/schema-limits.ts";
import { MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH } from "../../functions/core/event-types/event-types.ts";
import { acceptEvents } from "../../functions/core/intake/intake.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

const INVOICE_SCHEMA = {
  type: "object",
  required: ["invoice", "amount"],
  properties: { invoice: { type: "string" }, amount: { type: "integer", minimum: 0 } },
};

function setup() {
  // Room for a body a little over the largest schema, so that the schema's own bound answers.
  const deps = { ...memoryApiDeps(), maxBodyBytes: 2 * MAX_SCHEMA_BYTES };
  return { deps, call: apiCaller(deps) };
}

describe("the event-type catalog", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(async () => {
    t = setup();
    await t.deps.endpoints.put(endpointFixture({ id: "ep_all" }));
  });

  it("is written with the admin key and read with any key", async () => {
    const created = await t.call("POST", "/v1/event-types", {
      body: { name: "invoice.paid", description: "Paid", schema: INVOICE_SCHEMA },
    });
    expect(created).toMatchObject({ status: 201, json: { name: "invoice.paid", schema: INVOICE_SCHEMA, archived: false } });
    const again = await t.call("POST", "/v1/event-types", { body: { name: "invoice.paid", description: "again" } });
    expect(again).toMatchObject({ status: 409, json: { error: { code: "already_exists" } } });

    const { key } = (await t.call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "acme" } })).json;
    const listed = await t.call("GET", "/v1/event-types", { key });
    expect(listed.json.items.map((i: { name: string }) => i.name)).toEqual(["invoice.paid"]);
    expect((await t.call("GET", "/v1/event-types/invoice.paid", { key })).json.description).toBe("Paid");
    for (const [method, path] of [
      ["POST", "/v1/event-types"],
      ["PATCH", "/v1/event-types/invoice.paid"],
      ["DELETE", "/v1/event-types/invoice.paid"],
    ] as const) {
      const refused = await t.call(method, path, { key, body: { name: "x", description: "x" } });
      expect(refused).toMatchObject({ status: 403, json: { error: { code: "forbidden" } } });
    }
  });

  it("changes a type, removes its schema with null, and deletes it", async () => {
    await t.call("POST", "/v1/event-types", { body: { name: "a", description: "A", schema: INVOICE_SCHEMA } });
    const patched = await t.call("PATCH", "/v1/event-types/a", { body: { description: "A2", schema: null } });
    expect(patched).toMatchObject({ status: 200, json: { name: "a", description: "A2", schema: null } });
    expect((await t.call("DELETE", "/v1/event-types/a")).status).toBe(204);
    expect((await t.call("GET", "/v1/event-types/a")).status).toBe(404);
    expect((await t.call("PATCH", "/v1/event-types/a", { body: { archived: true } })).status).toBe(404);
  });

  it.each([
    ["not a valid schema", { type: "nonsense" }, "schema.type"],
    ["a reference to anything outside it", { $ref: "https://schemas.example/other.json" }, "schema.$ref"],
    ["too large", { description: "x".repeat(MAX_SCHEMA_BYTES) }, "schema"],
    ["too deep", nested(MAX_SCHEMA_DEPTH + 1), "schema"],
    ["a pattern with lookahead", { type: "string", pattern: "^(?=.*[0-9])[a-z0-9]+$" }, "schema.pattern"],
    ["a patternProperties name with a backreference", { patternProperties: { "^(x)\\1$": {} } }, "schema.patternProperties.^(x)\\1$"],
    ["a reference that loops in place", { $defs: { a: { allOf: [{ $ref: "#/$defs/a" }] } }, $ref: "#/$defs/a" }, /\$ref$/],
    ["a reference that does not resolve", { $ref: "#/$defs/missing" }, "schema.$ref"],
    ["a $dynamicRef", { $dynamicRef: "#node" }, "schema.$dynamicRef"],
    ["over the $ref count", { $defs: { s: { type: "string" } }, prefixItems: refs(MAX_SCHEMA_REFS + 1) }, "schema"],
  ])("refuses a schema that is %s with 422 invalid_schema, storing nothing", async (_why, schema, path) => {
    const refused = await t.call("POST", "/v1/event-types", { body: { name: "bad", description: "bad", schema } });
    expect(refused).toMatchObject({ status: 422, json: { error: { code: "invalid_schema" } } });
    expect(refused.json.error.details[0].path).toMatch(path);
    // The message names the first place at fault in the details' words.
    const first = refused.json.error.details[0];
    expect(refused.json.error.message.startsWith(`${first.path} ${first.message}`)).toBe(true);
    expect(t.deps.eventTypes.items.size).toBe(0);
  });
});

describe("emit against the catalog", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(async () => {
    t = setup();
    await t.deps.endpoints.put(endpointFixture({ id: "ep_all" }));
    await t.call("POST", "/v1/event-types", { body: { name: "invoice.paid", description: "Paid", schema: INVOICE_SCHEMA } });
  });

  it("accepts a payload its type's schema matches", async () => {
    const ok = await t.call("POST", "/v1/events", { body: { type: "invoice.paid", payload: { invoice: "in_1", amount: 5 } } });
    expect(ok.status).toBe(202);
    expect(t.deps.queue.sent).toHaveLength(1);
  });

  it("counts every failing place in its message, though details hold the first 20", async () => {
    await t.call("POST", "/v1/event-types", { body: { name: "list.sent", description: "d", schema: { items: { type: "integer" } } } });
    const bad = await t.call("POST", "/v1/events", { body: { type: "list.sent", payload: Array(50).fill("x") } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details).toHaveLength(20);
    expect(bad.json.error.message).toContain(
      "payload.0 must be integer; payload.1 must be integer; payload.2 must be integer; and 47 more",
    );
  });

  it("refuses with 422 and the failing paths a payload the schema rejects, enqueuing and recording nothing", async () => {
    const bad = await t.call("POST", "/v1/events", { body: { type: "invoice.paid", payload: { amount: -1 } } });
    expect(bad).toMatchObject({ status: 422, json: { error: { code: "schema_validation_failed" } } });
    const paths = bad.json.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["payload.amount", "payload.invoice"]);
    expect(bad.json.error.message).toMatch(/^The payload does not match the schema of invoice\.paid: payload\.(amount|invoice) /);
    expect(t.deps.queue.sent).toHaveLength(0);
    expect(t.deps.events.items.size).toBe(0);
  });

  it("accepts any payload of a type the catalog does not hold, or holds without a schema", async () => {
    await t.call("POST", "/v1/event-types", { body: { name: "free", description: "No schema" } });
    const results = await acceptEvents(t.deps, [
      { type: "uncatalogued", payload: [1, 2] },
      { type: "free", payload: "anything" },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
  });

  it("refuses an archived type with 409 until it is unarchived", async () => {
    await t.call("PATCH", "/v1/event-types/invoice.paid", { body: { archived: true } });
    const payload = { invoice: "in_1", amount: 5 };
    const refused = await t.call("POST", "/v1/events", { body: { type: "invoice.paid", payload } });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: "event_type_archived" } } });
    await t.call("PATCH", "/v1/event-types/invoice.paid", { body: { archived: false } });
    expect((await t.call("POST", "/v1/events", { body: { type: "invoice.paid", payload } })).status).toBe(202);
  });

  it("fails batch items one by one", async () => {
    const batch = await t.call("POST", "/v1/events/batch", {
      body: {
        events: [
          { type: "invoice.paid", payload: { invoice: "in_1", amount: 1 } },
          { type: "invoice.paid", payload: { invoice: 7, amount: 1 } },
          { type: "other", payload: 1 },
        ],
      },
    });
    expect(batch.json.items.map((i: { status: number }) => i.status)).toEqual([202, 422, 202]);
    expect(batch.json.items[1].error.details).toEqual([{ path: "payload.invoice", message: expect.any(String) }]);
  });

  it("validates against the schema as changed, not the one compiled before", async () => {
    const payload = { invoice: "in_1", amount: 5 };
    expect((await t.call("POST", "/v1/events", { body: { type: "invoice.paid", payload } })).status).toBe(202);
    const stricter = { ...INVOICE_SCHEMA, required: [...INVOICE_SCHEMA.required, "currency"] };
    await t.call("PATCH", "/v1/event-types/invoice.paid", { body: { schema: stricter } });
    const refused = await t.call("POST", "/v1/events", { body: { type: "invoice.paid", payload } });
    expect(refused.json.error.details).toEqual([{ path: "payload.currency", message: expect.any(String) }]);
  });

  it("answers 503, enqueuing nothing, when the catalog cannot be read", async () => {
    t.deps.eventTypes.outage.down = true;
    const failed = await t.call("POST", "/v1/events", { body: { type: "anything", payload: 1 } });
    expect(failed.status).toBe(503);
    expect(t.deps.queue.sent).toHaveLength(0);
  });
});

function refs(count: number): unknown[] {
  return Array.from({ length: count }, () => ({ $ref: "#/$defs/s" }));
}

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (let i = 1; i < depth; i++) schema = { items: schema };
  return schema;
}
