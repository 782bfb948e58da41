import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getRecovery, runRecoveryStep, startRecovery } from "../../functions/core/events/recovery.ts";
import type { AttemptRecord, EventRecord } from "../../functions/core/kernel/model.ts";
import { parseTask } from "../../functions/core/kernel/queue-message.ts";
import { emissionKey } from "../../functions/core/ordering/emission-order.ts";
import {
  endpointFixture,
  FakeClock,
  MemoryAttemptLog,
  MemoryEndpointStore,
  MemoryEventStore,
  MemoryQueue,
  MemoryRecoveryStore,
} from "../support/fakes.ts";

/*
 * A recovery of an ordered endpoint spanning several pages of its window goes into the line in
 * emission order, whatever page each delivery's latest record is on (docs/ordering.md).
 */

const T0 = Date.parse("2026-11-01T00:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

function setup(ordering: "fifo" | "none") {
  const queue = new MemoryQueue();
  const deps = {
    endpoints: new MemoryEndpointStore(),
    events: new MemoryEventStore(),
    attempts: new MemoryAttemptLog(),
    recoveries: new MemoryRecoveryStore(),
    queue,
    requeue: queue,
    clock: new FakeClock(Date.parse("2026-11-03T00:00:00Z")),
    tenantStatus: { statusOf: async () => ({ retentionDays: 30, deleted: false }), forget: () => undefined },
  };
  return { deps, ready: deps.endpoints.put(endpointFixture(ordering === "fifo" ? { ordering } : {})) };
}

function record(eventId: string, n: number, status: AttemptRecord["status"], at: number, chain?: string): AttemptRecord {
  return {
    eventId,
    endpointId: "ep_1",
    tenantId: "default",
    attempt: n,
    trigger: chain ? "manual" : "scheduled",
    ...(chain && { chain }),
    status,
    url: "u",
    at: iso(at),
    durationMs: 1,
    expiresAt: 0,
  };
}

/**
 * One delivery as the line met it, in emission order: its event (a batch shares one acceptance
 * millisecond; a caller-named id sorts anyhow), its scheduled chain taken in line order and given
 * up, and maybe a later replay whose failure makes its latest record fall anywhere in the window.
 */
const Delivery = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{6,12}$/),
  sameBatchAsPrevious: fc.boolean(),
  ending: fc.constantFrom("exhausted", "skipped") as fc.Arbitrary<"exhausted" | "skipped">,
  replayedAtMinute: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
});

type Shape = { id: string; sameBatchAsPrevious: boolean; ending: "exhausted" | "skipped"; replayedAtMinute: number | undefined };

async function build(deps: ReturnType<typeof setup>["deps"], deliveries: Shape[]): Promise<string[]> {
  const ids = deliveries.map((d, i) => `evt_${d.id}_${i}`);
  let accepted = T0;
  for (const [i, d] of deliveries.entries()) {
    if (!d.sameBatchAsPrevious || i === 0) accepted += 1000;
    const id = ids[i] as string;
    const event: EventRecord = {
      id,
      tenantId: "default",
      type: "a",
      body: `{"n":${i}}`,
      createdAt: iso(accepted),
      requestHash: "h",
      endpointIds: ["ep_1"],
      expiresAt: 0,
    };
    await deps.events.putNew([event]);
    // The line is serial: delivery i is first taken after every earlier one ended.
    const taken = T0 + 3_600_000 + i * 10;
    await deps.attempts.record(record(id, 1, d.ending === "skipped" ? "skipped" : "failed", taken));
    if (d.ending === "exhausted") await deps.attempts.record(record(id, 2, "exhausted", taken + 5));
    if (d.replayedAtMinute !== undefined) {
      await deps.attempts.record(record(id, 1, "exhausted", T0 + 7_200_000 + d.replayedAtMinute * 60_000 + i, "m1"));
    }
  }
  return ids;
}

/** Runs the queued steps the way the worker does; each step may be redelivered once (a repeat is a no-op). */
async function drain(deps: ReturnType<typeof setup>["deps"], redeliver: (n: number) => boolean) {
  for (let n = 0; deps.queue.requeued.length > 0; n++) {
    const body = deps.queue.requeued.shift()?.body ?? "";
    const task = parseTask(body);
    if (!task) continue;
    await runRecoveryStep(deps, task);
    if (redeliver(n)) await runRecoveryStep(deps, task);
  }
}

