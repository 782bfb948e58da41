import { DynamoApiKeyStore } from "../adapters/dynamo/dynamo-api-key-store.ts";
import { DynamoEventTypeStore } from "../adapters/dynamo/dynamo-event-type-store.ts";
import { DynamoSvixMemo } from "../adapters/dynamo/dynamo-svix-memo.ts";
import { TENANT_ERASE_STEPS } from "../adapters/dynamo/dynamo-tenant-eraser.ts";
import { urlCheckOnFirstCall } from "../adapters/http/url-check-on-first-call.ts";
import { loadAdminKey } from "../adapters/lambda/admin-key.ts";
import { loadOnce } from "../adapters/lambda/loaded-on-first-call.ts";
import { realSleep } from "../adapters/lambda/persistent-call.ts";
import { JsonSchemaCompiler } from "../adapters/schemas/json-schemas.ts";
import { CachedApiKeyStore } from "../core/access/api-key-cache.ts";
import { Authenticator } from "../core/access/api-keys.ts";
import { laneExitRule } from "../core/delivery/lane-exit.ts";
import { CachedEventTypeStore } from "../core/event-types/event-type-cache.ts";
import { createRuntime } from "../runtime.ts";
import { createApiHandler } from "./handler.ts";

/** Lambda entry point of the HTTP API. Wiring happens once per container. */
const runtime = createRuntime("api");
const { config } = runtime;
// A key read is kept API_KEY_CACHE_SECONDS: revoked elsewhere, it stops here within that bound.
const apiKeys = new CachedApiKeyStore(new DynamoApiKeyStore(runtime.dynamo, config.tableName), runtime.clock);

export const handler = runtime.budget.wrap(
  createApiHandler(
    {
      endpoints: runtime.endpoints,
      subscriptions: runtime.endpoints,
      events: runtime.events,
      attempts: runtime.attempts,
      apiKeys,
      tenants: runtime.tenants,
      tenantStatus: runtime.tenantStatus,
      deletions: runtime.tenants,
      // The sweeper erases; the API only names the job's steps.
      eraser: { steps: TENANT_ERASE_STEPS },
      eventTypes: new CachedEventTypeStore(
        new DynamoEventTypeStore(runtime.dynamo, config.tableName),
        runtime.clock,
        config.eventTypeCacheSeconds,
      ),
      schemas: new JsonSchemaCompiler(runtime.log),
      queue: runtime.deliveries,
      // Deliveries to slow and probation endpoints go straight to the slow lane's queue.
      ...(runtime.slowLane && { slowQueue: runtime.slowLane.queue }),
      clock: runtime.clock,
      logRetentionDays: config.logRetentionDays,
      scheduling: runtime.scheduling,
      maxBodyBytes: config.maxBodyBytes,
      maxEndpointsPerTenant: config.maxEndpointsPerTenant,
      checkUrl: urlCheckOnFirstCall(config),
      queueRetentionSeconds: runtime.queueRetentionSeconds,
      destinations: runtime.destinations.registration,
      recoveries: runtime.recoveries,
      requeue: runtime.requeue,
      portalFrameAncestors: config.portalFrameAncestors,
      laneExit: laneExitRule(config),
      svixMemo: new DynamoSvixMemo(runtime.dynamo, config.tableName),
      feed: runtime.feed,
      pollLeases: runtime.pollLeases,
      pollLimits: { perEndpoint: config.maxPollsPerEndpoint, perTenant: config.maxPollsPerTenant },
      apiRoutes: config.apiRoutes,
      feedUrl: config.feedUrl,
      websocketUrl: config.websocketUrl,
      sleep: realSleep,
      timeLeftMs: () => runtime.budget.remainingMs(),
    },
    // The admin key is read once per container; a failed read is retried on the next request.
    loadOnce(async () => new Authenticator(await runtime.budget.within("secretsmanager", () => loadAdminKey(config)), apiKeys)),
    runtime.log,
  ),
);
