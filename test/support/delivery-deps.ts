import { parseConfig } from "../../functions/core/config/config.ts";
import { SETTINGS } from "../../functions/core/config/settings.ts";
import type { DeliveryDeps, DeliveryPolicy } from "../../functions/core/delivery/deps.ts";
import { deliveryPolicy } from "../../functions/core/delivery/deps.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { TenantStatusCache } from "../../functions/core/lifecycle/retention.ts";
import { RecordingDestinationSender, testDestinationDelivery } from "./destinations.ts";
import {
  FakeClock,
  MemoryAttemptLog,
  MemoryEndpointHealth,
  MemoryEndpointStore,
  MemoryEventStore,
  MemoryQueue,
  MemoryRateCounter,
  MemoryRecoveryStore,
  RecordingOperationalEvents,
  ScriptedSender,
} from "./fakes.ts";
import { MemoryFeed } from "./memory-feed.ts";
import { MemoryTenantStore } from "./memory-tenants.ts";

/** The delivery worker's ports, every one an in-memory fake the test can inspect. */
export type TestDeliveryDeps = DeliveryDeps & {
  endpoints: MemoryEndpointStore;
  attempts: MemoryAttemptLog;
  http: ScriptedSender;
  queue: MemoryQueue;
  requeue: MemoryQueue;
  /** The slow lane's queue: what the fast lane forwarded or handed over. */
  slowLane: MemoryQueue;
  health: MemoryEndpointHealth;
  rates: MemoryRateCounter;
  operational: RecordingOperationalEvents;
  clock: FakeClock;
  feed: MemoryFeed;
  tenants: MemoryTenantStore;
  destinations: { sender: RecordingDestinationSender; deployment: string; eventSource: string };
};

/** The delivery rules at the configuration's defaults (a delivery timeout of `deliveryTimeoutMs`). */
export function defaultTestPolicy(deliveryTimeoutMs: number = SETTINGS.deliveryTimeoutMs.default): DeliveryPolicy {
  const defaults = parseConfig({ TABLE_NAME: "-", DELIVERY_QUEUE_URL: "-", DEAD_LETTER_QUEUE_URL: "-" });
  return deliveryPolicy({ ...defaults, deliveryTimeoutMs });
}

/**
 * Worker dependencies on fakes, as the fast lane's worker, with the default policy and a circuit
 * threshold of 3 (1 s cool-down, doubling to 8 s).
 */
export function deliveryDeps(retrySchedule: number[]): TestDeliveryDeps {
  const endpoints = new MemoryEndpointStore();
  const queue = new MemoryQueue();
  const attempts = new MemoryAttemptLog();
  const clock = new FakeClock();
  const policy = defaultTestPolicy(1_000);
  const tenants = new MemoryTenantStore();
  const tenantStatus = new TenantStatusCache(tenants, clock, 30);
  return {
    endpoints,
    attempts,
    http: new ScriptedSender(),
    feed: new MemoryFeed(),
    destinations: { ...testDestinationDelivery(), sender: new RecordingDestinationSender() },
    queue,
    requeue: queue,
    health: new MemoryEndpointHealth(endpoints),
    rates: new MemoryRateCounter(),
    operational: new RecordingOperationalEvents(),
    recovery: {
      attempts,
      events: new MemoryEventStore(),
      queue,
      requeue: queue,
      recoveries: new MemoryRecoveryStore(),
      clock,
      tenantStatus,
    },
    clock,
    retrySchedule,
    logRetentionDays: 30,
    tenants,
    tenantStatus,
    lane: "fast",
    slowLane: new MemoryQueue(),
    policy: { ...policy, circuit: { ...policy.circuit, failureThreshold: 3, cooldownSeconds: 1, maxCooldownSeconds: 8 } },
  };
}

/** A delivery message of evt_1 to ep_1 in the default tenant, with the fields a test changes. */
export function deliveryMessage(overrides: Partial<DeliveryMessage> = {}): DeliveryMessage {
  return {
    v: 1,
    eventId: "evt_1",
    endpointId: "ep_1",
    tenantId: "default",
    type: "invoice.paid",
    createdAt: "2026-11-01T00:00:00.000Z",
    body: '{"amount":42}',
    ...overrides,
  };
}
