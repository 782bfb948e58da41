import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoPushConnections } from "../../functions/adapters/dynamo/dynamo-push-connections.ts";
import { createDocumentClient } from "../../functions/adapters/lambda/aws-clients.ts";
import type { PushConnection, PushConnectionStore, PushPosition } from "../../functions/core/push/deps.ts";
import { startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { MemoryPushConnections } from "../support/memory-push.ts";

/*
 * The push connection store's port against the fake the unit tests use and the DynamoDB adapter on
 * dynalite: versioned moves, acks that only go up, pokes, and the lists by endpoint, tenant and all.
 */

async function memory() {
  return { store: new MemoryPushConnections() as PushConnectionStore, stop: async (): Promise<void> => undefined };
}

async function dynamo() {
  const emulator = await startDynamo(undefined);
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", emulator.url);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  await ensureTable(new DynamoDBClient({}), "contract-push");
  return {
    store: new DynamoPushConnections(createDocumentClient(), "contract-push") as PushConnectionStore,
    stop: async () => {
      vi.unstubAllEnvs();
      await emulator.stop();
    },
  };
}

const position: PushPosition = {
  next: 1,
  floorMs: 5,
  pushed: [],
  ackedNext: 1,
  ackedAtMs: 10,
  windowSinceMs: 10,
  checkedAtMs: 10,
  leaseUntilMs: 0,
  version: 0,
  pokes: 0,
};

const subscribed = (id: string, endpointId: string, tenantId: string): PushConnection => ({
  id,
  connectedAtMs: 1,
  subscription: { tenantId, endpointId, credential: { kind: "tenant", keyId: "key_1" } },
});

describe.each([
  ["the in-memory fake", memory],
  ["the DynamoDB adapter on dynalite", dynamo],
])("push connections, on %s", (_name, make) => {
  let w: Awaited<ReturnType<typeof memory>>;
  beforeAll(async () => {
    w = await make();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("lists a connection as pending until it subscribes, then by its endpoint and tenant; removes it whole", async () => {
    await w.store.open({ id: "c1", connectedAtMs: 1 }, 2e9);
    expect((await w.store.get("c1"))?.connection).toEqual({ id: "c1", connectedAtMs: 1 });
    expect((await w.store.all()).map((c) => c.id)).toContain("c1");
    expect(await w.store.ofEndpoint("ep_1")).toEqual([]);
    await w.store.subscribe(subscribed("c1", "ep_1", "acme"), position, 2e9);
    await w.store.subscribe(subscribed("c2", "ep_2", "acme"), position, 2e9);
    await w.store.subscribe(subscribed("c3", "ep_3", "acme-two"), position, 2e9);
    expect((await w.store.ofEndpoint("ep_1")).map((c) => c.id)).toEqual(["c1"]);
    expect((await w.store.ofTenant("acme")).map((c) => c.id).sort()).toEqual(["c1", "c2"]);
    expect(await w.store.get("c1")).toEqual({ connection: subscribed("c1", "ep_1", "acme"), position });
    await w.store.remove("c1");
    expect(await w.store.get("c1")).toBeUndefined();
    expect((await w.store.all()).map((c) => c.id)).not.toContain("c1");
  });

  it("moves a position only over the version it read, and leaves acks and pokes to their own writes", async () => {
    await w.store.subscribe(subscribed("m1", "ep_m", "t"), position, 2e9);
    const moved = { ...position, next: 7, pushed: [1, 2, 3, 4, 5, 6], version: 1, leaseUntilMs: 99, ackedNext: 100, pokes: 50 };
    expect(await w.store.move("m1", moved, 0)).toBe(true);
    expect(await w.store.move("m1", { ...moved, version: 2 }, 0)).toBe(false);
    await w.store.ack("m1", 4, 20);
    await w.store.ack("m1", 3, 30);
    await w.store.poke("m1");
    expect((await w.store.get("m1"))?.position).toEqual({ ...moved, ackedNext: 4, ackedAtMs: 20, pokes: 1 });
  });
});
