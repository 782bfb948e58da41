import { BatchGetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import type { EventRecord } from "../../functions/core/kernel/model.ts";

/**
 * A document client that keeps items by key: puts (with `attribute_not_exists`), batch gets and the
 * conditional updates `markSent` makes. Only what the store uses.
 */
function fakeClient() {
  const items = new Map<string, Record<string, unknown>>();
  const key = (k: Record<string, unknown>) => `${k.pk}|${k.sk}`;
  const conditionFailed = () => Object.assign(new Error("condition"), { name: "ConditionalCheckFailedException" });
  const client = {
    send: async (command: unknown) => {
      if (command instanceof PutCommand) {
        const item = command.input.Item as Record<string, unknown>;
        if (items.has(key(item))) throw conditionFailed();
        items.set(key(item), item);
        return {};
      }
      if (command instanceof BatchGetCommand) {
        const requests = Object.entries(command.input.RequestItems ?? {}) as [string, { Keys: Record<string, unknown>[] }][];
        return { Responses: Object.fromEntries(requests.map(([table, r]) => [table, r.Keys.flatMap((k) => items.get(key(k)) ?? [])])) };
      }
      if (command instanceof UpdateCommand) {
        const item = items.get(key(command.input.Key as Record<string, unknown>));
        const tenant = command.input.ExpressionAttributeValues?.[":tenant"];
        if (!item || (tenant !== undefined && item.tenantId !== tenant)) throw conditionFailed();
        for (const name of ["unsent", "gsi1pk", "gsi1sk"]) delete item[name];
        return {};
      }
      throw new Error("unexpected command");
    },
  };
  return { client: client as never, items };
}

const event = (body: string): EventRecord => ({
  id: "evt_1",
  tenantId: "default",
  type: "invoice.paid",
  body,
  createdAt: "2026-11-01T00:00:00.000Z",
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
    expect((await store.get("default", "evt_1"))?.body).toBe(body);
  });

  it("keeps a body that does not shrink as it is", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([event('{"a":1}')]);
    const stored = [...items.values()][0] as Record<string, unknown>;
    expect(stored.body).toBe('{"a":1}');
    expect(stored.bodyZ).toBeUndefined();
    expect((await store.get("default", "evt_1"))?.body).toBe('{"a":1}');
  });

  it("reads items written before compression, with a plain body", async () => {
    const { client, items } = fakeClient();
    const body = JSON.stringify({ note: "written by an older version ".repeat(10) });
    items.set("EV#evt_1|EVENT", { pk: "EV#evt_1", sk: "EVENT", ...event(body) });
    expect((await new DynamoEventStore(client, "t").get("default", "evt_1"))?.body).toBe(body);
  });

  it("keeps the same id in two tenants as two events, each read only in its own tenant", async () => {
    const { client } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([event('{"a":1}'), { ...event('{"b":2}'), tenantId: "acme" }]);
    expect((await store.get("default", "evt_1"))?.body).toBe('{"a":1}');
    expect((await store.get("acme", "evt_1"))?.body).toBe('{"b":2}');
    expect(await store.get("other", "evt_1")).toBeUndefined();
    expect([...(await store.getMany("acme", ["evt_1", "evt_2"])).keys()]).toEqual(["evt_1"]);
  });

  it("reads an item of the old key format for its own tenant only, and marks it sent there", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    items.set("EV#evt_1|EVENT", { pk: "EV#evt_1", sk: "EVENT", ...event('{"old":1}'), unsent: ["ep_1"], gsi1pk: "UNSENT" });
    expect((await store.get("default", "evt_1"))?.unsent).toEqual(["ep_1"]);
    expect(await store.get("acme", "evt_1")).toBeUndefined();
    await store.markSent("acme", "evt_1");
    expect(items.get("EV#evt_1|EVENT")?.unsent).toEqual(["ep_1"]);
    await store.markSent("default", "evt_1");
    expect(items.get("EV#evt_1|EVENT")?.unsent).toBeUndefined();
    expect(items.size).toBe(1);
    // A tenant's own item of the new format stands before the old one.
    await store.putNew([event('{"new":1}')]);
    expect((await store.get("default", "evt_1"))?.body).toBe('{"new":1}');
  });
});
