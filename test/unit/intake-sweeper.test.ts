import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consumeDeadLetter } from "../../functions/core/delivery/dead-letters.ts";
import { acceptEvents } from "../../functions/core/intake/intake.ts";
import { sweepUnsent } from "../../functions/core/intake/intake-sweeper.ts";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";
import { deadLetterDeps, endpointFixture, MemoryAttemptLog, memoryIntakeDeps } from "../support/fakes.ts";

/** Intake's fakes with endpoints ep_0..ep_3 of tenant t, and the dead-letter consumer over the queue's dead letters. */
async function stack() {
  const deps = memoryIntakeDeps();
  for (let i = 0; i < 4; i++) await deps.endpoints.put(endpointFixture({ id: `ep_${i}`, tenantId: "t" }));
  const attempts = new MemoryAttemptLog();
  const consumer = deadLetterDeps(attempts, deps.clock);
  let consumed = 0;
  /** Runs the dead-letter consumer over what was dead-lettered since the last call, as SQS would hand it over. */
  const drain = async () => {
    const ended: AttemptRecord[] = [];
    for (const { body, reason } of deps.queue.deadLetters.slice(consumed)) ended.push(...(await consumeDeadLetter(consumer, body, reason)));
    consumed = deps.queue.deadLetters.length;
    return ended;
  };
  /** Hands every dead letter so far to the consumer again, as SQS may. */
  const redeliver = async () => {
    consumed = 0;
    return drain();
  };
  const sweeper = { ...deps, graceSeconds: 60 };
  const endings = async (eventId: string) => (await attempts.allOfEvent("t", eventId)).filter((a) => a.status === "exhausted");
  return { deps, attempts, consumer, drain, redeliver, sweeper, endings };
}

describe("sweepUnsent", () => {
  it("finishes half-sent events nobody repeated, once their grace period is over", async () => {
    const deps = memoryIntakeDeps();
    await deps.endpoints.put(endpointFixture({ id: "ep_a" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_b" }));
    deps.queue.refuse = (m) => m.endpointId === "ep_b";
    const [result] = await acceptEvents(deps, [{ type: "a", payload: 1 }]);
    expect(result?.ok).toBe(false);
    deps.queue.refuse = () => false;
    const sweeper = { ...deps, graceSeconds: 60 };

    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [], unsendable: [] });
    deps.clock.advance(61_000);
    deps.queue.outage.down = true;
    const [event] = [...deps.events.items.values()];
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [event?.id], unsendable: [] });
    deps.queue.outage.down = false;
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [event?.id], failed: [], unsendable: [] });
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_a", "ep_b"]);
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [], unsendable: [] });
  });

  it("stops retrying an event the queue now refuses for good: its delivery ends unsendable, and later runs leave it", async () => {
    const { deps, drain, sweeper, endings } = await stack();
    deps.queue.refuse = (m) => m.endpointId === "ep_3";
    const [first] = await acceptEvents(deps, [{ id: "half", type: "a", payload: "x".repeat(2_000), tenantId: "t" }]);
    expect(first).toMatchObject({ ok: false, error: { dependency: "sqs" } });
    // Then the queue's size limit drops under the message (a reconfigured queue): no send can succeed again.
    deps.queue.refuse = () => false;
    deps.queue.maxMessageBytes = 1_024;
    deps.clock.advance(61_000);
    expect(await sweepUnsent(sweeper)).toEqual({ finished: ["half"], failed: [], unsendable: ["half"] });
    expect(await drain()).toEqual([expect.objectContaining({ endpointId: "ep_3", status: "exhausted", error: "unsendable", attempt: 1 })]);
    expect(await endings("half")).toHaveLength(1);
    for (let run = 0; run < 3; run++) {
      deps.clock.advance(61_000);
      expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [], unsendable: [] });
    }
  });

  it("keeps an event when the notice cannot reach the dead-letter queue, and ends it on a later run", async () => {
    const { deps, drain, sweeper, endings } = await stack();
    deps.queue.refuseForGood = () => true;
    const deadLetter = deps.queue.deadLetter.bind(deps.queue);
    deps.queue.deadLetter = async () => {
      throw new Error("dead-letter queue unreachable");
    };
    const [first] = await acceptEvents(deps, [{ id: "stuck", type: "a", payload: 1, tenantId: "t" }]);
    expect(first).toMatchObject({ ok: false, error: { dependency: "sqs" } });
    expect(deps.events.of("t", "stuck")?.unsent?.sort()).toEqual(["ep_0", "ep_1", "ep_2", "ep_3"]);
    deps.clock.advance(61_000);
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: ["stuck"], unsendable: [] });
    deps.queue.deadLetter = deadLetter;
    expect(await sweepUnsent(sweeper)).toEqual({ finished: ["stuck"], failed: [], unsendable: ["stuck"] });
    await drain();
    expect((await endings("stuck")).map((a) => [a.endpointId, a.error]).sort()).toEqual([
      ["ep_0", "unsendable"],
      ["ep_1", "unsendable"],
      ["ep_2", "unsendable"],
      ["ep_3", "unsendable"],
    ]);
  });
});

