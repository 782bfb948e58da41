import { describe, expect, it } from "vitest";
import { acceptEvents } from "../../functions/core/intake.ts";
import { sweepUnsent } from "../../functions/core/intake-sweeper.ts";
import { endpointFixture, memoryIntakeDeps } from "../support/fakes.ts";

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

    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [] });
    deps.clock.advance(61_000);
    deps.queue.outage.down = true;
    const [event] = [...deps.events.items.values()];
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [event?.id] });
    deps.queue.outage.down = false;
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [event?.id], failed: [] });
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_a", "ep_b"]);
    expect(await sweepUnsent(sweeper)).toEqual({ finished: [], failed: [] });
  });
});
