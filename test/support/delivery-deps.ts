import type { DeliveryDeps } from "../../functions/core/delivery.ts";
import { defaultPolicy } from "../../functions/core/delivery-policy.ts";
import {
  FakeClock,
  MemoryAttemptLog,
  MemoryEndpointHealth,
  MemoryEndpointStore,
  MemoryQueue,
  MemoryRateCounter,
  RecordingOperationalEvents,
  ScriptedSender,
} from "./fakes.ts";

/** The delivery worker's ports, every one an in-memory fake the test can inspect. */
export type TestDeliveryDeps = DeliveryDeps & {
  endpoints: MemoryEndpointStore;
  attempts: MemoryAttemptLog;
  http: ScriptedSender;
  queue: MemoryQueue;
  requeue: MemoryQueue;
  health: MemoryEndpointHealth;
  rates: MemoryRateCounter;
  operational: RecordingOperationalEvents;
  clock: FakeClock;
};

/** Worker dependencies on fakes, with the default policy and a circuit threshold of 3 (1 s cool-down, doubling to 8 s). */
export function deliveryDeps(retrySchedule: number[]): TestDeliveryDeps {
  const endpoints = new MemoryEndpointStore();
  const queue = new MemoryQueue();
  const policy = defaultPolicy(1_000);
  return {
    endpoints,
    attempts: new MemoryAttemptLog(),
    http: new ScriptedSender(),
    queue,
    requeue: queue,
    health: new MemoryEndpointHealth(endpoints),
    rates: new MemoryRateCounter(),
    operational: new RecordingOperationalEvents(),
    clock: new FakeClock(),
    retrySchedule,
    logRetentionDays: 30,
    policy: { ...policy, circuit: { ...policy.circuit, failureThreshold: 3, cooldownSeconds: 1, maxCooldownSeconds: 8 } },
  };
}
