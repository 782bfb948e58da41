import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptEvents } from "../../functions/core/intake/intake.ts";
import { ApiError } from "../../functions/core/kernel/errors.ts";
import { delaySecondsUntil, SCHEDULE_RECLAIM_SECONDS, timingOf } from "../../functions/core/scheduling/schedule.ts";
import { cancelScheduled, listScheduled } from "../../functions/core/scheduling/scheduled-messages.ts";
import { moveDueMessages } from "../../functions/core/scheduling/scheduler.ts";
import { endpointFixture, memoryIntakeDeps } from "../support/fakes.ts";
import type { MemoryScheduleStore } from "../support/memory-schedule.ts";

const LEAD = 180;

/** Intake and the scheduler on fakes with one fake clock, endpoints ep_a and ep_b of tenant t. */
async function setup(maxPerTenant = 100) {
  const deps = memoryIntakeDeps();
  deps.scheduling = { ...deps.scheduling, maxPerTenant };
  for (const id of ["ep_a", "ep_b"]) await deps.endpoints.put(endpointFixture({ id, tenantId: "t" }));
  const store = deps.scheduling.store as MemoryScheduleStore;
  const scheduler = { ...deps, schedule: store, leadSeconds: LEAD };
  const at = (seconds: number) => new Date(deps.clock.now().getTime() + seconds * 1000).toISOString();
  const emit = async (deliverAt: string, extra: Record<string, unknown> = {}) =>
    (await acceptEvents(deps, [{ type: "a", payload: 1, tenantId: "t", deliverAt, ...extra }]))[0];
  return { deps, store, scheduler, at, emit };
}

describe("the timing of a deliverAt", () => {
  it("sends past times now, queues near ones with a delay that never ends early, holds the rest", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 2, max: 900 }), (offsetMs, lead) => {
        const now = 1_800_000_000_000;
        const timing = timingOf(now + offsetMs, now, lead);
        if (offsetMs <= 0) expect(timing.kind).toBe("now");
        else if (offsetMs > lead * 1000) expect(timing.kind).toBe("held");
        else {
          expect(timing.kind).toBe("delayed");
          const delay = delaySecondsUntil(now + offsetMs, now);
          expect(delay * 1000).toBeGreaterThanOrEqual(offsetMs);
          expect(delay * 1000 - offsetMs).toBeLessThan(1000);
        }
      }),
    );
  });
});

describe("intake with deliverAt", () => {
  it("queues a near time hidden until then, with notBefore, and holds nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: LEAD * 1000 }), async (offsetMs) => {
        const { deps, store, emit } = await setup();
        const deliverAt = new Date(deps.clock.now().getTime() + offsetMs).toISOString();
        expect((await emit(deliverAt))?.ok).toBe(true);
        expect(store.items.size).toBe(0);
        expect(deps.queue.sent.map((m) => m.notBefore)).toEqual([deliverAt, deliverAt]);
        for (const delay of deps.queue.sentDelays) expect(delay).toBe(Math.ceil(offsetMs / 1000));
      }),
      { numRuns: 30 },
    );
  });

  it("holds a far time without sending, keeps the event past its own time, and answers 422 naming deliverAt past the horizon", async () => {
    const { deps, store, at, emit } = await setup();
    const result = await emit(at(3_600));
    expect(result?.ok && result.event.deliverAt).toBe(at(3_600));
    expect(deps.queue.sent).toEqual([]);
    expect([...store.items.values()].map((i) => [i.state, i.endpointIds])).toEqual([["waiting", ["ep_a", "ep_b"]]]);
    const [event] = [...deps.events.items.values()];
    expect(event?.expiresAt).toBe(Math.floor(Date.parse(at(3_600)) / 1000) + 30 * 86_400);
    const far = await emit(at(168 * 3_600 + 1));
    expect(far?.ok === false && far.error instanceof ApiError && far.error.details?.[0]?.path).toBe("deliverAt");
  });

  it("treats each item of a batch by its own deliverAt", async () => {
    const { deps, store, at } = await setup();
    const results = await acceptEvents(deps, [
      { type: "a", payload: 1, tenantId: "t", deliverAt: at(-5) },
      { type: "a", payload: 2, tenantId: "t", deliverAt: at(30) },
      { type: "a", payload: 3, tenantId: "t", deliverAt: at(3_600) },
      { type: "a", payload: 4, tenantId: "t", deliverAt: at(1_000 * 3_600) },
      { type: "a", payload: 5, tenantId: "t" },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true]);
    expect(deps.queue.sent.map((m) => [m.body, m.notBefore !== undefined])).toEqual([
      ["1", false],
      ["1", false],
      ["2", true],
      ["2", true],
      ["5", false],
      ["5", false],
    ]);
    expect([...store.items.values()].map((i) => i.deliverAt)).toEqual([at(3_600)]);
  });

  it("answers a repeat with the same deliverAt as a replay and one with another as a conflict; holds once", async () => {
    const { store, at, emit } = await setup();
    const first = await emit(at(3_600), { id: "e1" });
    const again = await emit(at(3_600), { id: "e1" });
    const moved = await emit(at(7_200), { id: "e1" });
    expect(first?.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, replayed: true });
    expect(moved?.ok === false && (moved.error as ApiError).code).toBe("idempotency_conflict");
    expect(store.items.size).toBe(1);
  });

  it("caps each tenant's waiting messages: one more is 429 too_many_scheduled and not recorded; a sent one frees its place", async () => {
    const { deps, scheduler, at, emit } = await setup(2);
    expect((await emit(at(600)))?.ok).toBe(true);
    expect((await emit(at(3_600)))?.ok).toBe(true);
    const over = await emit(at(3_600));
    expect(over?.ok === false && (over.error as ApiError).code).toBe("too_many_scheduled");
    expect(deps.events.items.size).toBe(2);
    deps.clock.advance(500_000);
    expect((await moveDueMessages(scheduler)).moved).toHaveLength(1);
    expect((await emit(at(3_600)))?.ok).toBe(true);
  });
});

