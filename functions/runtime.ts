import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createSqsClient } from "./adapters/aws-clients.ts";
import { destinationCheck } from "./adapters/destination-check.ts";
import { DynamoAttemptLog } from "./adapters/dynamo-attempt-log.ts";
import { DynamoEndpointHealth } from "./adapters/dynamo-endpoint-health.ts";
import { DynamoEndpointStore } from "./adapters/dynamo-endpoint-store.ts";
import { DynamoEventStore } from "./adapters/dynamo-event-store.ts";
import { DynamoRateCounter } from "./adapters/dynamo-rate-counter.ts";
import { DynamoRecoveryStore } from "./adapters/dynamo-recovery-store.ts";
import { NodeHttpSender, type Resolver } from "./adapters/http-sender.ts";
import { createLog, type Log } from "./adapters/logger.ts";
import { processListeners } from "./adapters/process-listeners.ts";
import { SqsDeliveryQueue } from "./adapters/sqs-delivery-queue.ts";
import { SqsRequeue } from "./adapters/sqs-requeue.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import { type Config, parseConfig } from "./core/config.ts";
import { type DeliveryPolicy, probeLeaseSeconds } from "./core/delivery-policy.ts";
import { DestinationPolicy } from "./core/destination-policy.ts";
import { matchingDisabledBySystem } from "./core/disabled-matching.ts";
import { type OperationalEvents, operationalEvents } from "./core/operational-events.ts";
import { queueRetentionSeconds } from "./core/retry-schedule.ts";

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
  http: NodeHttpSender;
  /** Refuses a destination URL the dispatcher may not call (plain http where https is required, a private address). */
  checkUrl(url: string): Promise<void>;
  /** Endpoint health transitions (failing, circuit, disabled) on the endpoint item. */
  health: DynamoEndpointHealth;
  /** Per-endpoint one-second rate windows. */
  rates: DynamoRateCounter;
  recoveries: DynamoRecoveryStore;
  /** Delayed sends to the delivery queue: waiting deliveries and recovery steps. */
  requeue: SqsRequeue;
  /** The dispatcher's own events, through intake. */
  operational: OperationalEvents;
  /** The delivery rules from the configuration. */
  policy: DeliveryPolicy;
  /** The delivery queue's retention, derived from the global schedule as the construct derives it. */
  queueRetentionSeconds: number;
}

/** Reads the environment once and builds the adapters; `resolver` is injectable for tests. */
export function createRuntime(service: string, env: Record<string, string | undefined> = process.env, resolver?: Resolver): Runtime {
  const config = parseConfig(env);
  const dynamo = createDocumentClient();
  const sqs = createSqsClient();
  const http = new NodeHttpSender({
    timeoutMs: config.deliveryTimeoutMs,
    policy: new DestinationPolicy(config.destinationAllowCidrs),
    resolver,
    ownSockets: processListeners,
  });
  const endpoints = new DynamoEndpointStore(dynamo, config.tableName);
  const events = new DynamoEventStore(dynamo, config.tableName);
  const queue = new SqsDeliveryQueue(sqs, config.deliveryQueueUrl, config.deadLetterQueueUrl);
  return {
    config,
    clock: systemClock,
    dynamo,
    log: createLog(config.logFormat, config.logLevel, service),
    endpoints,
    events,
    attempts: new DynamoAttemptLog(dynamo, config.tableName),
    queue,
    http,
    checkUrl: destinationCheck(http, config.allowHttpDestinations),
    health: new DynamoEndpointHealth(dynamo, config.tableName),
    rates: new DynamoRateCounter(dynamo, config.tableName),
    recoveries: new DynamoRecoveryStore(dynamo, config.tableName),
    requeue: new SqsRequeue(sqs, config.deliveryQueueUrl),
    operational: operationalEvents({
      endpoints: matchingDisabledBySystem(endpoints),
      events,
      queue,
      clock: systemClock,
      logRetentionDays: config.logRetentionDays,
    }),
    policy: {
      slowDownDelaySeconds: config.slowDownDelaySeconds,
      disableAfterHours: config.endpointDisableAfterHours,
      circuit: {
        failureThreshold: config.circuitFailureThreshold,
        cooldownSeconds: config.circuitCooldownSeconds,
        maxCooldownSeconds: config.circuitMaxCooldownSeconds,
        probeLeaseSeconds: probeLeaseSeconds(config.deliveryTimeoutMs),
      },
    },
    queueRetentionSeconds: queueRetentionSeconds(config.retrySchedule),
  };
}
