import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoScheduleStore } from "../../functions/adapters/dynamo/dynamo-schedule-store.ts";
import type { ScheduledItem, ScheduleStore } from "../../functions/core/scheduling/schedule.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { MemoryScheduleStore } from "../support/memory-schedule.ts";

/*
 * The scheduled messages' store on the DynamoDB emulator, against the in-memory fake the unit tests
 * use: the same generated operations give the same answers, so what the unit tests prove of the
 * scheduler holds of the adapter the functions use (the due index read page by page across its
 * shards, the cap under concurrent holds, claims and ends as conditions).
 */
const TABLE = "schedule-store";
let dynamo: Emulator;
let client: DynamoDBDocumentClient;
let store: DynamoScheduleStore;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoScheduleStore(client, TABLE);
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

let runs = 0;
const BASE = Date.parse("2027-01-01T00:00:00Z");
function item(tenantId: string, eventId: string, dueSeconds: number): ScheduledItem {
  const deliverAt = new Date(BASE + dueSeconds * 1000).toISOString();
  return {
    tenantId,
    eventId,
    type: "a",
    deliverAt,
    endpointIds: ["ep_1"],
    createdAt: new Date(BASE).toISOString(),
    state: "waiting",
    expiresAt: 0,
  };
}

/** Every due item, page by page. */
async function allDue(s: ScheduleStore, dueBy: string, page: number): Promise<string[]> {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const { items, next } = await s.due(dueBy, page, after);
    out.push(...items.map((i) => `${i.tenantId}/${i.eventId}`));
    if (next === undefined) return out;
    after = next;
  }
}

describe("the scheduled messages' store on the DynamoDB emulator", () => {
  it("answers generated holds, cancels, claims and due pages as the in-memory fake does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ tenant: fc.constantFrom("a", "b"), id: fc.integer({ min: 0, max: 9 }), due: fc.integer({ min: 0, max: 50 }) }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        fc.array(
          fc.record({ tenant: fc.constantFrom("a", "b"), id: fc.integer({ min: 0, max: 9 }), op: fc.constantFrom("cancel", "claim") }),
        ),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 50 }),
        async (holds, ops, page, dueBy) => {
          // A fresh tenant pair per run (shrinking repeats a run's values, and the table keeps its items).
          const run = `r${runs++}`;
          const fake = new MemoryScheduleStore();
          const tenant = (t: string) => `${run}-${t}`;
          for (const h of holds) {
            const it = item(tenant(h.tenant), `e${h.id}`, h.due);
            expect(await store.hold(it, 6)).toBe(await fake.hold(it, 6));
          }
          const at = new Date(BASE).toISOString();
          for (const o of ops) {
            const [real, mem] = await Promise.all([store.get(tenant(o.tenant), `e${o.id}`), fake.get(tenant(o.tenant), `e${o.id}`)]);
            expect(real?.state).toBe(mem?.state);
            if (!real || !mem) continue;
            if (o.op === "cancel") expect(await store.end(real, "cancelled", at)).toBe(await fake.end(mem, "cancelled", at));
            else expect(await store.claim(real, at)).toBe(await fake.claim(mem, at));
          }
          const bound = new Date(BASE + dueBy * 1000).toISOString();
          // Only this run's tenants: the table holds earlier runs' items too.
          const mine = (keys: string[]) => keys.filter((k) => k.startsWith(`${run}-`));
          expect(mine(await allDue(store, bound, page))).toEqual(await allDue(fake, bound, page));
          for (const t of ["a", "b"]) {
            const listed = (await store.listByTenant(tenant(t), 100)).items.map((i) => `${i.eventId}:${i.state}`);
            expect(listed).toEqual((await fake.listByTenant(tenant(t), 100)).items.map((i) => `${i.eventId}:${i.state}`));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("lets concurrent holds of one tenant take no more places than its cap", async () => {
    const tenantId = `cap-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.hold(item(tenantId, `e${i}`, 60), 5)));
    expect(results.filter((r) => r === "held")).toHaveLength(5);
    expect(results.filter((r) => r === "full")).toHaveLength(15);
    const [first] = (await store.listByTenant(tenantId, 10)).items;
    expect(await store.end(first as ScheduledItem, "cancelled", new Date().toISOString())).toBe(true);
    expect(await store.hold(item(tenantId, "again", 60), 5)).toBe("held");
  });
});