describe("a recovery of an ordered endpoint", () => {
  it("goes into the line in emission order across its pages, each delivery once, redelivered steps or not", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(Delivery, { minLength: 101, maxLength: 260 }), fc.func(fc.boolean()), async (deliveries, redeliver) => {
        const { deps, ready } = setup("fifo");
        await ready;
        const ids = await build(deps, deliveries);
        const recovery = await startRecovery(deps, "ep_1", { since: iso(T0) });
        await drain(deps, (n) => redeliver(n));
        expect(deps.queue.sent.map((m) => m.eventId)).toEqual(ids);
        expect(await getRecovery(deps, "ep_1", recovery.id)).toMatchObject({ status: "completed", resent: ids.length });
      }),
      { numRuns: 15 },
    );
  });

  it("reads its whole window before it resends, so nothing is sent until the last page is read", async () => {
    const { deps, ready } = setup("fifo");
    await ready;
    const deliveries = Array.from({ length: 150 }, (_, i) => ({
      id: `x${i}`,
      sameBatchAsPrevious: false,
      ending: "exhausted" as const,
      replayedAtMinute: undefined,
    }));
    await build(deps, deliveries);
    await startRecovery(deps, "ep_1", { since: iso(T0) });
    const sentPerStep: number[] = [];
    while (deps.queue.requeued.length > 0) {
      const task = parseTask(deps.queue.requeued.shift()?.body ?? "");
      if (task) await runRecoveryStep(deps, task);
      sentPerStep.push(deps.queue.sent.length);
    }
    // 300 records: three pages read, then 150 deliveries resent in two pages.
    expect(sentPerStep).toEqual([0, 0, 0, 100, 150]);
  });

  it("leaves out a delivery whose payload was expunged between reading and resending", async () => {
    const { deps, ready } = setup("fifo");
    await ready;
    const ids = await build(
      deps,
      Array.from({ length: 3 }, (_, i) => ({
        id: `y${i}`,
        sameBatchAsPrevious: false,
        ending: "exhausted" as const,
        replayedAtMinute: undefined,
      })),
    );
    await startRecovery(deps, "ep_1", { since: iso(T0) });
    const first = parseTask(deps.queue.requeued.shift()?.body ?? "");
    if (!first) throw new Error("no first step");
    await runRecoveryStep(deps, first);
    await deps.events.expunge("default", ids[1] as string, iso(T0));
    await drain(deps, () => false);
    expect(deps.queue.sent.map((m) => m.eventId)).toEqual([ids[0], ids[2]]);
  });
});

describe("a recovery of an unordered endpoint", () => {
  it("still resends page by page as it reads, each page oldest first", async () => {
    const { deps, ready } = setup("none");
    await ready;
    const ids = await build(
      deps,
      Array.from({ length: 150 }, (_, i) => ({
        id: `z${i}`,
        sameBatchAsPrevious: false,
        ending: "exhausted" as const,
        replayedAtMinute: undefined,
      })),
    );
    await startRecovery(deps, "ep_1", { since: iso(T0) });
    await drain(deps, () => false);
    const sent = deps.queue.sent.map((m) => m.eventId);
    expect(new Set(sent)).toEqual(new Set(ids));
    // Two records a delivery, 100 records a page: the newest page (the last 50 deliveries) first.
    expect(sent).toEqual([...ids.slice(100), ...ids.slice(50, 100), ...ids.slice(0, 50)]);
  });
});

describe("the emission key", () => {
  it("sorts by where the line first took a delivery, then by acceptance time and id, never by id alone", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.boolean()), { minLength: 2, maxLength: 40 }), (items) => {
        const keyed = items.map(([name, sameMs], i) => {
          const createdAt = iso(T0 + (sameMs ? 0 : i) * 1000);
          const first = record(`e${name}${i}`, 1, "failed", T0 + 3_600_000 + i * 7);
          const later = record(`e${name}${i}`, 1, "failed", T0 + 9_000_000 - i, "m1");
          return { i, key: emissionKey({ id: `e${name}${i}`, createdAt }, [later, first]) };
        });
        const sorted = [...keyed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        expect(sorted.map((k) => k.i)).toEqual(keyed.map((k) => k.i));
      }),
    );
  });
});
