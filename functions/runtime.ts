import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createSqsClient } from "./adapters/aws-clients.ts";
import { destinationCheck } from "./adapters/destination-check.ts";
import { DynamoAttemptLog } from "./adapters/dynamo-attempt-log.ts";
import { DynamoEndpointStore } from "./adapters/dynamo-endpoint-store.ts";
import { DynamoEventStore } from "./adapters/dynamo-event-store.ts";
import { NodeHttpSender, type Resolver } from "./adapters/http-sender.ts";
import { createLog, type Log } from "./adapters/logger.ts";
import { SqsDeliveryQueue } from "./adapters/sqs-delivery-queue.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import { type Config, parseConfig } from "./core/config.ts";
import { DestinationPolicy } from "./core/destination-policy.ts";

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
  });
  return {
    config,
    clock: systemClock,
    dynamo,
    log: createLog(config.logFormat, config.logLevel, service),
    endpoints: new DynamoEndpointStore(dynamo, config.tableName),
    events: new DynamoEventStore(dynamo, config.tableName),
    attempts: new DynamoAttemptLog(dynamo, config.tableName),
    queue: new SqsDeliveryQueue(sqs, config.deliveryQueueUrl, config.deadLetterQueueUrl),
    http,
    checkUrl: destinationCheck(http, config.allowHttpDestinations),
  };
}
