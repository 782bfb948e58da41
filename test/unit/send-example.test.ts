import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { CachedEventTypeStore } from "../../functions/core/event-types/event-type-cache.ts";
import { checkPayloadLimits } from "../../functions/core/event-types/payload-limits.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { endpointFixture, FakeClock, MemoryEventTypeStore } from "../support/fakes.ts";
import { heavySchema } from "../support/schema-arbitrary.ts";

const ORDER = {
  type: "object",
  required: ["order", "total"],
  properties: { order: { type: "string", minLength: 3 }, total: { type: "integer", minimum: 1 } },
};

function setup() {
  const deps = memoryApiDeps();
  return { deps, call: apiCaller(deps) };
}

describe("send-example", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(async () => {
    t = setup();
    await t.deps.endpoints.put(endpointFixture({ id: "ep_acme", tenantId: "acme" }));
    await t.deps.endpoints.put(endpointFixture({ id: "ep_other", tenantId: "other" }));
    await t.call("POST", "/v1/event-types", {
      body: { name: "order.stored", description: "x", schema: ORDER, examples: [{ order: "o_1", total: 3 }] },
    });
    await t.call("POST", "/v1/event-types", { body: { name: "order.built", description: "x", schema: ORDER } });
  });

  it("queues the type's first example to that endpoint only, as an event of the endpoint's tenant", async () => {
    const sent = await t.call("POST", "/v1/endpoints/ep_acme/send-example", { body: { eventType: "order.stored" } });
    expect(sent).toMatchObject({ status: 202, json: { endpointId: "ep_acme", type: "order.stored", source: "stored" } });
    expect(t.deps.queue.sent).toEqual([expect.objectContaining({ endpointId: "ep_acme", tenantId: "acme", eventId: sent.json.eventId })]);
    expect(JSON.parse(t.deps.queue.sent[0]?.body ?? "")).toEqual({ order: "o_1", total: 3 });
    const event = await t.call("GET", `/v1/events/${sent.json.eventId}?tenantId=acme`);
    expect(event.json).toMatchObject({ id: sent.json.eventId, type: "order.stored" });
  });

  it("builds a payload from the schema when the type stores no example, one the schema accepts", async () => {
    const sent = await t.call("POST", "/v1/endpoints/ep_acme/send-example", { body: { eventType: "order.built" } });
    expect(sent.json.source).toBe("generated");
    const payload = JSON.parse(t.deps.queue.sent[0]?.body ?? "");
    expect(Object.keys(payload).sort()).toEqual(["order", "total"]);
    expect(payload.order.length).toBeGreaterThanOrEqual(3);
    expect(payload.total).toBeGreaterThanOrEqual(1);
  });

  it("answers 422 when the schema asks for what the builder cannot make, sending nothing", async () => {
    const pattern = { type: "object", required: ["sku"], properties: { sku: { type: "string", pattern: "^SKU-[0-9]{4}$" } } };
    await t.call("POST", "/v1/event-types", { body: { name: "sku.made", description: "x", schema: pattern } });
    const refused = await t.call("POST", "/v1/endpoints/ep_acme/send-example", { body: { eventType: "sku.made" } });
    expect(refused).toMatchObject({ status: 422, json: { error: { code: "validation_failed", details: [{ path: "payload.sku" }] } } });
    expect(t.deps.queue.sent).toHaveLength(0);
  });

  it("is tenant-scoped: another tenant's endpoint and an uncatalogued type are 404s", async () => {
    const { key } = (await t.call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "acme" } })).json;
    const own = await t.call("POST", "/v1/endpoints/ep_acme/send-example", { key, body: { eventType: "order.stored" } });
    expect(own.status).toBe(202);
    const foreign = await t.call("POST", "/v1/endpoints/ep_other/send-example", { key, body: { eventType: "order.stored" } });
    expect(foreign).toMatchObject({ status: 404, json: { error: { code: "not_found" } } });
    const unknown = await t.call("POST", "/v1/endpoints/ep_acme/send-example", { key, body: { eventType: "nope" } });
    expect(unknown.status).toBe(404);
    expect(t.deps.queue.sent.map((m) => m.endpointId)).toEqual(["ep_acme"]);
  });

  it("refuses examples the type's schema does not match", async () => {
    const bad = await t.call("POST", "/v1/event-types", {
      body: { name: "order.bad", description: "x", schema: ORDER, examples: [{ order: "o" }] },
    });
    expect(bad).toMatchObject({ status: 422, json: { error: { code: "invalid_schema" } } });
    expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["examples.0.order", "examples.0.total"]);
  });
});

