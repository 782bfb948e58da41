import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AwsDestinationSender } from "./adapters/aws-destinations/aws-destination-sender.ts";
import type { RoleSessions } from "./adapters/aws-destinations/role-sessions.ts";
import { DynamoAttemptLog } from "./adapters/dynamo/dynamo-attempt-log.ts";
import { DynamoEndpointHealth } from "./adapters/dynamo/dynamo-endpoint-health.ts";
import { DynamoEndpointStore } from "./adapters/dynamo/dynamo-endpoint-store.ts";
import type { DynamoEventStore } from "./adapters/dynamo/dynamo-event-store.ts";
import type { DynamoFeed } from "./adapters/dynamo/dynamo-feed.ts";
import type { DynamoPollLeases } from "./adapters/dynamo/dynamo-poll-leases.ts";
import { DynamoRateCounter } from "./adapters/dynamo/dynamo-rate-counter.ts";
import type { DynamoRecoveryStore } from "./adapters/dynamo/dynamo-recovery-store.ts";
import { DynamoTenantStore } from "./adapters/dynamo/dynamo-tenant-store.ts";
import { createDocumentClient, sqsOnFirstCall } from "./adapters/lambda/aws-clients.ts";
import { InvocationBudget } from "./adapters/lambda/invocation-budget.ts";
import { loadedOnFirstCall, loadOnce } from "./adapters/lambda/loaded-on-first-call.ts";
import { createLog, type Log } from "./adapters/lambda/logger.ts";
import { realSleep } from "./adapters/lambda/persistent-call.ts";
import { isQueueArnOf, SqsDeliveryQueue } from "./adapters/sqs/sqs-delivery-queue.ts";
import { SqsOrderedQueue } from "./adapters/sqs/sqs-ordered-queue.ts";
import { SqsRequeue } from "./adapters/sqs/sqs-requeue.ts";
import { type Config, parseConfig } from "./core/config/config.ts";
import { type DeliveryPolicy, deliveryPolicy } from "./core/delivery/deps.ts";
import type { DestinationDelivery } from "./core/destinations/ports.ts";
import type { DestinationRegistrationDeps } from "./core/destinations/registration.ts";
import { deploymentName, destinationEndpoints, ownResourceRule, targetRules } from "./core/destinations/setup.ts";
import type { PayloadCheckDeps } from "./core/event-types/payload-check.ts";
import type { IntakeDeps } from "./core/intake/intake.ts";
import type { OperationalEvents } from "./core/intake/operational.ts";
import { type Clock, systemClock } from "./core/kernel/clock.ts";
import type { DeliveryQueue } from "./core/kernel/ports.ts";
import { hidingExpired } from "./core/lifecycle/hide-expired.ts";
import { TenantStatusCache } from "./core/lifecycle/retention.ts";
import { OrderedRouting } from "./core/ordering/routing-queue.ts";
import { queueRetentionSeconds } from "./core/policy/retry-schedule.ts";
import type { SchedulingDeps } from "./core/scheduling/schedule.ts";

/** Kept back from an invocation's deadline to answer after a dependency gave up: build, log and return the response. */
export const ANSWER_RESERVE_MS = 1_000;

