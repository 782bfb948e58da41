import { describe, expect, it } from "vitest";
import { operationalEvents } from "../../functions/core/intake/operational-events.ts";
import { endpointFixture, memoryIntakeDeps } from "../support/fakes.ts";

describe("operational events", () => {
  it("records and sends nothing when no endpoint of the tenant names the type", async () => {
    const deps = memoryIntakeDeps();
    await deps.endpoints.put(endpointFixture({ id: "ep_all" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_other", eventTypes: ["endpoint.disabled"] }));
    await operationalEvents(deps).emit("default", "delivery.recovered", "evt_1:ep_all:", "2026-11-01T00:00:00.000Z", { eventId: "evt_1" });
    expect(deps.queue.sent).toEqual([]);
    expect(deps.events.items.size).toBe(0);
  });

  it("goes only to the tenant's endpoints that name the type, once per fact", async () => {
    const deps = memoryIntakeDeps();
    await deps.endpoints.put(endpointFixture({ id: "ep_all" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_ops", eventTypes: ["delivery.recovered"] }));
    await deps.endpoints.put(endpointFixture({ id: "ep_acme", tenantId: "acme", eventTypes: ["delivery.recovered"] }));
    const events = operationalEvents(deps);
    for (let i = 0; i < 2; i++) {
      await events.emit("default", "delivery.recovered", "evt_1:ep_all:", "2026-11-01T00:00:00.000Z", { eventId: "evt_1" });
    }
    expect(deps.queue.sent.map((m) => [m.endpointId, m.type])).toEqual([["ep_ops", "delivery.recovered"]]);
    expect(JSON.parse(deps.queue.sent[0]?.body ?? "")).toEqual({
      type: "delivery.recovered",
      timestamp: "2026-11-01T00:00:00.000Z",
      data: { eventId: "evt_1" },
    });
  });
});
