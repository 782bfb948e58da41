import type { ApiDeps } from "../../functions/api/routes.ts";
import {
  FakeClock,
  MemoryApiKeyStore,
  MemoryAttemptLog,
  MemoryEndpointStore,
  MemoryEventStore,
  MemoryQueue,
  MemoryRecoveryStore,
} from "./fakes.ts";

/** The API's ports, each an in-memory fake a test can inspect, at the configuration's defaults unless overridden. */
export function memoryApiDeps() {
  const endpoints = new MemoryEndpointStore();
  const queue = new MemoryQueue();
  return {
    endpoints,
    subscriptions: endpoints,
    events: new MemoryEventStore(),
    attempts: new MemoryAttemptLog(),
    apiKeys: new MemoryApiKeyStore(),
    queue,
    requeue: queue,
    recoveries: new MemoryRecoveryStore(),
    clock: new FakeClock(),
    logRetentionDays: 30,
    maxBodyBytes: 65_536,
    maxEndpointsPerTenant: 20,
    checkUrl: async (_url: string) => undefined,
  } satisfies ApiDeps;
}
