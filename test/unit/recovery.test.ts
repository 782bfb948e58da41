import { beforeEach, describe, expect, it } from "vitest";
import { recordDeadLetter } from "../../functions/core/delivery/dead-letters.ts";
import { getRecovery, runRecoveryStep, startRecovery } from "../../functions/core/events/recovery.ts";
import { replayEvent } from "../../functions/core/events/replay.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import type { AttemptRecord, EventRecord } from "../../functions/core/kernel/model.ts";
import { parseTask } from "../../functions/core/kernel/queue-message.ts";
import { cancelScheduled } from "../../functions/core/scheduling/scheduled-messages.ts";
import {
  deadLetterDeps,
  endpointFixture,
  FakeClock,
  MemoryAttemptLog,
  MemoryEndpointStore,
  MemoryEventStore,
  MemoryQueue,
  MemoryRecoveryStore,
} from "../support/fakes.ts";
import { MemoryScheduleStore } from "../support/memory-schedule.ts";

function event(id: string, tenantId = "default"): EventRecord {
  return {
    id,
    tenantId,
    type: "a",
    body: `{"id":"${id}"}`,
    createdAt: "2026-11-01T00:00:00.000Z",
    requestHash: "h",
    endpointIds: ["ep_1"],
    expiresAt: 0,
  };
}

function attempt(
  eventId: string,
  n: number,
  status: AttemptRecord["status"],
  at: string,
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    eventId,
    endpointId: "ep_1",
    tenantId: "default",
    attempt: n,
    trigger: "scheduled",
    status,
    url: "u",
    at,
    durationMs: 1,
    expiresAt: 0,
    ...extra,
  };
}

let deps: ReturnType<typeof setup>;
function setup() {
  const queue = new MemoryQueue();
  return {
    endpoints: new MemoryEndpointStore(),
    events: new MemoryEventStore(),
    attempts: new MemoryAttemptLog(),
    recoveries: new MemoryRecoveryStore(),
    queue,
    requeue: queue,
    clock: new FakeClock(Date.parse("2026-11-02T00:00:00Z")),
    logRetentionDays: 30,
    tenantStatus: { statusOf: async () => ({ retentionDays: 30, deleted: false }), forget: () => undefined },
    scheduling: { store: new MemoryScheduleStore() },
  };
}

/** Runs the recovery's queued steps the way the worker does, until none is left. */
async function drain() {
  while (deps.queue.requeued.length > 0) {
    const task = parseTask(deps.queue.requeued.shift()?.body ?? "");
    if (task) await runRecoveryStep(deps, task);
  }
}

beforeEach(async () => {
  deps = setup();
  await deps.endpoints.put(endpointFixture());
  await deps.endpoints.put(endpointFixture({ id: "ep_acme", tenantId: "acme" }));
  await deps.events.putNew(["evt_a", "evt_b", "evt_c", "evt_d", "evt_e"].map((id) => event(id)));
  for (const a of [
    attempt("evt_a", 1, "failed", "2026-11-01T01:00:00.000Z"),
    attempt("evt_a", 2, "exhausted", "2026-11-01T02:00:00.000Z"),
    attempt("evt_b", 1, "failed", "2026-11-01T01:00:00.000Z"),
    attempt("evt_b", 2, "succeeded", "2026-11-01T02:00:00.000Z"),
    attempt("evt_c", 1, "skipped", "2026-11-01T03:00:00.000Z", { error: "endpoint_disabled" }),
    attempt("evt_d", 1, "failed", "2026-11-01T04:00:00.000Z"),
    attempt("evt_d", 2, "exhausted", "2026-11-01T04:30:00.000Z", { trigger: "dead-letter", error: "dead_lettered" }),
    attempt("evt_e", 1, "exhausted", "2026-10-30T00:00:00.000Z"),
  ]) {
    await deps.attempts.record(a);
  }
});

