import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoTenantStore } from "../../functions/adapters/dynamo/dynamo-tenant-store.ts";
import type { TenantRecord } from "../../functions/core/kernel/model.ts";
import type { TenantStore } from "../../functions/core/kernel/ports.ts";
import { ensureTenant } from "../../functions/core/tenants/tenant-record.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { FakeClock } from "../support/fakes.ts";
import { MemoryTenantStore } from "../support/memory-tenants.ts";

/*
 * Tenant records on the DynamoDB emulator, through the adapter the functions use, and the same
 * scenarios on the in-memory store the unit tests use: the fake must behave as the table does.
 */
const TABLE = "tenants";
let dynamo: Emulator;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

const record = (id: string, at: string): TenantRecord => ({ id, metadata: {}, createdAt: at, updatedAt: at, revision: 0 });

describe.each([
  ["the DynamoDB table", () => new DynamoTenantStore(client, TABLE) as TenantStore],
  ["the in-memory fake", () => new MemoryTenantStore() as TenantStore],
])("tenant records in %s", (_name, makeStore) => {
  it("are created once, changed only at the revision read, and deleted", async () => {
    const store = makeStore();
    const id = `t-${Math.random().toString(36).slice(2)}`;
    expect(await store.create({ ...record(id, "2026-11-01T00:00:00.000Z"), name: "A", metadata: { k: "v" } })).toBe(true);
    expect(await store.create(record(id, "2026-11-02T00:00:00.000Z"))).toBe(false);
    const read = (await store.get(id)) as TenantRecord;
    expect(read).toEqual({
      id,
      name: "A",
      metadata: { k: "v" },
      createdAt: "2026-11-01T00:00:00.000Z",
      updatedAt: "2026-11-01T00:00:00.000Z",
      revision: 0,
    });
    expect(await store.replace({ ...read, name: "B" })).toBe(true);
    // Written at revision 0 again: somebody changed it since, so the write is refused.
    expect(await store.replace({ ...read, name: "C" })).toBe(false);
    expect(await store.get(id)).toMatchObject({ name: "B", revision: 1 });
    expect(await store.delete(id)).toBe(true);
    expect(await store.delete(id)).toBe(false);
    expect(await store.get(id)).toBeUndefined();
  });

  it("list every tenant oldest first, page by page, without gaps or repeats", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (seconds, limit) => {
          const store = makeStore();
          const run = Math.random().toString(36).slice(2);
          // Far in the future of any other scenario's tenants, so this run's are the list's tail.
          const made = seconds.map((s) =>
            record(`p-${run}-${s}`, new Date(Date.UTC(2090, 0, 1) + s * 1000 + Number.parseInt(run.slice(0, 4), 36)).toISOString()),
          );
          for (const r of made) await store.create(r);
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 100; pages++) {
            const page = await store.list(limit, cursor);
            seen.push(...page.items.map((t) => t.id));
            cursor = page.nextCursor;
            if (!cursor) break;
          }
          const mine = seen.filter((id) => id.startsWith(`p-${run}-`));
          expect(mine).toEqual(
            [...made].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((r) => r.id),
          );
          expect(new Set(seen).size).toBe(seen.length);
        },
      ),
      { numRuns: 8 },
    );
  });

  it("end with one record when many first endpoints of a tenant race to write it", async () => {
    const store = makeStore();
    const id = `race-${Math.random().toString(36).slice(2)}`;
    const clock = new FakeClock();
    const records = await Promise.all(Array.from({ length: 8 }, () => ensureTenant({ tenants: store, clock }, id)));
    expect(new Set(records.map((r) => r.createdAt)).size).toBe(1);
    expect((await store.get(id))?.createdAt).toBe(records[0]?.createdAt);
  });
});
