/**
 * The dispatcher's queue-driven functions: Delivery (both lanes' event sources), the dead-letter
 * consumer and the sweeper with its two schedules. Made in the construct's scope, in this order:
 * their construct ids and the order of their grants are part of the template.
 */
import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as eventTargets from "aws-cdk-lib/aws-events-targets";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import type { Construct } from "constructs";
import { grantChangeVisibility, grantSend, grantTable } from "./dispatcher-access.ts";
import {
  DEAD_LETTER_FUNCTION_TIMEOUT,
  DispatcherFunction,
  type DispatcherFunctionOptions,
  FUNCTION_ENTRIES,
} from "./dispatcher-function.ts";
import type { DispatcherStorage } from "./dispatcher-storage.ts";
import type { ResolvedSettings } from "./resolved-settings.ts";

/** One sweep lists at most 100 half-sent events and sends their messages: a minute is plenty. */
const SWEEPER_FUNCTION_TIMEOUT = Duration.minutes(1);

/** What the workers share with the API function, and the storage they read and write. */
export interface WorkersProps {
  readonly common: Omit<DispatcherFunctionOptions, "entry" | "description" | "memorySize" | "timeout" | "environment">;
  /** The environment every function gets (without the admin key's secret). */
  readonly environment: Record<string, string>;
  readonly settings: ResolvedSettings;
  readonly storage: Pick<DispatcherStorage, "table" | "indexNames" | "deliveryQueue" | "slowQueue" | "deadLetterQueue">;
}

/** The functions the queues and the schedules run. */
export interface Workers {
  deliveryFunction: NodejsFunction;
  deadLetterFunction: NodejsFunction;
  sweeperFunction: NodejsFunction;
}

/** Makes the delivery, dead-letter and sweeper functions in `scope`, with their grants, event sources and schedules. */
export function addWorkers(scope: Construct, props: WorkersProps): Workers {
  const { common, environment, settings } = props;
  const { table, indexNames, deliveryQueue, slowQueue, deadLetterQueue } = props.storage;

  const delivery = new DispatcherFunction(scope, "Delivery", {
    ...common,
    entry: FUNCTION_ENTRIES.delivery,
    description: "Webhook dispatcher: signs and delivers webhooks, schedules retries",
    memorySize: settings.deliveryMemorySize,
    timeout: Duration.seconds(settings.queue.deliveryFunctionTimeoutSeconds),
    environment,
  });
  const deliveryFunction = delivery.function;
  // UpdateItem: endpoint health transitions and rate windows; PutItem also records operational events and recoveries.
  grantTable(delivery.role, table, ["GetItem", "PutItem", "UpdateItem", "Query", "BatchGetItem"], indexNames);
  grantChangeVisibility(delivery.role, deliveryQueue, slowQueue);
  grantSend(delivery.role, deadLetterQueue, "DeadLetterExhausted");
  // Waiting copies (circuit open, rate limit), recovery steps and operational events go back to the delivery queue.
  grantSend(delivery.role, deliveryQueue, "RequeueDeliveries");
  // Forwards and hand-overs to the slow lane, and the slow lane's own retries and waiting copies.
  grantSend(delivery.role, slowQueue, "SendToSlowLane");
  // Two event sources, each with its own maxConcurrency: slow endpoints' batches never take the fast lane's invocations.
  for (const [lane, maxConcurrency] of [
    [deliveryQueue, settings.maxConcurrency],
    [slowQueue, settings.slowLaneMaxConcurrency],
  ] as const) {
    deliveryFunction.addEventSource(
      new SqsEventSource(lane, {
        batchSize: settings.batchSize,
        maxBatchingWindow: settings.maxBatchingWindow,
        maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }

  const deadLetter = new DispatcherFunction(scope, "DeadLetter", {
    ...common,
    entry: FUNCTION_ENTRIES.deadLetter,
    description: "Webhook dispatcher: marks dead-lettered deliveries exhausted",
    memorySize: settings.deadLetterMemorySize,
    timeout: DEAD_LETTER_FUNCTION_TIMEOUT,
    environment,
  });
  const deadLetterFunction = deadLetter.function;
  // BatchGetItem, UpdateItem and the send: delivery.exhausted operational events go through intake.
  grantTable(deadLetter.role, table, ["Query", "PutItem", "UpdateItem", "BatchGetItem"], indexNames);
  grantSend(deadLetter.role, deliveryQueue, "EmitOperationalEvents");
  grantSend(deadLetter.role, deadLetterQueue, "DeadLetterUnsendable");
  deadLetterFunction.addEventSource(new SqsEventSource(deadLetterQueue, { batchSize: 10, reportBatchItemFailures: true }));

  const sweeper = new DispatcherFunction(scope, "Sweeper", {
    ...common,
    entry: FUNCTION_ENTRIES.sweeper,
    description: "Webhook dispatcher: finishes events whose intake failed midway",
    memorySize: settings.deadLetterMemorySize,
    timeout: SWEEPER_FUNCTION_TIMEOUT,
    environment,
  });
  const sweeperFunction = sweeper.function;
  // BatchGetItem: the scheduler reads a held message's event before moving it (docs/scheduling.md).
  // PutItem and BatchWriteItem: tenant deletions' progress and the removal of the tenant's items (docs/lifecycle.md).
  grantTable(sweeper.role, table, ["Query", "UpdateItem", "BatchGetItem", "PutItem", "BatchWriteItem"], indexNames);
  grantSend(sweeper.role, deliveryQueue, "FinishIntake");
  grantSend(sweeper.role, deadLetterQueue, "DeadLetterUnsendable");
  new events.Rule(scope, "SweepSchedule", {
    description: "Runs the webhook dispatcher's sweeper",
    schedule: events.Schedule.rate(Duration.minutes(5)),
    targets: [new eventTargets.LambdaFunction(sweeperFunction, { retryAttempts: 2 })],
  });
  // The scheduler: every minute, held scheduled messages due within SCHEDULE_LEAD_SECONDS go to the queue.
  new events.Rule(scope, "ScheduledDeliverySchedule", {
    description: "Moves the webhook dispatcher's held scheduled messages to the delivery queue as they fall due",
    schedule: events.Schedule.rate(Duration.minutes(1)),
    targets: [
      new eventTargets.LambdaFunction(sweeperFunction, {
        event: events.RuleTargetInput.fromObject({ job: "scheduled" }),
        retryAttempts: 2,
      }),
    ],
  });
  return { deliveryFunction, deadLetterFunction, sweeperFunction };
}
