import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import { lookupItem, timedEventKey } from "../../functions/adapters/dynamo/event-keys.ts";
import { keys } from "../../functions/adapters/dynamo/table-design.ts";
import { eventIdForKey, idTime, newId } from "../../functions/core/kernel/ids.ts";
import type { EventRecord } from "../../functions/core/kernel/model.ts";

/**
 * A document client that keeps items by key: puts (with the store's `attribute_not_exists(pk) OR
 * expiresAt <= :created`), gets, batch gets and the updates the store makes (on an existing item).
 * Only what the store uses.
 */
function fakeClient() {
  const items = new Map<string, Record<string, unknown>>();
  const key = (k: Record<string, unknown>) => `${k.pk}|${k.sk}`;
  const conditionFailed = () => Object.assign(new Error("condition"), { name: "ConditionalCheckFailedException" });
  const client = {
    send: async (command: unknown) => {
      if (command instanceof PutCommand) {
        const item = command.input.Item as Record<string, unknown>;
        const held = items.get(key(item));
        const created = command.input.ExpressionAttributeValues?.[":created"] as number;
        if (held && !((held.expiresAt as number) <= created)) throw conditionFailed();
        items.set(key(item), item);
        return {};
      }
      if (command instanceof GetCommand) return { Item: items.get(key(command.input.Key as Record<string, unknown>)) };
      if (command instanceof BatchGetCommand) {
        const requests = Object.entries(command.input.RequestItems ?? {}) as [string, { Keys: Record<string, unknown>[] }][];
        return { Responses: Object.fromEntries(requests.map(([table, r]) => [table, r.Keys.flatMap((k) => items.get(key(k)) ?? [])])) };
      }
      if (command instanceof UpdateCommand) {
        const item = items.get(key(command.input.Key as Record<string, unknown>));
        const values = command.input.ExpressionAttributeValues ?? {};
        if (!item) throw conditionFailed();
        if (command.input.UpdateExpression?.startsWith("REMOVE")) for (const name of ["unsent", "gsi1pk", "gsi1sk"]) delete item[name];
        if (command.input.UpdateExpression?.includes("list_append")) {
          if ((item.endpointIds as string[]).includes(values[":id"] as string)) throw conditionFailed();
          item.endpointIds = [...(item.endpointIds as string[]), values[":id"]];
        }
        if (command.input.UpdateExpression?.includes("body = :null")) {
          item.body = "null";
          delete item.bodyZ;
        }
        return {};
      }
      throw new Error("unexpected command");
    },
  };
  return { client: client as never, items };
}

const CREATED = "2026-11-01T00:00:00.000Z";
/** A time-ordered id of the events' creation time, as intake makes. */
const ID = newId("evt", Date.parse(CREATED));

const event = (body: string, id = ID): EventRecord => ({
  id,
  tenantId: "default",
  type: "invoice.paid",
  body,
  createdAt: CREATED,
  requestHash: "h",
  endpointIds: ["ep_1"],
  expiresAt: 1_800_000_000,
});

