import { describe, expect, it } from "vitest";
import { runChaos } from "./harness.ts";

/*
 * A shorter run of `npm run chaos`: the same scenario and faults on an eighth of the deliveries. The
 * duplicates come from POSTs in flight when the stack is killed, so their share scales with the
 * density of faults: the full run holds them under 1 %, this one under 5 %.
 */
describe("chaos", () => {
  it("loses no accepted event through kills, outages and a flaky receiver, and bounds duplicates", async () => {
    const report = await runChaos({
      events: 200,
      endpoints: 3,
      kills: 2,
      outages: 1,
      retrySchedule: [1, 1, 2],
      seed: Number(process.env.CHAOS_SEED ?? 7),
      log: () => undefined,
    });
    console.log(`chaos report: ${JSON.stringify(report)}`);
    expect(report.acceptedEvents).toBe(200);
    expect(report.kills).toBe(2);
    expect(report.outages).toBe(1);
    expect(report.deliveries).toBe(600);
    expect(report.lost).toBe(0);
    expect(report.succeeded + report.exhausted).toBe(report.deliveries);
    expect(report.exhaustedOffSchedule).toBe(0);
    expect(report.unknownWebhookIds).toBe(0);
    expect(report.duplicateRate).toBeLessThanOrEqual(0.05);
  }, 300_000);
});
