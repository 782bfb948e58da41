import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { TABLE_DESIGN } from "../functions/adapters/dynamo/table-design.ts";
import { PUSH_DEADLINE_QUEUE, type QueueSettings, RESOURCE_NAMES } from "../lib/resource-settings.ts";

/**
 * Creates the table from TABLE_DESIGN, the definition the CDK construct uses. dynalite has no
 * UpdateTimeToLive, so locally the TTL attribute is written but nothing expires.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Set<string>([TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey]);
  for (const index of TABLE_DESIGN.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [...attributes].map((name): AttributeDefinition => ({ AttributeName: name, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: TABLE_DESIGN.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
    }),
  );
}

/**
 * Creates the delivery queue, the slow lane's queue and their dead-letter queue with the settings the
 * CDK stack derives.
 */
export async function ensureQueues(
  client: SQSClient,
  names: { delivery: string; slow: string; deadLetter: string },
  settings: QueueSettings,
): Promise<{ deliveryQueueUrl: string; slowQueueUrl: string; deadLetterQueueUrl: string }> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: names.deadLetter,
      Attributes: { MessageRetentionPeriod: String(settings.deadLetterRetentionSeconds) },
    }),
  );
  const deadLetterQueueUrl = dlq.QueueUrl as string;
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ["QueueArn"] }));
  const attributes = {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(settings.retentionSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: settings.maxReceiveCount }),
  };
  const [deliveryQueueUrl, slowQueueUrl] = await Promise.all(
    [names.delivery, names.slow].map(async (name) => {
      const url = (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
      // Set on every start so that a changed RETRY_SCHEDULE or timeout reaches an existing local queue.
      await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
      return url;
    }),
  );
  return { deliveryQueueUrl: deliveryQueueUrl as string, slowQueueUrl: slowQueueUrl as string, deadLetterQueueUrl };
}

/** Creates the WebSocket push's subscribe-deadline queue (a standard queue: fauxqs honours DelaySeconds on it) with the construct's settings. */
export async function ensurePushDeadlineQueue(client: SQSClient): Promise<{ queueUrl: string; queueArn: string }> {
  const queueUrl = (await client.send(new CreateQueueCommand({ QueueName: RESOURCE_NAMES.pushDeadlineQueue }))).QueueUrl as string;
  await client.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: {
        VisibilityTimeout: String(PUSH_DEADLINE_QUEUE.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(PUSH_DEADLINE_QUEUE.retentionSeconds),
      },
    }),
  );
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  return { queueUrl, queueArn: Attributes?.QueueArn ?? "" };
}