describe("DynamoEventStore", () => {
  it("stores a JSON body deflated when that is smaller, and reads it back unchanged", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    const lines = Array.from({ length: 8 }, (_, i) => ({
      sku: `sku_${i}`,
      description: `Seat licence ${i}`,
      quantity: i + 1,
      unitAmount: 1200,
    }));
    const body = JSON.stringify({ invoice: "in_123", customer: { name: "Acme", email: "billing@acme.example" }, lines });
    await store.putNew([event(body)]);
    const stored = [...items.values()][0] as Record<string, unknown>;
    expect(stored.body).toBeUndefined();
    expect(stored.bodyZ).toBeInstanceOf(Uint8Array);
    expect((stored.bodyZ as Uint8Array).length).toBeLessThan(Buffer.byteLength(body) / 2);
    expect((await store.get("default", ID))?.body).toBe(body);
  });

  it("keeps a body that does not shrink as it is", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([event('{"a":1}')]);
    const stored = [...items.values()][0] as Record<string, unknown>;
    expect(stored.body).toBe('{"a":1}');
    expect(stored.bodyZ).toBeUndefined();
    expect((await store.get("default", ID))?.body).toBe('{"a":1}');
  });

  it("reads items written before compression, with a plain body", async () => {
    const { client, items } = fakeClient();
    const body = JSON.stringify({ note: "written by an older version ".repeat(10) });
    items.set(`EV#${ID}|EVENT`, { pk: `EV#${ID}`, sk: "EVENT", ...event(body) });
    expect((await new DynamoEventStore(client, "t").get("default", ID))?.body).toBe(body);
  });

  it("keeps the same id in two tenants as two events, each read only in its own tenant", async () => {
    const { client } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([event('{"a":1}'), { ...event('{"b":2}'), tenantId: "acme" }]);
    expect((await store.get("default", ID))?.body).toBe('{"a":1}');
    expect((await store.get("acme", ID))?.body).toBe('{"b":2}');
    expect(await store.get("other", ID)).toBeUndefined();
    expect([...(await store.getMany("acme", [ID, "evt_2"])).keys()]).toEqual([ID]);
  });

  it("reads an item of the old key format for its own tenant only, and marks it sent there", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    items.set(`EV#${ID}|EVENT`, { pk: `EV#${ID}`, sk: "EVENT", ...event('{"old":1}'), unsent: ["ep_1"], gsi1pk: "UNSENT" });
    expect((await store.get("default", ID))?.unsent).toEqual(["ep_1"]);
    expect(await store.get("acme", ID)).toBeUndefined();
    await store.markSent("acme", ID);
    expect(items.get(`EV#${ID}|EVENT`)?.unsent).toEqual(["ep_1"]);
    await store.markSent("default", ID);
    expect(items.get(`EV#${ID}|EVENT`)?.unsent).toBeUndefined();
    expect(items.size).toBe(1);
    // A tenant's own item of the new format stands before the old one.
    await store.putNew([event('{"new":1}')]);
    expect((await store.get("default", ID))?.body).toBe('{"new":1}');
  });

  it("writes one item for an event whose id spells its creation time, under the key the id names", async () => {
    const { client, items } = fakeClient();
    await new DynamoEventStore(client, "t").putNew([event('{"a":1}')]);
    expect([...items.values()]).toEqual([expect.objectContaining({ ...timedEventKey("default", ID), id: ID })]);
  });

  it("gives an id that is not time-ordered a lookup item, and leaves a second event of that id as the first", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([event('{"first":1}', "order-42")]);
    expect(items.get(`EV#order-42|EVENT#default`)).toEqual(lookupItem(event("", "order-42")));
    expect(items.size).toBe(2);
    await store.putNew([{ ...event('{"second":1}', "order-42"), createdAt: "2026-11-01T00:00:05.000Z" }]);
    expect(items.size).toBe(2);
    expect((await store.get("default", "order-42"))?.body).toBe('{"first":1}');
    expect(await store.get("acme", "order-42")).toBeUndefined();
  });

  it("finishes an event whose lookup item was written without it, at the lookup's place", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    const stopped = event('{"a":1}', "order-7");
    items.set(`EV#order-7|EVENT#default`, lookupItem(stopped));
    await store.putNew([{ ...stopped, createdAt: "2026-11-01T00:01:00.000Z" }]);
    expect(await store.get("default", "order-7")).toMatchObject({ body: '{"a":1}', createdAt: CREATED });
    expect(items.has(`${keys.listedEvent("default", CREATED, "order-7").pk}|${CREATED}#order-7`)).toBe(true);
  });

  it("reads a time-ordered id taken again after its event's retention as the new event", async () => {
    const { client } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([{ ...event('{"old":1}'), expiresAt: 1_700_000_000 }]);
    // A caller reuses the id later: its time is not the new event's, so the new event has a lookup item.
    await store.putNew([{ ...event('{"new":1}'), createdAt: "2026-12-01T00:00:00.000Z" }]);
    expect((await store.get("default", ID))?.body).toBe('{"new":1}');
  });

  it("lists a half-sent event on the sweeper's index and marks it sent where its id says it is", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([{ ...event('{"a":1}'), unsent: ["ep_1"] }]);
    const key = timedEventKey("default", ID);
    const stored = items.get(`${key?.pk}|${key?.sk}`);
    expect([stored?.gsi1pk, stored?.gsi1sk]).toEqual(["UNSENT", `${CREATED}#${ID}`]);
    await store.markSent("default", ID);
    expect([stored?.unsent, stored?.gsi1pk, items.size]).toEqual([undefined, undefined, 1]);
  });

  it("marks sent, adds an endpoint to and expunges an event found through its lookup item", async () => {
    const { client } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([{ ...event('{"secret":1}', "order-9"), unsent: ["ep_1"] }]);
    await store.markSent("default", "order-9");
    await store.addEndpoint("default", "order-9", "ep_2");
    expect(await store.expunge("default", "order-9", CREATED)).toBe(true);
    expect(await store.expunge("acme", "order-9", CREATED)).toBe(false);
    const read = await store.get("default", "order-9");
    expect(read).toMatchObject({ body: "null", endpointIds: ["ep_1", "ep_2"] });
    expect(read?.unsent).toBeUndefined();
  });

  it("reads back every event of a batch whatever its id, with one item each and a lookup item only for ids without their time", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            tenantId: fc.constantFrom("default", "acme"),
            at: fc.integer({ min: Date.parse("2020-01-01"), max: Date.parse("2040-01-01") }),
            own: fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(eventIdForKey("default", "k")))),
          }),
          { maxLength: 12 },
        ),
        async (specs) => {
          const { client, items } = fakeClient();
          const store = new DynamoEventStore(client, "t");
          const events = specs.map((s, i) => ({
            ...event(`{"i":${i}}`, s.own ?? newId("evt", s.at)),
            tenantId: s.tenantId,
            createdAt: new Date(s.at).toISOString(),
            // Kept past every time drawn: no event expires before a later one takes its id.
            expiresAt: 4_000_000_000,
          }));
          const firsts = new Map<string, EventRecord>();
          for (const e of events) if (!firsts.has(`${e.tenantId}|${e.id}`)) firsts.set(`${e.tenantId}|${e.id}`, e);
          for (const e of events) await store.putNew([e]);
          const lookups = [...firsts.values()].filter((e) => idTime(e.id) !== e.createdAt).length;
          expect(items.size).toBe(firsts.size + lookups);
          for (const e of firsts.values()) expect((await store.get(e.tenantId, e.id))?.body).toBe(e.body);
        },
      ),
      { numRuns: 150 },
    );
  });
});
