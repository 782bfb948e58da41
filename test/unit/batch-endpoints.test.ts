import { beforeEach, describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import type { DeliveryMessage, Endpoint } from "../../functions/core/kernel/model.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

const message = (eventId: string): DeliveryMessage => deliveryMessage({ eventId });
const received = (eventId: string): ReceivedMessage => ({
  messageId: eventId,
  receiptHandle: `rh-${eventId}`,
  body: JSON.stringify(message(eventId)),
  receiveCount: 1,
});

/** Every object in the endpoint frozen: changing one in place throws (modules run in strict mode). */
function deepFrozen(endpoint: Endpoint): Endpoint {
  const copy = structuredClone(endpoint);
  for (const value of Object.values(copy)) if (value && typeof value === "object") Object.freeze(value);
  return Object.freeze(copy);
}

describe("the batch's endpoints", () => {
  let deps: TestDeliveryDeps;
  let reads: number;
  beforeEach(async () => {
    deps = deliveryDeps([60, 60]);
    reads = 0;
    await deps.endpoints.put(endpointFixture());
    // The worker sees only frozen copies of what the store holds.
    const store = deps.endpoints;
    deps.endpoints = Object.assign(Object.create(store), {
      get: async (id: string) => {
        reads++;
        const found = await store.get(id);
        return found && deepFrozen(found);
      },
    });
  });

  it("are read once per batch and never changed in place; a disable is seen by the rest of the batch", async () => {
    deps.http.answer = () => ({ kind: "response", statusCode: 410, body: "", durationMs: 1 });
    expect(await deliverBatch({ ...deps, concurrency: 1 }, [received("evt_1"), received("evt_2")])).toEqual([]);
    expect(reads).toBe(1);
    expect(deps.http.requests).toHaveLength(1);
    expect(deps.attempts.items.map((a) => [a.eventId, a.status, a.error])).toEqual([
      ["evt_1", "exhausted", "endpoint_gone"],
      ["evt_2", "skipped", "endpoint_disabled"],
    ]);
  });

  it("see a circuit a delivery of the batch opened: the deliveries after it wait, unattempted", async () => {
    deps.http.answer = () => ({ kind: "response", statusCode: 500, body: "", durationMs: 1 });
    const batch = ["evt_1", "evt_2", "evt_3", "evt_4", "evt_5"].map(received);
    expect(await deliverBatch({ ...deps, concurrency: 1 }, batch)).toEqual(["evt_1", "evt_2", "evt_3"]);
    // The threshold is 3: the third failure opens the circuit, and the last two messages wait for its cool-down.
    expect(deps.http.requests).toHaveLength(3);
    expect(deps.endpoints.items.get("ep_1")?.circuit).toMatchObject({ state: "open" });
    expect(deps.queue.requeued.map((r) => JSON.parse(r.body).eventId)).toEqual(["evt_4", "evt_5"]);
    expect(reads).toBe(1);
  });
});