/** Everything a function needs, wired once per container from the validated configuration. */
export interface Runtime {
  config: Readonly<Config>;
  clock: Clock;
  log: Log;
  dynamo: DynamoDBDocumentClient;
  endpoints: DynamoEndpointStore;
  events: DynamoEventStore;
  attempts: DynamoAttemptLog;
  queue: SqsDeliveryQueue;
  /**
   * Where deliveries are sent (intake, the sweeper, replay, recovery, operational events): the
   * ordered queue for ordered endpoints, `queue` for the rest. `queue` alone without ORDERED_QUEUE_URL.
   */
  deliveries: DeliveryQueue;
  /** The ordered FIFO queue (ORDERED_QUEUE_URL) and its event source's test; undefined when unset. */
  ordered?: { queue: SqsOrderedQueue; isSource(eventSourceArn: string): boolean };
  /** The invocation's time: handlers are wrapped with it, and every AWS call is bounded by it. */
  budget: InvocationBudget;
  /** Endpoint health transitions (failing, circuit, disabled) on the endpoint item. */
  health: DynamoEndpointHealth;
  /** Per-endpoint one-second rate windows. */
  rates: DynamoRateCounter;
  recoveries: DynamoRecoveryStore;
  /** Held scheduled messages and the settings that bound them. */
  scheduling: SchedulingDeps;
  /** Tenant records and deletions. */
  tenants: DynamoTenantStore;
  /** Each tenant's retention and tombstone, cached per container for TENANT_STATUS_CACHE_SECONDS. */
  tenantStatus: TenantStatusCache;
  /** Polling endpoints' feeds. */
  feed: DynamoFeed;
  /** Leases of long polls (MAX_POLLS_PER_ENDPOINT, MAX_POLLS_PER_TENANT). */
  pollLeases: DynamoPollLeases;
  /** Delayed sends to the delivery queue: waiting deliveries and recovery steps. */
  requeue: SqsRequeue;
  /** The dispatcher's own events, through intake. */
  operational: OperationalEvents;
  /** The delivery rules from the configuration. */
  policy: DeliveryPolicy;
  /** The delivery queue's retention, derived from the global schedule as the construct derives it. */
  queueRetentionSeconds: number;
  /** AWS destinations: what registration checks, and the sender deliveries go through. */
  destinations: { registration: DestinationRegistrationDeps; delivery: DestinationDelivery };
  /** The slow lane's queue (SLOW_QUEUE_URL): retries and waiting copies there, and the fast lane's forwards. Undefined when unset. */
  slowLane?: { queue: SqsDeliveryQueue; requeue: SqsRequeue; isSource(eventSourceArn: string): boolean };
}

/**
 * Reads the environment once and builds the adapters. The outbound HTTP client is not one of them:
 * the delivery worker makes it at import and the API loads it on its first URL check
 * (adapters/http/outbound-sender.ts), so that no other function loads the address parser.
 */