describe("events the queue refuses for good", () => {
  /** A batch of events, each with the endpoints whose message the queue refuses for now, and those it refuses for good. */
  const batches = fc.array(
    fc.record({
      forNow: fc.subarray(["ep_0", "ep_1", "ep_2", "ep_3"]),
      forGood: fc.subarray(["ep_0", "ep_1", "ep_2", "ep_3"]),
      big: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  );

  it("end those deliveries exhausted with error unsendable, at intake or by the sweeper, and are never left to retry for ever", async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (plan) => {
        const { deps, drain, redeliver, sweeper, endings } = await stack();
        // A refusal for good wins over one for now, as SQS answers one code per message.
        const forGood = (i: number, endpointId: string) => plan[i]?.forGood.includes(endpointId) === true;
        deps.queue.refuseForGood = (m) => forGood(Number(m.eventId.slice(2)), m.endpointId);
        deps.queue.refuse = (m) => plan[Number(m.eventId.slice(2))]?.forNow.includes(m.endpointId) === true;
        // A big payload is over the queue's message size for every endpoint: refused for good too.
        deps.queue.maxMessageBytes = 4_096;
        const inputs = plan.map((p, i) => ({ id: `e_${i}`, type: "a", tenantId: "t", payload: p.big ? "x".repeat(5_000) : i }));
        const results = await acceptEvents(deps, inputs);
        const endedAtOnce = (i: number, ep: string) => plan[i]?.big === true || forGood(i, ep);
        const leftForNow = (i: number) =>
          ["ep_0", "ep_1", "ep_2", "ep_3"].filter((ep) => !endedAtOnce(i, ep) && plan[i]?.forNow.includes(ep));
        for (const [i, result] of results.entries()) {
          // Only what may still be sent makes the caller repeat the call: an unsendable delivery has ended.
          expect(result.ok).toBe(leftForNow(i).length === 0);
          expect(deps.events.of("t", `e_${i}`)?.unsent?.sort() ?? []).toEqual(leftForNow(i));
        }
        await drain();
        // The queue recovers from what failed for now; what it refused for good it still refuses.
        deps.queue.refuse = () => false;
        deps.clock.advance(61_000);
        const swept = await sweepUnsent(sweeper);
        expect(swept.failed).toEqual([]);
        expect(swept.unsendable).toEqual([]);
        await drain();
        for (const [i] of plan.entries()) {
          const ended = await endings(`e_${i}`);
          const expected = ["ep_0", "ep_1", "ep_2", "ep_3"].filter((ep) => endedAtOnce(i, ep));
          expect(ended.map((a) => a.endpointId).sort()).toEqual(expected);
          expect(ended.every((a) => a.error === "unsendable")).toBe(true);
          const sent = deps.queue.sent.filter((m) => m.eventId === `e_${i}`).map((m) => m.endpointId);
          expect([...sent, ...expected].sort()).toEqual(["ep_0", "ep_1", "ep_2", "ep_3"]);
        }
        deps.clock.advance(61_000);
        expect(await deps.events.listUnsent(deps.clock.now().toISOString(), 100)).toEqual([]);
        // The consumer ends each delivery once, however often SQS hands its notice over again.
        expect(await redeliver()).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
