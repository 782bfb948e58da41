import { describe, expect, it } from "vitest";
import { updateEndpoint } from "../../functions/core/endpoints/endpoints.ts";
import { rotateSecret } from "../../functions/core/endpoints/secret-rotation.ts";
import { endpointFixture, FakeClock, MemoryEndpointHealth, MemoryEndpointStore } from "../support/fakes.ts";
import { MemoryTenantStore } from "../support/memory-tenants.ts";

/** A store whose first read is followed by a worker's health transition, as a race would have it. */
function racingStore(transition: (health: MemoryEndpointHealth) => Promise<unknown>) {
  const endpoints = new MemoryEndpointStore();
  const health = new MemoryEndpointHealth(endpoints);
  const get = endpoints.get.bind(endpoints);
  let raced = false;
  endpoints.get = async (id: string) => {
    const found = await get(id);
    if (!raced) {
      raced = true;
      await transition(health);
    }
    return found;
  };
  return endpoints;
}

const deps = (endpoints: MemoryEndpointStore) => ({
  endpoints,
  clock: new FakeClock(),
  checkUrl: async () => undefined,
  maxEndpointsPerTenant: 20,
  tenants: new MemoryTenantStore(),
});

describe("changing an endpoint while workers change its health", () => {
  it("does not undo a disable that landed between the PATCH's read and its write", async () => {
    const endpoints = racingStore((health) => health.disable("ep_1", "gone", "2026-11-01T00:00:00.000Z", endpointFixture().url));
    await endpoints.put(endpointFixture());
    const updated = await updateEndpoint(deps(endpoints), "ep_1", { description: "renamed" });
    expect(updated).toMatchObject({ description: "renamed", enabled: false, disabledReason: "gone" });
    expect(endpoints.items.get("ep_1")).toMatchObject({ description: "renamed", enabled: false, disabledReason: "gone" });
  });

  it("keeps an opened circuit and a rotation's new secret", async () => {
    const circuit = {
      state: "open" as const,
      openedAt: "2026-11-01T00:00:00.000Z",
      openUntil: "2026-11-01T00:01:00.000Z",
      cooldownSeconds: 60,
    };
    const endpoints = racingStore((health) => health.openCircuit("ep_1", circuit, undefined));
    await endpoints.put(endpointFixture());
    const rotated = await rotateSecret(deps(endpoints), "ep_1", { gracePeriodSeconds: 60 });
    const stored = endpoints.items.get("ep_1");
    expect(stored?.circuit).toEqual(circuit);
    expect(stored?.secret).toBe(rotated.secret);
    expect(stored?.previousSecrets?.map((p) => p.secret)).toEqual([endpointFixture().secret]);
  });

  it("gives up with 409 concurrent_update when the endpoint keeps changing", async () => {
    const endpoints = new MemoryEndpointStore();
    await endpoints.put(endpointFixture());
    endpoints.replace = async () => false;
    await expect(updateEndpoint(deps(endpoints), "ep_1", { description: "x" })).rejects.toMatchObject({
      code: "concurrent_update",
      status: 409,
    });
  });

  it("clears the run of failures and the circuit when the URL changes", async () => {
    const endpoints = new MemoryEndpointStore();
    const circuit = {
      state: "open" as const,
      openedAt: "2026-11-01T00:00:00.000Z",
      openUntil: "2026-11-01T00:01:00.000Z",
      cooldownSeconds: 60,
    };
    await endpoints.put(endpointFixture({ failingSince: "2026-11-01T00:00:00.000Z", circuit }));
    const same = await updateEndpoint(deps(endpoints), "ep_1", { description: "x" });
    expect(same).toMatchObject({ failingSince: "2026-11-01T00:00:00.000Z", circuit });
    const moved = await updateEndpoint(deps(endpoints), "ep_1", { url: "https://new.example/hook" });
    expect(moved.failingSince).toBeUndefined();
    expect(moved.circuit).toBeUndefined();
  });

  it("stops every previous secret at once when rotated with no grace (a leaked secret)", async () => {
    const endpoints = new MemoryEndpointStore();
    await endpoints.put(endpointFixture());
    const first = await rotateSecret(deps(endpoints), "ep_1", { gracePeriodSeconds: 3600 });
    expect(first.previousSecrets).toHaveLength(1);
    const second = await rotateSecret(deps(endpoints), "ep_1", { gracePeriodSeconds: 0 });
    expect(second.previousSecrets).toEqual([]);
    expect(second.secret).not.toBe(first.secret);
  });
});
