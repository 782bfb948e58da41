import type { AttemptRecord } from "../../functions/core/kernel/model.ts";

/** A scheduled attempt of evt_1 to ep_1 with `status` and `durationMs`: what the metrics tests feed the writers. */
export const attemptRecord = (status: AttemptRecord["status"], durationMs: number): AttemptRecord => ({
  eventId: "evt_1",
  endpointId: "ep_1",
  tenantId: "default",
  attempt: 1,
  trigger: "scheduled",
  status,
  url: "https://x.example",
  at: "2026-11-01T00:00:00.000Z",
  durationMs,
  expiresAt: 0,
});
