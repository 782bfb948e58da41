import type { BurstResult } from "../stages/burst.ts";
import type { HotKeyResult } from "../stages/hot-key.ts";

const n = (v: number) => v.toLocaleString("en-US");
const mark = (met: boolean) => (met ? "met" : "**missed**");

/** Summary rows for the hot-key and burst stages. */
export function isolationSummary(hotKey: HotKeyResult, burst: BurstResult): string[] {
  const worst = Math.max(...Object.values(hotKey.places).map((p) => p.perSecondAtSimulated));
  return [
    `| 6. hottest partition key at ${n(hotKey.simulatedPerSecond)} deliveries/s to one endpoint | ${n(worst)} write units/s | ≤ ${n(hotKey.target)} | ${mark(hotKey.met)} |`,
    `| 7. tenant B's one event behind tenant A's ${n(burst.burst)} | ${n(burst.behindBurstMs)} ms (idle: ${burst.quietMs} ms) | | |`,
  ];
}

/** The sections of the hot-key and burst stages. */
export function isolationSections(hotKey: HotKeyResult, burst: BurstResult): string[] {
  // An index nothing writes any more (gsi1 and gsi2 since issue 27's key designs) has no hottest key.
  const rows = Object.entries(hotKey.places).map(([place, p]) =>
    p.writeUnits === 0
      ? `| ${place} | none: nothing written | 0 | 0 | ${n(p.unshardedPerSecondAtSimulated)} |`
      : `| ${place} | \`${p.key}\` | ${n(p.writeUnits)} | ${n(p.perSecondAtSimulated)} | ${n(p.unshardedPerSecondAtSimulated)} |`,
  );
  return [
    "## 6. Hot key",
    "",
    `${n(hotKey.deliveries)} events of one tenant to one endpoint with a rate limit of ${n(hotKey.rateLimitPerSecond)}/s, delivered in ${hotKey.seconds} s (${n(hotKey.deliveriesPerSecond)}/s; ${n(hotKey.attempts)} attempts, one event in ten failing its first), write units tallied per partition key by the counting proxy. Time-scaled: each key's share of the writes at ${n(hotKey.simulatedPerSecond)} deliveries a second. The last column adds a key's shards back together: the same run on the keys before the shards.`,
    "",
    "| place | hottest key | write units in the run | per second at the simulated rate | before the shards |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    `The endpoint's own item (health transitions) took ${n(hotKey.endpointItemWriteUnits)} write units in the whole run.`,
    "",
    "## 7. Burst",
    "",
    `Tenant A emits ${n(burst.burst)} events as fast as the API takes them; as soon as they are accepted, tenant B emits one. Each delivery carries its tenant as MessageGroupId; the local queue serves it as an SQS fair queue by the rule AWS documents (local/fair-queues.ts: a tenant holding over 10 % and at least 30 of the messages in flight is noisy, and quiet tenants' messages go first), so this is the delay with fair queues as emulated, not as measured on AWS.`,
    "",
    "| | figure |",
    "|---|---|",
    `| B's emit to receive, idle stack (median of 5) | ${burst.quietMs} ms |`,
    `| B's emit to receive behind A's burst | ${n(burst.behindBurstMs)} ms |`,
    `| B's delivery among A's | ${n(burst.placeAmongBurst)} of ${n(burst.burst + 1)} |`,
    `| A's burst drained in | ${burst.burstDrainSeconds} s |`,
    "",
  ];
}