describe("the scheduler", () => {
  it("moves only what falls due within its lead, hidden until its deliverAt, and only once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: LEAD + 1, max: 86_400 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 90_000 }),
        async (offsets, elapsed) => {
          const { deps, scheduler, at, emit } = await setup();
          const times = [];
          for (const offset of offsets) {
            times.push(at(offset));
            expect((await emit(at(offset)))?.ok).toBe(true);
          }
          deps.clock.advance(elapsed * 1000);
          const nowMs = deps.clock.now().getTime();
          const run = await moveDueMessages(scheduler);
          const due = times.filter((t) => Date.parse(t) <= nowMs + LEAD * 1000);
          expect(run.moved).toHaveLength(due.length);
          deps.queue.sent.forEach((m, i) => {
            const dueMs = Date.parse(deps.events.of("t", m.eventId)?.deliverAt as string);
            // Hidden until its time (SQS holds 15 minutes at most; notBefore holds the rest), or sent now when overdue.
            expect(nowMs + (deps.queue.sentDelays[i] as number) * 1000).toBeGreaterThanOrEqual(Math.min(dueMs, nowMs + 900_000));
            expect(m.notBefore === undefined ? dueMs <= nowMs : Date.parse(m.notBefore) === dueMs).toBe(true);
          });
          expect((await moveDueMessages(scheduler)).moved).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("sends again after a run died between the send and the end (at-least-once, same webhook-id), not before the claim lapses", async () => {
    const { deps, store, scheduler, at, emit } = await setup();
    await emit(at(600));
    deps.clock.advance(500_000);
    store.beforeEnd = () => {
      throw new Error("crash");
    };
    expect((await moveDueMessages(scheduler)).failed).toHaveLength(1);
    store.beforeEnd = () => undefined;
    expect((await moveDueMessages(scheduler)).moved).toEqual([]);
    deps.clock.advance((SCHEDULE_RECLAIM_SECONDS + 1) * 1000);
    expect((await moveDueMessages(scheduler)).moved).toHaveLength(1);
    const ids = deps.queue.sent.map((m) => `${m.messageId}/${m.endpointId}`);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2);
  });

  it("leaves a message whose send failed to a later run, and drops one whose event was never recorded", async () => {
    const { deps, store, scheduler, at, emit } = await setup();
    const kept = await emit(at(600));
    await emit(at(600), { id: "lost" });
    deps.events.items.delete("t/lost");
    deps.clock.advance(500_000);
    deps.queue.outage.down = true;
    const run = await moveDueMessages(scheduler);
    expect(run.dropped).toEqual(["lost"]);
    expect(run.failed).toEqual([kept?.ok && kept.event.id]);
    deps.queue.outage.down = false;
    deps.clock.advance((SCHEDULE_RECLAIM_SECONDS + 1) * 1000);
    expect((await moveDueMessages(scheduler)).moved).toEqual([kept?.ok && kept.event.id]);
    expect([...store.items.values()].map((i) => i.state).sort()).toEqual(["dropped", "sent"]);
  });

  it("moves more messages than one page in one run, each once", async () => {
    const { deps, scheduler, at, emit } = await setup(1_000);
    for (let i = 0; i < 450; i++) await emit(at(600 + (i % 7)), { id: `e${i}` });
    deps.clock.advance(500_000);
    const run = await moveDueMessages(scheduler);
    expect(new Set(run.moved).size).toBe(450);
    expect(deps.queue.sent).toHaveLength(900);
  });

  it("sends a dropped message when its caller repeats the failed call: by then it is due within the lead", async () => {
    const { deps, store, scheduler, at, emit } = await setup();
    const putNew = deps.events.putNew.bind(deps.events);
    deps.events.putNew = async () => {
      throw new Error("DynamoDB put failed");
    };
    const deliverAt = at(600);
    const failed = await emit(deliverAt, { id: "again" });
    expect(failed?.ok).toBe(false);
    deps.events.putNew = putNew;
    deps.clock.advance(500_000);
    expect((await moveDueMessages(scheduler)).dropped).toEqual(["again"]);
    expect(deps.queue.sent).toEqual([]);
    const repeat = await emit(deliverAt, { id: "again" });
    expect(repeat?.ok).toBe(true);
    expect(deps.queue.sent.map((m) => [m.eventId, m.notBefore])).toEqual([
      ["again", deliverAt],
      ["again", deliverAt],
    ]);
    expect((await store.get("t", "again"))?.state).toBe("dropped");
  });

  it("reports how overdue the oldest due message was", async () => {
    const { deps, scheduler, at, emit } = await setup();
    await emit(at(600));
    deps.queue.outage.down = true;
    deps.clock.advance(700_000);
    expect((await moveDueMessages(scheduler)).overdueSeconds).toBe(100);
  });
});

describe("cancel and list", () => {
  it("a cancelled message is never sent and leaves the list; one already moving answers 409 schedule_started", async () => {
    const { deps, store, scheduler, at, emit } = await setup();
    const a = await emit(at(600), { id: "a" });
    await emit(at(3_600), { id: "b" });
    expect(a?.ok).toBe(true);
    expect((await listScheduled({ store }, "t", 10)).items.map((i) => i.eventId)).toEqual(["a", "b"]);
    const cancelled = await cancelScheduled({ schedule: store, clock: deps.clock }, "t", "b");
    expect(cancelled.state).toBe("cancelled");
    expect((await listScheduled({ store }, "t", 10)).items.map((i) => i.eventId)).toEqual(["a"]);
    deps.clock.advance(4_000_000);
    await moveDueMessages(scheduler);
    expect(deps.queue.sent.map((m) => m.eventId)).toEqual(["a", "a"]);
    await expect(cancelScheduled({ schedule: store, clock: deps.clock }, "t", "a")).rejects.toMatchObject({ code: "schedule_started" });
    await expect(cancelScheduled({ schedule: store, clock: deps.clock }, "other", "b")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("tenant isolation of scheduled messages", () => {
  it("each tenant lists only its own; cancelling as another tenant finds nothing and changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ tenant: fc.constantFrom("t", "u", "v"), id: fc.constantFrom("e1", "e2", "e3") }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom("t", "u", "v"),
        async (emits, stranger) => {
          const { deps, store, at } = await setup();
          for (const tenant of ["u", "v"]) await deps.endpoints.put(endpointFixture({ id: `ep_${tenant}`, tenantId: tenant }));
          for (const { tenant, id } of emits)
            await acceptEvents(deps, [{ type: "a", payload: 1, tenantId: tenant, id, deliverAt: at(3_600) }]);
          for (const tenant of ["t", "u", "v"]) {
            const listed = (await listScheduled({ store }, tenant, 100)).items;
            const expected = [...new Set(emits.filter((e) => e.tenant === tenant).map((e) => e.id))].sort();
            expect(listed.map((i) => i.eventId).sort()).toEqual(expected);
            for (const item of listed) expect(item.tenantId).toBe(tenant);
          }
          for (const { tenant, id } of emits) {
            if (tenant === stranger || emits.some((e) => e.tenant === stranger && e.id === id)) continue;
            await expect(cancelScheduled({ schedule: store, clock: deps.clock }, stranger, id)).rejects.toMatchObject({
              code: "not_found",
            });
            expect((await store.get(tenant, id))?.state).toBe("waiting");
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
