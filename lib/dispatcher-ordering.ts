/*
 * Ordered delivery's resources (docs/ordering.md): one FIFO queue and its FIFO dead-letter queue
 * per deployment, each ordered endpoint a message group; a third event source of the delivery
 * function, a second of the dead-letter function; the grants of every function that sends
 * deliveries; and the alarms that show a stuck ordered endpoint.
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { ORDERED_STUCK_AFTER_SECONDS } from "../functions/core/ordering/line-state.ts";
import { ORDERED_BATCH_SIZE, ORDERED_MAX_RECEIVE_COUNT, ORDERED_RETENTION_SECONDS } from "../functions/core/ordering/receive-budget.ts";
import { grantSend } from "./dispatcher-access.ts";
import { DEAD_LETTER_FUNCTION_TIMEOUT } from "./dispatcher-function.ts";
import type { ResolvedSettings } from "./resolved-settings.ts";

/** An ordered line whose oldest delivery has waited this long is stuck: its head keeps failing, or the consumer does. */
export const ORDERED_STUCK_AFTER = Duration.seconds(ORDERED_STUCK_AFTER_SECONDS);

/** The ordered queues. */
export interface OrderedQueues {
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

/**
 * The ordered FIFO queue and its dead-letter queue: the delivery queue's encryption and visibility,
 * SQS's longest retention (a held-back delivery may wait for days) and its highest maxReceiveCount
 * (each wait of a head is a receive of its line: functions/core/ordering/receive-budget.ts). High
 * throughput FIFO: each endpoint's group is throttled on its own, not the queue as a whole.
 */
export function addOrderedQueues(scope: Construct, settings: Pick<ResolvedSettings, "queue" | "encryptionKey">): OrderedQueues {
  const { queue, encryptionKey } = settings;
  const encryption = encryptionKey
    ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: encryptionKey, dataKeyReuse: Duration.hours(1) }
    : { encryption: sqs.QueueEncryption.SQS_MANAGED };
  const fifo = { fifo: true, contentBasedDeduplication: false, enforceSSL: true, ...encryption } as const;
  const deadLetterQueue = new sqs.Queue(scope, "OrderedDeadLetterQueue", {
    ...fifo,
    retentionPeriod: Duration.seconds(queue.deadLetterRetentionSeconds),
    visibilityTimeout: Duration.seconds(6 * DEAD_LETTER_FUNCTION_TIMEOUT.toSeconds()),
  });
  const orderedQueue = new sqs.Queue(scope, "OrderedQueue", {
    ...fifo,
    deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
    fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
    retentionPeriod: Duration.seconds(ORDERED_RETENTION_SECONDS),
    visibilityTimeout: Duration.seconds(queue.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: ORDERED_MAX_RECEIVE_COUNT },
  });
  return { queue: orderedQueue, deadLetterQueue };
}

/** The functions ordered delivery involves, with the table some of them learn an endpoint's ordering from. */
export interface OrderingWiring {
  table: Table;
  /** Sends deliveries (intake, replay, recovery, the sweeper, operational events): all learn an endpoint's ordering by GetItem. */
  senders: { api: NodejsFunction; delivery: NodejsFunction; deadLetter: NodejsFunction; sweeper: NodejsFunction };
  maxConcurrency: number;
}

/** The ordered queue's event sources and grants (its alarms are the monitoring's: orderedAlarms). */
export function wireOrdering(queues: OrderedQueues, wiring: OrderingWiring): void {
  const { senders } = wiring;
  for (const [name, fn] of Object.entries(senders)) {
    grantSend(fn.role as iam.IRole, queues.queue, `EnqueueOrdered${name[0]?.toUpperCase()}${name.slice(1)}`);
    // The routing queue reads each endpoint's ordering once per container.
    (fn.role as iam.IRole).addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: "ReadEndpointOrdering", actions: ["dynamodb:GetItem"], resources: [wiring.table.tableArn] }),
    );
  }
  // A waiting head and the deliveries held back behind it stay in flight until the head's time.
  (senders.delivery.role as iam.IRole).addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "HoldOrderedLines",
      actions: ["sqs:ChangeMessageVisibility"],
      resources: [queues.queue.queueArn],
    }),
  );
  // FIFO event sources take no batching window; one batch holds at most ORDERED_BATCH_SIZE messages, several per group, in order.
  senders.delivery.addEventSource(
    new SqsEventSource(queues.queue, {
      batchSize: ORDERED_BATCH_SIZE,
      maxConcurrency: wiring.maxConcurrency,
      reportBatchItemFailures: true,
    }),
  );
  senders.deadLetter.addEventSource(new SqsEventSource(queues.deadLetterQueue, { batchSize: 10, reportBatchItemFailures: true }));
}

/** The ordered queues' alarms. */
export interface OrderedAlarms {
  /** An ordered line has waited longer than ORDERED_STUCK_AFTER: an ordered endpoint is stuck (its log lines name it). */
  stuckOrderedEndpoint: cloudwatch.Alarm;
  /** Messages in the ordered dead-letter queue: SQS gave up on a line (an outage of ours that outlasted its receives). */
  orderedDeadLetters: cloudwatch.Alarm;
}

/** The ordered queues' alarms, made by the monitoring construct beside the other delivery alarms (same topic, same dashboard). */
export function orderedAlarms(scope: Construct, queues: OrderedQueues): OrderedAlarms {
  const common = {
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  return {
    stuckOrderedEndpoint: new cloudwatch.Alarm(scope, "StuckOrderedEndpointAlarm", {
      ...common,
      alarmDescription: `An ordered endpoint's oldest delivery has waited more than ${ORDERED_STUCK_AFTER.toSeconds()} s: its head keeps failing and holds back the rest. The delivery function's "ordered endpoint held" log lines name it.`,
      metric: queues.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: "Maximum" }),
      threshold: ORDERED_STUCK_AFTER.toSeconds(),
    }),
    orderedDeadLetters: new cloudwatch.Alarm(scope, "OrderedDeadLettersAlarm", {
      ...common,
      alarmDescription: "Messages are waiting in the ordered dead-letter queue: their deliveries are not being recorded.",
      metric: queues.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
      threshold: 0,
    }),
  };
}