export function createRuntime(service: string, env: Record<string, string | undefined> = process.env): Runtime {
  const config = parseConfig(env);
  const budget = new InvocationBudget(systemClock, ANSWER_RESERVE_MS);
  const dynamo = createDocumentClient(budget);
  const sqs = sqsOnFirstCall(budget);
  const endpoints = new DynamoEndpointStore(dynamo, config.tableName);
  // Reads hide what is past its expiresAt: TTL deletes it days late (and the local emulator never does).
  const { tableName } = config;
  // Loaded on first use: what only some requests of each function need (loaded-on-first-call.ts).
  const events = hidingExpired(
    loadedOnFirstCall(async () => new (await import("./adapters/dynamo/dynamo-event-store.ts")).DynamoEventStore(dynamo, tableName)),
    systemClock,
  );
  const queue = new SqsDeliveryQueue(sqs, config.deliveryQueueUrl, config.deadLetterQueueUrl, config.fairQueues);
  const scheduling: SchedulingDeps = {
    store: loadedOnFirstCall(
      async () => new (await import("./adapters/dynamo/dynamo-schedule-store.ts")).DynamoScheduleStore(dynamo, tableName),
    ),
    maxPerTenant: config.maxScheduledPerTenant,
    horizonHours: config.scheduleHorizonHours,
    leadSeconds: config.scheduleLeadSeconds,
  };
  const tenants = new DynamoTenantStore(dynamo, config.tableName);
  const tenantStatus = new TenantStatusCache(tenants, systemClock, config.logRetentionDays);
  const orderedUrl = config.orderedQueueUrl;
  const ordered = orderedUrl === undefined ? undefined : new SqsOrderedQueue(sqs, orderedUrl, queue);
  const deliveries = ordered ? new OrderedRouting(queue, ordered, endpoints) : queue;
  const rules = targetRules(config);
  const emulators = destinationEndpoints(config.destinationEndpointUrls);
  // Loaded on the first destination delivery or roleArn check, as the STS and destination clients they call are.
  const sessions: RoleSessions = loadedOnFirstCall(
    async () =>
      new (await import("./adapters/aws-destinations/role-sessions.ts")).RoleSessions({
        region: rules.region,
        ...(config.destinationRoleArn !== undefined && { sessionRoleArn: config.destinationRoleArn }),
        ...(emulators.sts !== undefined && { stsEndpoint: emulators.sts }),
      }),
  );
  const eventSource = config.destinationEventSource ?? "hookrelay";
  const destinationSender: AwsDestinationSender = loadedOnFirstCall(
    async () =>
      new (await import("./adapters/aws-destinations/aws-destination-sender.ts")).AwsDestinationSender({
        sessions,
        endpoints: emulators,
        eventSource,
        timeoutMs: config.deliveryTimeoutMs,
      }),
  );
  const deployment = deploymentName(config);
  return {
    config,
    clock: systemClock,
    dynamo,
    log: createLog(config.logFormat, config.logLevel, service),
    endpoints,
    events,
    attempts: hidingExpired(
      new DynamoAttemptLog(
        dynamo,
        config.tableName,
        { clock: systemClock, sleep: realSleep, remainingMs: () => budget.remainingMs() },
        // The functions that record attempts call flushLists once a batch (issue 27: one list write per batch and endpoint).
        { listPerBatch: service === "delivery" || service === "dead-letter" },
      ),
      systemClock,
    ),
    queue,
    deliveries,
    ...(ordered &&
      orderedUrl !== undefined && {
        ordered: { queue: ordered, isSource: (arn: string) => isQueueArnOf(orderedUrl, arn) },
      }),
    budget,
    health: new DynamoEndpointHealth(dynamo, config.tableName),
    rates: new DynamoRateCounter(dynamo, config.tableName),
    scheduling,
    recoveries: hidingExpired(
      loadedOnFirstCall(
        async () => new (await import("./adapters/dynamo/dynamo-recovery-store.ts")).DynamoRecoveryStore(dynamo, tableName),
      ),
      systemClock,
    ),
    tenants,
    tenantStatus,
    feed: loadedOnFirstCall(async () => new (await import("./adapters/dynamo/dynamo-feed.ts")).DynamoFeed(dynamo, tableName)),
    pollLeases: loadedOnFirstCall(
      async () => new (await import("./adapters/dynamo/dynamo-poll-leases.ts")).DynamoPollLeases(dynamo, tableName),
    ),
    requeue: new SqsRequeue(sqs, config.deliveryQueueUrl, config.fairQueues),
    operational: lazyOperationalEvents({
      subscriptions: endpoints,
      events,
      queue: deliveries,
      clock: systemClock,
      logRetentionDays: config.logRetentionDays,
      scheduling,
      tenantStatus,
    }),
    policy: deliveryPolicy(config),
    queueRetentionSeconds: queueRetentionSeconds(config.retrySchedule),
    destinations: {
      registration: {
        rules,
        own: ownResourceRule(config),
        deployment,
        roles: sessions,
        maxBodyBytes: config.maxBodyBytes,
        ...(config.destinationRoleArn !== undefined && { sessionRoleArn: config.destinationRoleArn }),
      },
      delivery: {
        sender: destinationSender,
        deployment,
        eventSource,
      },
    },
    ...(config.slowQueueUrl !== undefined && {
      slowLane: {
        queue: new SqsDeliveryQueue(sqs, config.slowQueueUrl, config.deadLetterQueueUrl, config.fairQueues),
        requeue: new SqsRequeue(sqs, config.slowQueueUrl, config.fairQueues),
        isSource: (arn: string) => isQueueArnOf(config.slowQueueUrl as string, arn),
      },
    }),
  };
}

/**
 * Operational events go through intake (validation, matching, idempotency, enqueue), which the
 * delivery and dead-letter functions need only when an endpoint changes health or a delivery ends
 * for good: loaded then, as the Svix face and the AWS destinations are, not at every cold start.
 */
function lazyOperationalEvents(deps: Omit<IntakeDeps, keyof PayloadCheckDeps>): OperationalEvents {
  const loaded = loadOnce(async () => (await import("./core/intake/operational-events.ts")).operationalEvents(deps));
  return {
    async emit(...args) {
      return (await loaded()).emit(...args);
    },
  };
}
