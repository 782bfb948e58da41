/**
 * Scheduled delivery's settings (docs/scheduling.md): the cap per tenant, the horizon and the lead.
 * Part of the settings table (settings.ts spreads them in, in this order); like it, this imports
 * only the settings' types.
 */
import type { Setting } from "./setting-kinds.ts";

export const SCHEDULE_SETTINGS = {
  maxScheduledPerTenant: {
    kind: "whole",
    env: "MAX_SCHEDULED_PER_TENANT",
    prop: "maxScheduledPerTenant",
    // Each waiting message is one small item (about 300 bytes) and a place in the tenant's list.
    default: 10_000,
    min: 1,
    max: 1_000_000,
    unit: "count",
    meaning:
      "messages with a future `deliverAt` one tenant may have waiting; one more answers `429 too_many_scheduled` (docs/scheduling.md)",
  },
  scheduleHorizonHours: {
    kind: "whole",
    env: "SCHEDULE_HORIZON_HOURS",
    prop: "scheduleHorizonHours",
    // Svix's horizon is 24 h; a week covers a weekend. A waiting event is kept until its own time plus LOG_RETENTION_DAYS.
    default: 168,
    min: 24,
    max: 8760,
    unit: "h",
    meaning: "how far ahead `deliverAt` may be; later answers `422` naming `deliverAt` (docs/scheduling.md)",
  },
  scheduleLeadSeconds: {
    kind: "whole",
    env: "SCHEDULE_LEAD_SECONDS",
    // Three of the scheduler's one-minute runs: one late or failed run is absorbed. Below 120 s a
    // missed run makes messages late in AWS; tests of the local stack, whose timer is faster, lower it.
    default: 180,
    min: 2,
    max: 900,
    unit: "s",
    meaning:
      "a `deliverAt` further ahead than this is held in the table (listed, cancellable) and moved to the queue this long before its time; nearer, it is queued with a delay at once (docs/scheduling.md)",
  },
} as const satisfies Record<string, Setting>;
