import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { acceptEvents } from "../../functions/core/intake/intake.ts";
import { createSweeperHandler } from "../../functions/sweeper/handler.ts";
import { endpointFixture, memoryIntakeDeps } from "../support/fakes.ts";
import type { MemoryScheduleStore } from "../support/memory-schedule.ts";
import { noDeletions } from "../support/memory-tenant-eraser.ts";

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

/** The sweeper function's two jobs, chosen by its rules' input: `{job: "scheduled"}` every minute, anything else every five. */
describe("the sweeper function's jobs", () => {
  it("moves due scheduled messages and publishes how overdue they were on the scheduled job only", async () => {
    const deps = memoryIntakeDeps();
    await deps.endpoints.put(endpointFixture({ id: "ep_a", tenantId: "t" }));
    const deliverAt = new Date(deps.clock.now().getTime() + 600_000).toISOString();
    await acceptEvents(deps, [{ type: "a", payload: 1, tenantId: "t", deliverAt }]);
    const published: number[] = [];
    const handler = createSweeperHandler(
      { ...deps, graceSeconds: 60, schedule: deps.scheduling.store as MemoryScheduleStore, leadSeconds: 180 },
      noDeletions(deps.tenants, deps.clock),
      log,
      (seconds) => published.push(seconds),
    );
    deps.clock.advance(700_000);
    await handler({}, {} as Context);
    expect(deps.queue.sent).toEqual([]);
    expect(published).toEqual([]);
    await handler({ job: "scheduled" }, {} as Context);
    expect(deps.queue.sent.map((m) => [m.endpointId, m.notBefore])).toEqual([["ep_a", undefined]]);
    expect(published).toEqual([100]);
  });
});
