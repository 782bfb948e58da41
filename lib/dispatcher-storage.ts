/**
 * The WebhookDispatcher's stores: its one DynamoDB table, the delivery, slow-lane and dead-letter
 * queues, and the admin key's secret. Made in the dispatcher's own scope, so their construct ids are
 * the ones it always had (a contract: never rename them).
 */
import { Duration } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { TABLE_DESIGN } from "../functions/adapters/dynamo/table-design.ts";
import { DEAD_LETTER_FUNCTION_TIMEOUT } from "./dispatcher-function.ts";
import type { ResolvedSettings } from "./resolved-settings.ts";

export interface DispatcherStorage {
  table: dynamodb.Table;
  /** The table's global secondary indexes, by name. */
  indexNames: string[];
  deadLetterQueue: sqs.Queue;
  deliveryQueue: sqs.Queue;
  slowQueue: sqs.Queue;
  adminKeySecret: secretsmanager.Secret;
}

/** Makes the dispatcher's table, queues and admin key secret in `scope`, in this order. */
export function addStorage(
  scope: Construct,
  settings: ResolvedSettings,
  options: { stream?: dynamodb.StreamViewType } = {},
): DispatcherStorage {
  const { queue, removalPolicy, encryptionKey, billing } = settings;
  // Provisioned: each capacity starts at its minimum and auto scaling moves it (see `billing` in dispatcher-props.ts).
  const capacity =
    billing.mode === "provisioned"
      ? { billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: billing.minRead, writeCapacity: billing.minWrite }
      : { billingMode: dynamodb.BillingMode.PAY_PER_REQUEST };
  const table = new dynamodb.Table(scope, "Table", {
    partitionKey: { name: TABLE_DESIGN.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_DESIGN.sortKey, type: dynamodb.AttributeType.STRING },
    ...capacity,
    timeToLiveAttribute: TABLE_DESIGN.ttlAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
    encryptionKey,
    removalPolicy,
    // The WebSocket push reads feed slots' keys from it (dispatcher-websocket.ts).
    ...(options.stream && { stream: options.stream }),
  });
  for (const index of TABLE_DESIGN.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
      ...(billing.mode === "provisioned" && { readCapacity: billing.minRead, writeCapacity: billing.minWrite }),
    });
  }
  if (billing.mode === "provisioned") {
    const bounds = (kind: "Read" | "Write") => ({ minCapacity: billing[`min${kind}`], maxCapacity: billing[`max${kind}`] });
    const target = { targetUtilizationPercent: billing.targetUtilizationPercent };
    table.autoScaleReadCapacity(bounds("Read")).scaleOnUtilization(target);
    table.autoScaleWriteCapacity(bounds("Write")).scaleOnUtilization(target);
    for (const index of TABLE_DESIGN.indexes) {
      table.autoScaleGlobalSecondaryIndexReadCapacity(index.name, bounds("Read")).scaleOnUtilization(target);
      table.autoScaleGlobalSecondaryIndexWriteCapacity(index.name, bounds("Write")).scaleOnUtilization(target);
    }
  }
  const indexNames = TABLE_DESIGN.indexes.map((index) => index.name);

  const queueEncryption = encryptionKey
    ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: encryptionKey, dataKeyReuse: Duration.hours(1) }
    : { encryption: sqs.QueueEncryption.SQS_MANAGED };
  const deadLetterQueue = new sqs.Queue(scope, "DeadLetterQueue", {
    ...queueEncryption,
    retentionPeriod: Duration.seconds(queue.deadLetterRetentionSeconds),
    visibilityTimeout: Duration.seconds(6 * DEAD_LETTER_FUNCTION_TIMEOUT.toSeconds()),
    enforceSSL: true,
  });
  const deliveryQueueProps: sqs.QueueProps = {
    ...queueEncryption,
    retentionPeriod: Duration.seconds(queue.retentionSeconds),
    visibilityTimeout: Duration.seconds(queue.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: queue.maxReceiveCount },
    enforceSSL: true,
  };
  const deliveryQueue = new sqs.Queue(scope, "DeliveryQueue", deliveryQueueProps);
  // The same settings and the same dead-letter queue: one consumer records every exhausted delivery, whichever lane it was in.
  const slowQueue = new sqs.Queue(scope, "SlowQueue", deliveryQueueProps);

  const adminKeySecret = new secretsmanager.Secret(scope, "AdminKey", {
    description: "Bearer key of the webhook dispatcher's admin API",
    encryptionKey,
    removalPolicy,
    // No punctuation: the key goes into an Authorization header and shell commands unquoted.
    generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
  });
  return { table, indexNames, deadLetterQueue, deliveryQueue, slowQueue, adminKeySecret };
}