describe("send-example on schemas that ask for too much", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(async () => {
    t = setup();
    await t.deps.endpoints.put(endpointFixture({ id: "ep_acme", tenantId: "acme" }));
  });
  const register = (name: string, body: Record<string, unknown>) =>
    t.call("POST", "/v1/event-types", { body: { name, description: "x", ...body } });
  const sendExample = (eventType: string) => t.call("POST", "/v1/endpoints/ep_acme/send-example", { body: { eventType } });
  const nothingSent = async () => {
    expect(t.deps.queue.sent).toHaveLength(0);
    expect(t.deps.events.items.size).toBe(0);
  };

  it("answers 422 example_too_large for the reported schemas, naming the keyword, and records nothing", async () => {
    const nested = { type: "array", minItems: 2000, items: { type: "array", minItems: 2000, items: { type: "string" } } };
    const cases: [Record<string, unknown>, string][] = [
      [{ type: "object", required: ["big"], properties: { big: nested } }, "schema.properties.big.items.minItems"],
      [{ type: "string", minLength: 1e9 }, "schema.minLength"],
      [{ type: "array", minItems: 3e6 }, "schema.minItems"],
    ];
    for (const [i, [schema, path]] of cases.entries()) {
      expect((await register(`big.${i}`, { schema })).status).toBe(201);
      const refused = await sendExample(`big.${i}`);
      expect(refused).toMatchObject({ status: 422, json: { error: { code: "example_too_large", details: [{ path }] } } });
      expect(refused.json.error.message).toContain(`big.${i}`);
    }
    await nothingSent();
  });

  it("holds a built payload to an emitted payload's limits: one within the builder's budget but over the queue's size is refused", async () => {
    // 9,000 strings of 25 characters: within the builder's bytes, over the limit once quoted for the queue.
    const schema = { type: "array", minItems: 9000, items: { type: "string", minLength: 25 } };
    expect((await register("edge", { schema })).status).toBe(201);
    const refused = await sendExample("edge");
    expect(refused).toMatchObject({ status: 422, json: { error: { code: "example_too_large", details: [{ path: "schema" }] } } });
    await nothingSent();
  });

  it("holds a stored example to the same limits: one nested deeper than a payload may be is refused, naming it", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect((await register("deep", { examples: [deep] })).status).toBe(201);
    const refused = await sendExample("deep");
    expect(refused).toMatchObject({ status: 422, json: { error: { code: "example_too_large", details: [{ path: "examples.0" }] } } });
    await nothingSent();
  });

  it("ends the example's delivery unsendable when the queue refuses its message for good: no half-sent event for the sweeper", async () => {
    expect((await register("ok", { schema: ORDER })).status).toBe(201);
    t.deps.queue.refuseForGood = () => true;
    const sent = await sendExample("ok");
    expect(sent.status).toBe(202);
    expect(t.deps.events.of("acme", sent.json.eventId)?.unsent).toBeUndefined();
    expect(t.deps.queue.deadLetters).toEqual([{ body: expect.stringContaining(sent.json.eventId), reason: "unsendable" }]);
    expect(JSON.parse(t.deps.queue.deadLetters[0]?.body ?? "")).toMatchObject({ notice: "unsendable", endpointIds: ["ep_acme"] });
  });

  it("answers a payload within an emitted payload's limits, or a 422, for any schema the catalog accepts; never a 5xx", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(heavySchema, async (schema) => {
        const name = `gen.${n++}`;
        const created = await register(name, { schema });
        if (created.status !== 201) return; // refused as a hazard to intake: nothing to build from
        const sentBefore = t.deps.queue.sent.length;
        const answer = await sendExample(name);
        if (answer.status === 202) {
          const message = t.deps.queue.sent.at(-1);
          expect(JSON.parse(message?.body ?? "")).toEqual(answer.json.payload);
          expect(checkPayloadLimits(answer.json.payload)).toEqual({ body: message?.body });
        } else {
          expect(answer.status).toBe(422);
          expect(["example_too_large", "validation_failed"]).toContain(answer.json.error.code);
          expect(t.deps.queue.sent).toHaveLength(sentBefore);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("an endpoint subscribing to types the catalog does not hold", () => {
  it("is saved, with a warning per unknown type, once the catalog is in use", async () => {
    const t = setup();
    const before = await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/h", eventTypes: ["x.made"] } });
    expect(before).toMatchObject({ status: 201, json: { warnings: [] } });
    await t.call("POST", "/v1/event-types", { body: { name: "x.made", description: "x" } });
    const created = await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/h", eventTypes: ["x.made", "x.typo"] } });
    expect(created.status).toBe(201);
    expect(created.json.warnings).toEqual([{ code: "unknown_event_type", eventType: "x.typo", message: expect.any(String) }]);
    const patched = await t.call("PATCH", `/v1/endpoints/${created.json.id}`, { body: { eventTypes: ["y.other"] } });
    expect(patched).toMatchObject({ status: 200, json: { eventTypes: ["y.other"], warnings: [{ eventType: "y.other" }] } });
  });
});

describe("the catalog as intake reads it", () => {
  it("is read once per name per TTL, absent names included, and forgotten on this container's writes", async () => {
    const clock = new FakeClock();
    const store = new MemoryEventTypeStore();
    let reads = 0;
    const counted = Object.assign(Object.create(store), {
      getMany: (names: string[]) => {
        reads++;
        return store.getMany(names);
      },
    });
    const cache = new CachedEventTypeStore(counted, clock, 10);
    const type = {
      name: "a",
      description: "A",
      archived: false,
      createdAt: "2026-11-01T00:00:00.000Z",
      updatedAt: "2026-11-01T00:00:00.000Z",
    };
    expect((await cache.getMany(["a", "b"])).size).toBe(0);
    await store.create(type);
    expect((await cache.getMany(["a", "b"])).size).toBe(0);
    expect(reads).toBe(1);
    clock.advance(10_000);
    expect([...(await cache.getMany(["a"])).keys()]).toEqual(["a"]);
    expect(reads).toBe(2);
    await cache.replace({ ...type, archived: true });
    expect((await cache.getMany(["a"])).get("a")?.archived).toBe(true);
    expect(reads).toBe(3);
  });
});