describe("recovery", () => {
  it("resends each failed, exhausted (dead-lettered included) or skipped delivery of the window once, as a manual chain", async () => {
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" });
    expect(recovery).toMatchObject({ status: "running", until: "2026-11-02T00:00:00.000Z", resent: 0 });
    await drain();
    const sent = deps.queue.sent;
    expect(sent.map((m) => m.eventId).sort()).toEqual(["evt_a", "evt_c", "evt_d"]);
    expect(sent.every((m) => m.chain?.startsWith("r") && m.recovers === true && m.body === `{"id":"${m.eventId}"}`)).toBe(true);
    expect(new Set(sent.map((m) => m.chain)).size).toBe(3);
    expect(await getRecovery(deps, "ep_1", recovery.id)).toMatchObject({ status: "completed", resent: 3, scanned: 7 });
  });

  it("passes over a delivery the queue refuses for good, instead of failing the step for ever", async () => {
    deps.queue.refuseForGood = (m) => m.eventId === "evt_c";
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" });
    await drain();
    expect(deps.queue.sent.map((m) => m.eventId).sort()).toEqual(["evt_a", "evt_d"]);
    expect(await getRecovery(deps, "ep_1", recovery.id)).toMatchObject({ status: "completed", resent: 2 });
  });

  it("works through a large window page by page, resending each delivery once", async () => {
    for (let i = 0; i < 130; i++) {
      const id = `evt_bulk${i}`;
      await deps.events.putNew([event(id)]);
      await deps.attempts.record(attempt(id, 1, "failed", `2026-11-01T05:${String(i % 60).padStart(2, "0")}:00.000Z`));
      await deps.attempts.record(attempt(id, 2, "exhausted", `2026-11-01T06:${String(i % 60).padStart(2, "0")}:00.000Z`));
    }
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T05:00:00Z", until: "2026-11-01T07:00:00Z" });
    await drain();
    const ids = deps.queue.sent.map((m) => m.eventId);
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect(await getRecovery(deps, "ep_1", recovery.id)).toMatchObject({ status: "completed", resent: 130, scanned: 260 });
  });

  it("stops a step of a deleted tenant's recovery: nothing is sent, kept or advanced", async () => {
    for (let i = 0; i < 3; i++) {
      await deps.events.putNew([event(`evt_d${i}`)]);
      await deps.attempts.record(attempt(`evt_d${i}`, 1, "exhausted", `2026-11-01T07:0${i}:00.000Z`));
    }
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" });
    const before = await getRecovery(deps, "ep_1", recovery.id);
    deps.tenantStatus = { statusOf: async () => ({ retentionDays: 30, deleted: true }), forget: () => undefined };
    await drain();
    expect(deps.queue.sent).toEqual([]);
    expect(deps.queue.requeued).toEqual([]);
    expect(await getRecovery(deps, "ep_1", recovery.id)).toEqual(before);
  });

  it("applies a redelivered step once, and queues the step after it if that was lost", async () => {
    for (let i = 0; i < 120; i++) {
      await deps.events.putNew([event(`evt_p${i}`)]);
      await deps.attempts.record(attempt(`evt_p${i}`, 1, "exhausted", `2026-11-01T07:${String(i % 60).padStart(2, "0")}:00.000Z`));
    }
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" });
    const first = parseTask(deps.queue.requeued.shift()?.body ?? "");
    if (!first) throw new Error("no first step queued");
    await runRecoveryStep(deps, first);
    const afterFirst = await getRecovery(deps, "ep_1", recovery.id);
    const sent = deps.queue.sent.length;
    // The next step's message is lost (say the send timed out after SQS took nothing), and the step is redelivered.
    deps.queue.requeued.length = 0;
    await runRecoveryStep(deps, first);
    expect(deps.queue.sent).toHaveLength(sent);
    expect(await getRecovery(deps, "ep_1", recovery.id)).toEqual(afterFirst);
    expect(deps.queue.requeued).toHaveLength(1);
    await drain();
    expect(await getRecovery(deps, "ep_1", recovery.id)).toMatchObject({ status: "completed", steps: 2, resent: 123 });
  });

  it("says failed when its first step cannot be queued, or when the queue dead-letters a step", async () => {
    deps.queue.outage.down = true;
    await expect(startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" })).rejects.toThrow();
    const [stuck] = [...deps.recoveries.items.values()];
    expect(stuck).toMatchObject({ status: "failed", error: "its first step could not be queued" });
    deps.queue.outage.down = false;
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" });
    const task = deps.queue.requeued.shift()?.body ?? "";
    await recordDeadLetter({ ...deadLetterDeps(deps.attempts, deps.clock), recoveries: deps.recoveries }, task);
    expect(await getRecovery(deps, "ep_1", recovery.id)).toMatchObject({ status: "failed" });
    await runRecoveryStep(deps, parseTask(task) ?? { v: 1, task: "recover", endpointId: "ep_1", recoveryId: recovery.id });
    expect(deps.queue.sent).toEqual([]);
  });

  it("answers 404 to another tenant, 409 for a disabled endpoint and 422 for an empty window", async () => {
    await expect(startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" }, "acme")).rejects.toMatchObject({ code: "not_found" });
    const recovery = await startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" });
    await expect(getRecovery(deps, "ep_1", recovery.id, "acme")).rejects.toMatchObject({ code: "not_found" });
    await expect(getRecovery(deps, "ep_acme", recovery.id, "acme")).rejects.toMatchObject({ code: "not_found" });
    await deps.endpoints.put(endpointFixture({ enabled: false }));
    await expect(startRecovery(deps, "ep_1", { since: "2026-11-01T00:00:00Z" })).rejects.toMatchObject({
      code: "endpoint_disabled",
      status: 409,
    });
    await deps.endpoints.put(endpointFixture());
    await expect(startRecovery(deps, "ep_1", { since: "2026-11-03T00:00:00Z" })).rejects.toBeInstanceOf(ApiError);
  });
});

describe("replay", () => {
  it("resends an event now as a new manual chain to each endpoint it was sent to", async () => {
    const result = await replayEvent(deps, "default", "evt_a", undefined);
    expect(result.chains.map((c) => c.endpointId)).toEqual(["ep_1"]);
    expect(deps.queue.sent).toEqual([
      expect.objectContaining({ eventId: "evt_a", endpointId: "ep_1", chain: result.chains[0]?.chain, recovers: true }),
    ]);
    const again = await replayEvent(deps, "default", "evt_b", "ep_1");
    expect(again.chains[0]?.chain).not.toBe(result.chains[0]?.chain);
    expect(deps.queue.sent[1]).toMatchObject({ eventId: "evt_b", recovers: false });
  });

  it("reports an endpoint skipped as unsendable when the queue refuses its message for good, and answers 503 only for a failure for now", async () => {
    await deps.endpoints.put(endpointFixture({ id: "ep_2" }));
    await deps.events.putNew([{ ...event("evt_two"), endpointIds: ["ep_1", "ep_2"] }]);
    deps.queue.refuseForGood = (m) => m.endpointId === "ep_2";
    const result = await replayEvent(deps, "default", "evt_two", undefined);
    expect(result.chains.map((c) => c.endpointId)).toEqual(["ep_1"]);
    expect(result.skipped).toEqual([{ endpointId: "ep_2", reason: "unsendable" }]);
    deps.queue.refuse = (m) => m.endpointId === "ep_1";
    await expect(replayEvent(deps, "default", "evt_two", undefined)).rejects.toMatchObject({ dependency: "sqs" });
  });

  it("keeps tenants apart and refuses a disabled endpoint", async () => {
    await expect(replayEvent(deps, "acme", "evt_a", undefined)).rejects.toMatchObject({ code: "not_found" });
    await expect(replayEvent(deps, "default", "evt_a", "ep_acme")).rejects.toMatchObject({ code: "not_found" });
    await deps.endpoints.put(endpointFixture({ enabled: false }));
    await expect(replayEvent(deps, "default", "evt_a", "ep_1")).rejects.toMatchObject({ code: "endpoint_disabled" });
    expect((await replayEvent(deps, "default", "evt_a", undefined)).skipped).toEqual([{ endpointId: "ep_1", reason: "endpoint_disabled" }]);
    expect(deps.queue.sent).toEqual([]);
  });

  it("refuses an event still held for its deliverAt (409 event_scheduled), and sends it once the hold is cancelled or was sent", async () => {
    const now = deps.clock.now().getTime();
    for (const [id, state, inMs] of [
      ["evt_held", "waiting", 60_000],
      ["evt_moving", "moving", 60_000],
      ["evt_sent", "sent", 60_000],
      ["evt_due", "waiting", -1_000],
    ] as const) {
      const deliverAt = new Date(now + inMs).toISOString();
      await deps.events.putNew([{ ...event(id), deliverAt }]);
      const item = {
        tenantId: "default",
        eventId: id,
        type: "t",
        deliverAt,
        endpointIds: ["ep_1"],
        createdAt: "2026-11-01T00:00:00.000Z",
        state: "waiting" as const,
        expiresAt: 0,
      };
      await deps.scheduling.store.hold(item, 100);
      deps.scheduling.store.items.set(`default\u0000${id}`, { ...item, state });
    }
    await expect(replayEvent(deps, "default", "evt_held", undefined)).rejects.toMatchObject({ code: "event_scheduled", status: 409 });
    expect(deps.queue.sent).toEqual([]);
    // Being moved, already sent, or due now: a replay is a second sending, as for any event.
    for (const id of ["evt_moving", "evt_sent", "evt_due"])
      expect((await replayEvent(deps, "default", id, undefined)).chains).toHaveLength(1);
    await cancelScheduled({ schedule: deps.scheduling.store, clock: deps.clock }, "default", "evt_held");
    expect((await replayEvent(deps, "default", "evt_held", "ep_1")).chains).toHaveLength(1);
  });
});
