import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoAttemptLog } from "../../functions/adapters/dynamo/dynamo-attempt-log.ts";
import { DynamoEndpointHealth } from "../../functions/adapters/dynamo/dynamo-endpoint-health.ts";
import { DynamoEndpointStore } from "../../functions/adapters/dynamo/dynamo-endpoint-store.ts";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import { DynamoEventTypeStore } from "../../functions/adapters/dynamo/dynamo-event-type-store.ts";
import { DynamoRateCounter } from "../../functions/adapters/dynamo/dynamo-rate-counter.ts";
import { DynamoRecoveryStore } from "../../functions/adapters/dynamo/dynamo-recovery-store.ts";
import { createDocumentClient } from "../../functions/adapters/lambda/aws-clients.ts";
import { realSleep } from "../../functions/adapters/lambda/persistent-call.ts";
import type { EndpointHealthStore, RateCounter } from "../../functions/core/delivery/deps.ts";
import type { TenantSubscriptions } from "../../functions/core/endpoints/subscriptions.ts";
import type { EventTypeRecord, EventTypeStore } from "../../functions/core/event-types/event-types.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { messageIdFor } from "../../functions/core/kernel/ids.ts";
import type { AttemptRecord, CircuitState, Endpoint, EventRecord, RecoveryRecord } from "../../functions/core/kernel/model.ts";
import type { AttemptLog, EndpointStore, EventListFilter, EventStore, Page, RecoveryStore } from "../../functions/core/kernel/ports.ts";
import { startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import {
  endpointFixture,
  MemoryAttemptLog,
  MemoryEndpointHealth,
  MemoryEndpointStore,
  MemoryEventStore,
  MemoryEventTypeStore,
  MemoryRateCounter,
  MemoryRecoveryStore,
} from "../support/fakes.ts";

/*
 * The same port tests against the in-memory fakes the unit tests use and against the DynamoDB
 * adapters on dynalite, so that the fakes cannot drift from what production does: cursors,
 * conditional writes and ordering.
 */

interface World {
  endpoints: EndpointStore & TenantSubscriptions;
  events: EventStore;
  attempts: AttemptLog;
  health: EndpointHealthStore;
  rates: RateCounter;
  recoveries: RecoveryStore;
  eventTypes: EventTypeStore;
  stop(): Promise<void>;
}

async function memoryWorld(): Promise<World> {
  const endpoints = new MemoryEndpointStore();
  return {
    endpoints,
    events: new MemoryEventStore(),
    attempts: new MemoryAttemptLog(),
    health: new MemoryEndpointHealth(endpoints),
    rates: new MemoryRateCounter(),
    recoveries: new MemoryRecoveryStore(),
    eventTypes: new MemoryEventTypeStore(),
    stop: async () => undefined,
  };
}

async function dynamoWorld(): Promise<World> {
  const dynamo = await startDynamo(undefined);
  // The production client, pointed at the emulator the way the local stack points it.
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", dynamo.url);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  const table = "contract";
  await ensureTable(new DynamoDBClient({}), table);
  const client = createDocumentClient();
  return {
    endpoints: new DynamoEndpointStore(client, table),
    events: new DynamoEventStore(client, table),
    attempts: new DynamoAttemptLog(client, table, { clock: systemClock, sleep: realSleep, remainingMs: () => Number.POSITIVE_INFINITY }),
    health: new DynamoEndpointHealth(client, table),
    rates: new DynamoRateCounter(client, table),
    recoveries: new DynamoRecoveryStore(client, table),
    eventTypes: new DynamoEventTypeStore(client, table),
    stop: async () => {
      vi.unstubAllEnvs();
      await dynamo.stop();
    },
  };
}

/** Every item of a paged read, following cursors; also checks that no page repeats an item. */
async function allPages<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === undefined) return items;
  }
  throw new Error("the cursor never ended");
}

const minute = (n: number) => new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString();

