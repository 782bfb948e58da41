import { beforeEach, describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

const message = deliveryMessage;

const received = (m: DeliveryMessage, receiveCount = 1, id = "m1"): ReceivedMessage => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body: JSON.stringify(m),
  receiveCount,
});

describe("delivering to a polling endpoint", () => {
  let deps: TestDeliveryDeps;

  beforeEach(async () => {
    deps = deliveryDeps([5, 300]);
    await deps.endpoints.put(endpointFixture({ kind: "polling", url: "", headers: {} }));
  });

  const appended = async () => (await deps.feed.slots("ep_1", 1, 1000, 1000)).map((s) => s.entry);

  it("appends the delivery to the feed instead of POSTing, and records a successful attempt", async () => {
    expect(await deliverBatch(deps, [received(message())])).toEqual([]);
    expect(deps.http.requests).toEqual([]);
    expect(await appended()).toEqual([
      expect.objectContaining({
        eventId: "evt_1",
        eventType: "invoice.paid",
        timestamp: "2026-11-01T00:00:00.000Z",
        body: '{"amount":42}',
      }),
    ]);
    expect(deps.attempts.items).toEqual([expect.objectContaining({ eventId: "evt_1", attempt: 1, status: "succeeded" })]);
  });

  it("appends a replay again, under a new entry id with the same event id", async () => {
    await deliverBatch(deps, [received(message())]);
    await deliverBatch(deps, [received(message({ chain: "replay1" }), 1, "m2")]);
    const entries = await appended();
    expect(entries.map((e) => e?.eventId)).toEqual(["evt_1", "evt_1"]);
    expect(new Set(entries.map((e) => e?.id)).size).toBe(2);
  });

  it("records a delivery to a disabled polling endpoint as skipped, appending nothing", async () => {
    await deps.endpoints.put(endpointFixture({ kind: "polling", url: "", headers: {}, enabled: false, disabledReason: "manual" }));
    await deliverBatch(deps, [received(message())]);
    expect(await appended()).toEqual([]);
    expect(deps.attempts.items).toEqual([expect.objectContaining({ status: "skipped", error: "endpoint_disabled" })]);
  });

  it("leaves the message to the queue when the feed's storage fails", async () => {
    deps.feed.beforeFill = async () => {
      throw new Error("storage down");
    };
    expect(await deliverBatch(deps, [received(message())])).toEqual(["m1"]);
    expect(deps.attempts.items).toEqual([]);
  });
});
