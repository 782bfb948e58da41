import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { OrderedRouting } from "../../functions/core/ordering/routing-queue.ts";
import { deliveryDeps, deliveryMessage } from "../support/delivery-deps.ts";
import { endpointFixture, MemoryQueue } from "../support/fakes.ts";

/*
 * A scheduled delivery to an ordered endpoint takes its place in the line when it is due: it waits
 * on the standard queue's delay, and the standard worker hands it to the line then, so events
 * emitted before it was due go before it (docs/ordering.md).
 */

let ids = 0;
const received = (m: DeliveryMessage): ReceivedMessage => {
  const id = `m${++ids}`;
  return { messageId: id, receiptHandle: `rh-${id}`, body: JSON.stringify(m), receiveCount: 1 };
};

async function setup() {
  const deps = deliveryDeps([1, 2]);
  await deps.endpoints.put(endpointFixture({ id: "ep_o", ordering: "fifo" }));
  await deps.endpoints.put(endpointFixture({ id: "ep_u" }));
  const [standard, line] = [new MemoryQueue(), new MemoryQueue()];
  const routing = new OrderedRouting(standard, line, deps.endpoints);
  return { deps: { ...deps, line: routing }, standard, line, routing };
}

describe("a scheduled delivery to an ordered endpoint", () => {
  it("joins the line when due, after every delivery emitted before then, whatever the mix of immediate and scheduled ones", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Each emission: at which second, and how many seconds later it is due (0: at once).
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 0, 5, 30, 170)), { minLength: 1, maxLength: 30 }),
        async (emissions) => {
          const { deps, standard, line, routing } = await setup();
          const timed = emissions
            .map(([at, delay], i) => ({
              at,
              delay,
              message: deliveryMessage({ eventId: `evt_${String(i).padStart(3, "0")}`, endpointId: "ep_o" }),
            }))
            .sort((a, b) => a.at - b.at);
          // Emit in time order; SQS hands a delayed message to the standard worker when its delay ends.
          const clockEvents = [
            ...timed.map((t) => ({ when: t.at, order: 0, run: () => routing.send([t.message], [t.delay]) })),
            ...timed
              .filter((t) => t.delay > 0)
              .map((t) => ({ when: t.at + t.delay, order: 1, run: () => deliverBatch(deps, [received(t.message)]) })),
          ].sort((a, b) => a.when - b.when || a.order - b.order);
          for (const e of clockEvents) await e.run();
          // Due at the same second, one emitted then goes before one handed over then (either would keep the promise: they overlap).
          const due = [...timed].sort((a, b) => a.at + a.delay - (b.at + b.delay) || Number(a.delay > 0) - Number(b.delay > 0));
          expect(line.sent.map((m) => m.eventId)).toEqual(due.map((t) => t.message.eventId));
          // None was posted by the standard worker, and none waits on the standard queue any more.
          expect(deps.http.requests).toHaveLength(0);
          expect(standard.sent.map((m) => m.eventId).sort()).toEqual(
            timed
              .filter((t) => t.delay > 0)
              .map((t) => t.message.eventId)
              .sort(),
          );
        },
      ),
    );
  });

  it("is delivered as before on an unordered endpoint, and left to the queue when the line does not take it", async () => {
    const { deps, line } = await setup();
    expect(await deliverBatch(deps, [received(deliveryMessage({ endpointId: "ep_u" }))])).toEqual([]);
    expect(deps.http.requests).toHaveLength(1);
    line.refuse = () => true;
    const kept = received(deliveryMessage({ endpointId: "ep_o", eventId: "evt_kept" }));
    expect(await deliverBatch(deps, [kept])).toEqual([kept.messageId]);
    expect(deps.http.requests).toHaveLength(1);
  });
});