function attempt(eventId: string, endpointId: string, n: number, at: string, extra: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    eventId,
    endpointId,
    tenantId: "default",
    attempt: n,
    trigger: "scheduled",
    status: "failed",
    url: "https://receiver.example/hook",
    at,
    durationMs: 3,
    expiresAt: 1_900_000_000,
    ...extra,
  };
}

function event(id: string, createdAt: string, extra: Partial<EventRecord> = {}): EventRecord {
  return {
    id,
    tenantId: "default",
    type: "invoice.paid",
    body: `{"id":"${id}"}`,
    createdAt,
    requestHash: `h-${id}`,
    endpointIds: ["ep_1"],
    expiresAt: 1_900_000_000,
    ...extra,
  };
}

describe.each([
  ["the in-memory fakes", memoryWorld],
  ["the DynamoDB adapters on dynalite", dynamoWorld],
])("the ports, on %s", (_name, make) => {
  let w: World;
  beforeAll(async () => {
    w = await make();
  });
  afterAll(async () => {
    await w?.stop();
  });

  describe("the attempt log", () => {
    it("reads an endpoint's attempts newest first, page by page, whatever order they were written in", async () => {
      const written = [3, 1, 4, 0, 2].map((m) =>
        attempt(`evt_n${m}`, "ep_order", 1, minute(m), { status: m % 2 ? "failed" : "succeeded" }),
      );
      for (const a of written) await w.attempts.record(a);
      await w.attempts.record(attempt("evt_n9", "ep_other", 1, minute(9)));
      const newestFirst = [...written].sort((a, b) => b.at.localeCompare(a.at));
      expect(await allPages((cursor) => w.attempts.byEndpoint("ep_order", 2, cursor))).toEqual(newestFirst);
      expect(await allPages((cursor) => w.attempts.byEndpoint("ep_order", 2, cursor, "failed"))).toEqual(
        newestFirst.filter((a) => a.status === "failed"),
      );
      expect((await w.attempts.byEndpoint("ep_order", 10)).nextCursor).toBeUndefined();
    });

    it("reads the attempts in a window [since, until), newest first, page by page", async () => {
      for (const m of [10, 11, 12, 13, 14]) await w.attempts.record(attempt(`evt_w${m}`, "ep_window", 1, minute(m)));
      const inWindow = await allPages((cursor) => w.attempts.byEndpointBetween("ep_window", minute(11), minute(14), 2, cursor));
      expect(inWindow.map((a) => a.eventId)).toEqual(["evt_w13", "evt_w12", "evt_w11"]);
    });

    it("reads one delivery's chains, and not another endpoint's whose id starts the same", async () => {
      const scheduled = [1, 2].map((n) => attempt("evt_d", "ep_1", n, minute(20 + n)));
      const manual = attempt("evt_d", "ep_1", 1, minute(25), { trigger: "manual", chain: "replay_1", status: "succeeded" });
      const neighbour = attempt("evt_d", "ep_10", 1, minute(26));
      for (const a of [...scheduled, manual, neighbour]) await w.attempts.record(a);
      const byAt = (a: AttemptRecord, b: AttemptRecord) => a.at.localeCompare(b.at);
      expect((await w.attempts.ofDelivery("evt_d", "ep_1")).sort(byAt)).toEqual([...scheduled, manual]);
      expect((await w.attempts.allOfEvent("default", "evt_d")).sort(byAt)).toEqual([...scheduled, manual, neighbour]);
    });
  });

  describe("the endpoint store", () => {
    it("writes a changed endpoint only over the revision it read, and bumps the revision", async () => {
      await w.endpoints.put(endpointFixture({ id: "ep_rev", retrySchedule: [5, 60], rateLimitPerSecond: 3 }));
      const read = (await w.endpoints.get("ep_rev")) as Endpoint;
      expect(read).toEqual(endpointFixture({ id: "ep_rev", retrySchedule: [5, 60], rateLimitPerSecond: 3 }));
      expect(await w.endpoints.replace({ ...read, description: "first" })).toBe(true);
      expect(await w.endpoints.replace({ ...read, description: "stale" })).toBe(false);
      const after = await w.endpoints.get("ep_rev");
      expect(after).toMatchObject({ description: "first", revision: 1 });
      expect(await w.endpoints.delete("ep_rev")).toBe(true);
      expect(await w.endpoints.delete("ep_rev")).toBe(false);
      expect(await w.endpoints.get("ep_rev")).toBeUndefined();
    });

    it("lists a tenant's endpoints in the order they were created, page by page", async () => {
      const ids = ["ep_t1", "ep_t2", "ep_t3", "ep_t4", "ep_t5"];
      for (const [i, id] of ids.entries()) await w.endpoints.put(endpointFixture({ id, tenantId: "listed", createdAt: minute(i) }));
      await w.endpoints.put(endpointFixture({ id: "ep_elsewhere", tenantId: "other" }));
      const listed = await allPages((cursor) => w.endpoints.listByTenant("listed", 2, cursor));
      expect(listed.map((e) => e.id)).toEqual(ids);
    });

    it("gives intake each endpoint of a tenant as stored: a disabled one shows as disabled, with why", async () => {
      await w.endpoints.put(endpointFixture({ id: "ep_s1", tenantId: "subs", createdAt: minute(1), eventTypes: ["a"] }));
      await w.endpoints.put(
        endpointFixture({
          id: "ep_s2",
          tenantId: "subs",
          createdAt: minute(2),
          enabled: false,
          disabledReason: "gone",
          disabledAt: minute(3),
        }),
      );
      await w.endpoints.put(endpointFixture({ id: "ep_s3", tenantId: "subs-other" }));
      const subscriptions = await w.endpoints.subscriptionsOf("subs");
      expect(subscriptions.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: "ep_s1", enabled: true, eventTypes: ["a"] },
        { id: "ep_s2", enabled: false, disabledReason: "gone" },
      ]);
    });
  });

  describe("endpoint health", () => {
    const circuit = (openUntil: string): CircuitState => ({ state: "open", openedAt: minute(30), openUntil, cooldownSeconds: 60 });

    it("makes each transition once, under its condition, and bumps the revision a PATCH checks", async () => {
      await w.endpoints.put(endpointFixture({ id: "ep_h" }));
      const before = (await w.endpoints.get("ep_h")) as Endpoint;
      expect([await w.health.markFailing("ep_h", minute(1)), await w.health.markFailing("ep_h", minute(2))]).toEqual([true, false]);
      expect(await w.endpoints.get("ep_h")).toMatchObject({ failingSince: minute(1) });
      expect([await w.health.markHealthy("ep_h"), await w.health.markHealthy("ep_h")]).toEqual([true, false]);
      expect([
        await w.health.openCircuit("ep_h", circuit(minute(31)), undefined),
        await w.health.openCircuit("ep_h", circuit(minute(32)), undefined),
      ]).toEqual([true, false]);
      // One probe at a time: a second worker may not take it while the first one's lease runs.
      expect(await w.health.takeProbe("ep_h", minute(31), minute(31), minute(35))).toBe(true);
      expect(await w.health.takeProbe("ep_h", minute(31), minute(32), minute(36))).toBe(false);
      expect(await w.health.takeProbe("ep_h", minute(31), minute(36), minute(40))).toBe(true);
      expect((await w.endpoints.get("ep_h"))?.circuit).toMatchObject({ state: "half-open", probeUntil: minute(40) });
      // A failed probe reopens the circuit it saw, and only that one.
      expect(await w.health.openCircuit("ep_h", circuit(minute(50)), minute(29))).toBe(false);
      expect(await w.health.openCircuit("ep_h", circuit(minute(50)), minute(31))).toBe(true);
      expect([await w.health.closeCircuit("ep_h", minute(31)), await w.health.closeCircuit("ep_h", minute(50))]).toEqual([false, true]);
      expect((await w.endpoints.get("ep_h"))?.circuit).toBeUndefined();
      expect(await w.endpoints.replace({ ...before, description: "patched on a stale read" })).toBe(false);
    });

    it("disables an enabled endpoint still at the URL that answered, once", async () => {
      await w.endpoints.put(endpointFixture({ id: "ep_off", url: "https://new.example/hook" }));
      expect(await w.health.disable("ep_off", "gone", minute(5), "https://old.example/hook")).toBe(false);
      expect(await w.health.disable("ep_off", "gone", minute(5), "https://new.example/hook")).toBe(true);
      expect(await w.health.disable("ep_off", "failing", minute(6), "https://new.example/hook")).toBe(false);
      expect(await w.endpoints.get("ep_off")).toMatchObject({ enabled: false, disabledReason: "gone", disabledAt: minute(5) });
    });

    it("moves lanes from the lane seen only, and counts fast successes of the lane entered at the time seen", async () => {
      // Stored before lanes: no lane attribute, which is the fast lane.
      await w.endpoints.put(endpointFixture({ id: "ep_lane" }));
      expect(await w.health.moveLane("ep_lane", "probation", "fast", minute(1))).toBe(false);
      expect([
        await w.health.moveLane("ep_lane", "fast", "slow", minute(1)),
        await w.health.moveLane("ep_lane", "fast", "slow", minute(2)),
      ]).toEqual([true, false]);
      expect(await w.endpoints.get("ep_lane")).toMatchObject({ lane: "slow", laneSince: minute(1), laneFastSuccesses: 0 });
      expect(await w.health.countFastSuccess("ep_lane", minute(0))).toBe(0);
      expect([await w.health.countFastSuccess("ep_lane", minute(1)), await w.health.countFastSuccess("ep_lane", minute(1))]).toEqual([
        1, 2,
      ]);
      // Ending the run holds while the endpoint is in the lane seen, whatever the count; not for another stint.
      expect([await w.health.resetFastSuccesses("ep_lane", minute(1)), await w.health.resetFastSuccesses("ep_lane", minute(0))]).toEqual([
        true,
        false,
      ]);
      expect((await w.endpoints.get("ep_lane"))?.laneFastSuccesses).toBe(0);
      expect(await w.health.resetFastSuccesses("ep_lane", minute(1))).toBe(true);
      await w.health.countFastSuccess("ep_lane", minute(1));
      expect(await w.health.moveLane("ep_lane", "slow", "fast", minute(3))).toBe(true);
      expect(await w.endpoints.get("ep_lane")).toMatchObject({ lane: "fast", laneSince: minute(3), laneFastSuccesses: 0 });
      // In the fast lane there is no run to count, nor to end.
      expect(await w.health.countFastSuccess("ep_lane", minute(3))).toBe(0);
      expect(await w.health.resetFastSuccesses("ep_lane", minute(3))).toBe(false);
      expect(await w.health.moveLane("ep_missing", "fast", "slow", minute(3))).toBe(false);
    });

    it("records the moves out of the fast lane with the move itself, and keeps them through moves that do not say", async () => {
      await w.endpoints.put(endpointFixture({ id: "ep_way_back", lane: "fast", laneSince: minute(0) }));
      expect(await w.health.moveLane("ep_way_back", "fast", "slow", minute(1), 3)).toBe(true);
      expect(await w.endpoints.get("ep_way_back")).toMatchObject({ lane: "slow", laneSince: minute(1), laneDemotions: 3 });
      expect(await w.health.moveLane("ep_way_back", "slow", "fast", minute(2))).toBe(true);
      expect(await w.endpoints.get("ep_way_back")).toMatchObject({ lane: "fast", laneSince: minute(2), laneDemotions: 3 });
      // A move that lost its race records nothing.
      expect(await w.health.moveLane("ep_way_back", "slow", "fast", minute(3), 7)).toBe(false);
      expect((await w.endpoints.get("ep_way_back"))?.laneDemotions).toBe(3);
    });
  });

  describe("the event store", () => {
    it("keeps the first write of an id, and lists half-sent events oldest first until they are sent", async () => {
      await w.events.putNew([event("evt_u2", minute(2), { unsent: ["ep_1"] }), event("evt_u1", minute(1), { unsent: ["ep_1"] })]);
      await w.events.putNew([event("evt_u1", minute(1), { body: '{"changed":true}' }), event("evt_sent", minute(0))]);
      expect((await w.events.get("default", "evt_u1"))?.body).toBe('{"id":"evt_u1"}');
      expect([...(await w.events.getMany("default", ["evt_u1", "evt_none", "evt_sent"])).keys()].sort()).toEqual(["evt_sent", "evt_u1"]);
      expect((await w.events.listUnsent(minute(3), 10)).map((e) => e.id)).toEqual(["evt_u1", "evt_u2"]);
      expect((await w.events.listUnsent(minute(2), 10)).map((e) => e.id)).toEqual(["evt_u1"]);
      expect((await w.events.listUnsent(minute(3), 1)).map((e) => e.id)).toEqual(["evt_u1"]);
      await w.events.markSent("default", "evt_u1");
      expect((await w.events.get("default", "evt_u1"))?.unsent).toBeUndefined();
      expect((await w.events.listUnsent(minute(3), 10)).map((e) => e.id)).toEqual(["evt_u2"]);
    });

    it("names an event by its tenant and id: the same id in two tenants is two events", async () => {
      await w.events.putNew([event("evt_same", minute(5)), event("evt_same", minute(6), { tenantId: "other", body: '{"other":true}' })]);
      expect((await w.events.get("default", "evt_same"))?.body).toBe('{"id":"evt_same"}');
      expect((await w.events.get("other", "evt_same"))?.body).toBe('{"other":true}');
      expect(await w.events.get("third", "evt_same")).toBeUndefined();
      expect([...(await w.events.getMany("third", ["evt_same"])).keys()]).toEqual([]);
      await w.attempts.record(attempt("evt_same", "ep_other", 1, minute(7), { tenantId: "other" }));
      expect((await w.attempts.allOfEvent("default", "evt_same")).map((a) => a.endpointId)).toEqual([]);
      expect((await w.attempts.allOfEvent("other", "evt_same")).map((a) => a.endpointId)).toEqual(["ep_other"]);
    });

    it("keeps an event's message id in the same write, and reads an event stored without one as such", async () => {
      const messageId = messageIdFor("default", "evt.with.dots");
      await w.events.putNew([event("evt.with.dots", minute(8), { messageId }), event("evt_before", minute(8))]);
      const read = await w.events.getMany("default", ["evt.with.dots", "evt_before"]);
      expect(read.get("evt.with.dots")).toEqual(event("evt.with.dots", minute(8), { messageId }));
      expect(read.get("evt_before")).toEqual(event("evt_before", minute(8)));
      const listed = (await w.events.listByTenant("default", {}, 50)).items.filter((e) => e.createdAt === minute(8));
      expect(Object.fromEntries(listed.map((e) => [e.id, e.messageId]))).toEqual({ "evt.with.dots": messageId, evt_before: undefined });
    });
  });

  describe("the event store, for a session limited to some endpoints", () => {
    const scoped = (id: string, n: number, endpointIds: string[], type = "invoice.paid") =>
      event(id, minute(n), { tenantId: "scoped", endpointIds, type });
    const listed = (filter: EventListFilter, limit: number) =>
      allPages((cursor) => w.events.listByTenant("scoped", filter, limit, cursor)).then((items) => items.map((e) => e.id));

    it("lists only events with a delivery to one of the endpoints, newest first, across pages that may be short", async () => {
      await w.events.putNew([
        scoped("evt_s1", 11, ["ep_a"]),
        scoped("evt_s2", 12, ["ep_b"]),
        scoped("evt_s3", 13, ["ep_b", "ep_a"], "invoice.sent"),
        scoped("evt_s4", 14, ["ep_c"]),
        scoped("evt_s5", 15, ["ep_c", "ep_b"]),
        scoped("evt_s6", 16, []),
      ]);
      for (const limit of [1, 2, 50]) {
        expect(await listed({ endpointIds: ["ep_a"] }, limit)).toEqual(["evt_s3", "evt_s1"]);
        expect(await listed({ endpointIds: ["ep_a", "ep_c"] }, limit)).toEqual(["evt_s5", "evt_s4", "evt_s3", "evt_s1"]);
        expect(await listed({ endpointIds: ["ep_b"], type: "invoice.sent" }, limit)).toEqual(["evt_s3"]);
        expect(await listed({ endpointIds: ["ep_none"] }, limit)).toEqual([]);
      }
      expect(await listed({ endpointIds: [] }, 50)).toEqual([]);
      expect(await listed({}, 50)).toEqual(["evt_s6", "evt_s5", "evt_s4", "evt_s3", "evt_s2", "evt_s1"]);
    });

    it("names one more endpoint of an event once, and only in the event's own tenant", async () => {
      await w.events.putNew([scoped("evt_add", 20, ["ep_a"])]);
      await w.events.addEndpoint("scoped", "evt_add", "ep_d");
      await w.events.addEndpoint("scoped", "evt_add", "ep_d");
      await w.events.addEndpoint("scoped", "evt_add", "ep_a");
      await w.events.addEndpoint("elsewhere", "evt_add", "ep_e");
      expect((await w.events.get("scoped", "evt_add"))?.endpointIds).toEqual(["ep_a", "ep_d"]);
      expect(await w.events.get("elsewhere", "evt_add")).toBeUndefined();
      expect(await listed({ endpointIds: ["ep_d"] }, 10)).toEqual(["evt_add"]);
    });
  });

  describe("the recovery store", () => {
    const recovery = (id: string): RecoveryRecord => ({
      id,
      endpointId: "ep_r",
      tenantId: "default",
      since: minute(0),
      until: minute(10),
      status: "running",
      steps: 0,
      resent: 0,
      scanned: 0,
      createdAt: minute(11),
      updatedAt: minute(11),
      expiresAt: 1_900_000_000,
    });

    it("applies each step once, and fails only a running recovery", async () => {
      await w.recoveries.put(recovery("rcv_1"));
      const stepped = { ...recovery("rcv_1"), steps: 1, scanned: 5, cursor: "c1", updatedAt: minute(12) };
      expect(await w.recoveries.advance(stepped, 0)).toBe(true);
      expect(await w.recoveries.advance({ ...stepped, scanned: 10 }, 0)).toBe(false);
      expect(await w.recoveries.get("ep_r", "rcv_1")).toEqual(stepped);
      const completed = { ...stepped, steps: 2, status: "completed" as const, completedAt: minute(13) };
      expect(await w.recoveries.advance(completed, 1)).toBe(true);
      await w.recoveries.fail("ep_r", "rcv_1", minute(14), "too late");
      expect(await w.recoveries.get("ep_r", "rcv_1")).toMatchObject({ status: "completed" });
      await w.recoveries.put(recovery("rcv_2"));
      await w.recoveries.fail("ep_r", "rcv_2", minute(14), "a step kept failing");
      expect(await w.recoveries.get("ep_r", "rcv_2")).toMatchObject({
        status: "failed",
        error: "a step kept failing",
        updatedAt: minute(14),
      });
      expect(await w.recoveries.advance({ ...recovery("rcv_2"), steps: 1 }, 0)).toBe(false);
    });

    it("keeps an ordered recovery's phase, and lists its stash in key order, page by page, each key once, apart from another recovery's", async () => {
      const ordered = { ...recovery("rcv_3"), ordered: true, phase: "send" as const, steps: 4 };
      await w.recoveries.put(ordered);
      expect(await w.recoveries.get("ep_r", "rcv_3")).toEqual(ordered);
      // Keys as emission keys are: a time, a time and an id (written out of order, one twice).
      const keysOf = (n: number) => `${minute(n)}#${minute(0)}#evt_${String(100 - n).padStart(3, "0")}`;
      const entries = [7, 2, 9, 4, 1, 8, 3, 6, 5, 0].map((n) => ({ key: keysOf(n), eventId: `evt_${n}` }));
      await w.recoveries.stash(ordered, entries.slice(0, 6));
      await w.recoveries.stash(ordered, entries.slice(4));
      await w.recoveries.stash({ ...recovery("rcv_30") }, [{ key: keysOf(1), eventId: "other" }]);
      const listed: { key: string; eventId: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await w.recoveries.stashed("ep_r", "rcv_3", 3, cursor);
        expect(page.items.length).toBeLessThanOrEqual(3);
        listed.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(listed).toEqual([...entries].sort((a, b) => (a.key < b.key ? -1 : 1)));
      expect(await w.recoveries.get("ep_r", "rcv_3")).toEqual(ordered);
    });
  });

  describe("the event-type catalog", () => {
    const type = (name: string, extra: Partial<EventTypeRecord> = {}): EventTypeRecord => ({
      name,
      description: `about ${name}`,
      archived: false,
      createdAt: minute(0),
      updatedAt: minute(0),
      ...extra,
    });
    // A schema DynamoDB could not hold as a map: an empty key, and deeper than its 32 levels.
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 40; i++) deep = { items: deep };
    const schema = { type: "object", properties: { "": { type: "integer" }, list: deep } };

    it("creates each name once, replaces only what exists, and lists by name across pages", async () => {
      expect(await w.eventTypes.create(type("b.second", { schema, examples: [{ "": 1, list: deep }] }))).toBe(true);
      expect(await w.eventTypes.create(type("b.second"))).toBe(false);
      expect(await w.eventTypes.replace(type("zz.missing"))).toBe(false);
      for (const name of ["c.third", "a.first"]) await w.eventTypes.create(type(name));
      expect(await w.eventTypes.replace(type("c.third", { archived: true, updatedAt: minute(1) }))).toBe(true);
      expect(await w.eventTypes.get("b.second")).toEqual(type("b.second", { schema, examples: [{ "": 1, list: deep }] }));
      expect(await w.eventTypes.get("c.third")).toEqual(type("c.third", { archived: true, updatedAt: minute(1) }));
      const listed = await allPages((cursor) => w.eventTypes.list(2, cursor));
      expect(listed.map((t) => t.name)).toEqual(["a.first", "b.second", "c.third"]);
      const many = await w.eventTypes.getMany(["a.first", "c.third", "nope"]);
      expect([...many.keys()].sort()).toEqual(["a.first", "c.third"]);
      expect(await w.eventTypes.getMany([])).toEqual(new Map());
      expect(await w.eventTypes.delete("a.first")).toBe(true);
      expect(await w.eventTypes.delete("a.first")).toBe(false);
      expect(await w.eventTypes.get("a.first")).toBeUndefined();
    });
  });

  describe("the rate counter", () => {
    it("counts each endpoint's deliveries per second, each window on its own", async () => {
      const counts = [];
      for (let i = 0; i < 3; i++) counts.push(await w.rates.take("ep_rate", 100, 3));
      counts.push(await w.rates.take("ep_rate", 101, 3), await w.rates.take("ep_rate_2", 100, 3));
      expect(counts).toEqual([1, 2, 3, 1, 1]);
    });
  });
});
