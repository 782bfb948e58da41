import type { ApiDeps, ApiRoutes } from "../../functions/api/api-deps.ts";
import { defaultTestPolicy } from "./delivery-deps.ts";
import { testDestinationRegistration } from "./destinations.ts";
import { MemoryApiKeyStore, MemoryAttemptLog, MemoryRecoveryStore, memoryIntakeDeps } from "./fakes.ts";
import { MemoryFeed } from "./memory-feed.ts";
import { MemoryPollLeases } from "./memory-poll-leases.ts";
import { type ErasableStores, MemoryTenantEraser } from "./memory-tenant-eraser.ts";
import { MemorySvixMemo } from "./memory-tenants.ts";

/** The API's ports, each an in-memory fake a test can inspect, at the configuration's defaults; spread and override. */
export function memoryApiDeps() {
  const intake = memoryIntakeDeps();
  const deps = {
    ...intake,
    attempts: new MemoryAttemptLog(),
    apiKeys: new MemoryApiKeyStore(),
    requeue: intake.queue,
    recoveries: new MemoryRecoveryStore(),
    maxBodyBytes: 65_536,
    maxEndpointsPerTenant: 20,
    checkUrl: async (_url: string) => undefined,
    destinations: testDestinationRegistration(),
    feed: new MemoryFeed(),
    pollLeases: new MemoryPollLeases(),
    pollLimits: { perEndpoint: 2, perTenant: 10 },
    apiRoutes: "all" as ApiRoutes,
    sleep: async (ms: number) => intake.clock.advance(ms),
    timeLeftMs: () => Number.POSITIVE_INFINITY,
    laneExit: defaultTestPolicy().lanes,
    svixMemo: new MemorySvixMemo(),
    deletions: intake.tenants,
    // Reads the stores of `deps` as they are when it runs: a test may replace one.
    eraser: new MemoryTenantEraser((): ErasableStores => deps),
  } satisfies ApiDeps;
  return deps;
}
