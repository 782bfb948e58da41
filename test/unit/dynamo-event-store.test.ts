import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoEventStore } from "../../functions/adapters/dynamo-event-store.ts";
import type { EventRecord } from "../../functions/core/model.ts";

/** A document client that keeps put items by key and answers gets: only the two commands the test uses. */
function fakeClient() {
  const items = new Map<string, Record<string, unknown>>();
  const key = (k: Record<string, unknown>) => `${k.pk}|${k.sk}`;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof PutCommand) {
        const item = command.input.Item as Record<string, unknown>;
        items.set(key(item), item);
        return {};
      }
      if (command instanceof GetCommand) return { Item: items.get(key(command.input.Key as Record<string, unknown>)) };
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
    expect((await store.get("evt_1"))?.body).toBe(body);
  });

  it("keeps a body that does not shrink as it is", async () => {
    const { client, items } = fakeClient();
    const store = new DynamoEventStore(client, "t");
    await store.putNew([event('{"a":1}')]);
    const stored = [...items.values()][0] as Record<string, unknown>;
    expect(stored.body).toBe('{"a":1}');
    expect(stored.bodyZ).toBeUndefined();
    expect((await store.get("evt_1"))?.body).toBe('{"a":1}');
  });

  it("reads items written before compression, with a plain body", async () => {
    const { client, items } = fakeClient();
    const body = JSON.stringify({ note: "written by an older version ".repeat(10) });
    items.set("EV#evt_1|EVENT", { pk: "EV#evt_1", sk: "EVENT", ...event(body) });
    expect((await new DynamoEventStore(client, "t").get("evt_1"))?.body).toBe(body);
  });
});
