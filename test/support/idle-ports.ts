import type { DeliveryDeps } from "../../functions/core/delivery/deps.ts";
import { testDestinationDelivery } from "./destinations.ts";

/**
 * Worker ports that do nothing, for a harness whose deliveries never reach them (first attempts that
 * succeed to a healthy endpoint without a rate limit): health transitions that never happen, a rate
 * window that is always empty, announcements, waiting copies and lane moves that go nowhere, no
 * recoveries, no polling endpoints.
 */
export function idleDeliveryPorts(): Pick<
  DeliveryDeps,
  "health" | "rates" | "operational" | "requeue" | "recovery" | "slowLane" | "feed" | "destinations"
> {
  const requeue = { later: async () => undefined };
  return {
    health: {
      markFailing: async () => false,
      markHealthy: async () => false,
      openCircuit: async () => false,
      takeProbe: async () => true,
      closeCircuit: async () => false,
      disable: async () => false,
      moveLane: async () => false,
      countFastSuccess: async () => 0,
      resetFastSuccesses: async () => false,
    },
    rates: { take: async () => 0 },
    feed: { allocate: async () => 0, fill: async () => false, slot: async () => undefined },
    destinations: testDestinationDelivery(),
    operational: { emit: async () => undefined },
    requeue,
    slowLane: requeue,
    recovery: {
      attempts: { ofDelivery: async () => [], byEndpointBetween: async () => ({ items: [] }) },
      events: { getMany: async () => new Map() },
      queue: { send: async () => [], deadLetter: async () => undefined },
      requeue,
      recoveries: {
        get: async () => undefined,
        advance: async () => false,
        stash: async () => undefined,
        stashed: async () => ({ items: [] }),
      },
      clock: { now: () => new Date(), random: Math.random },
      tenantStatus: { statusOf: async () => ({ retentionDays: 30, deleted: false }), forget: () => undefined },
    },
  };
}
