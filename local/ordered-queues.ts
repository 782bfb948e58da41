import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ORDERED_MAX_RECEIVE_COUNT, ORDERED_RETENTION_SECONDS } from "../functions/core/ordering/receive-budget.ts";
import { RESOURCE_NAMES } from "../lib/resource-settings.ts";

/** The ordered FIFO queue and its FIFO dead-letter queue, as the construct defines them (lib/dispatcher-ordering.ts). */
export interface OrderedQueues {
  orderedQueueUrl: string;
  orderedQueueArn: string;
  orderedDeadLetterQueueUrl: string;
  orderedDeadLetterQueueArn: string;
}

/**
 * Creates the ordered queues in the local SQS (fauxqs keeps FIFO groups and deduplication; it has
 * no per-message delay on FIFO, which the ordered consumer never uses). `visibilityTimeoutSeconds`
 * is the delivery queue's, so a killed worker's line comes back when its other messages do.
 */
export async function ensureOrderedQueues(client: SQSClient, visibilityTimeoutSeconds: number, deadLetterRetentionSeconds: number) {
  const fifo = { FifoQueue: "true", ContentBasedDeduplication: "false" };
  const arnOf = async (url: string) =>
    (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: RESOURCE_NAMES.orderedDeadLetterQueue,
      Attributes: { ...fifo, MessageRetentionPeriod: String(deadLetterRetentionSeconds) },
    }),
  );
  const orderedDeadLetterQueueUrl = dlq.QueueUrl as string;
  const orderedDeadLetterQueueArn = await arnOf(orderedDeadLetterQueueUrl);
  const queue = await client.send(new CreateQueueCommand({ QueueName: RESOURCE_NAMES.orderedQueue, Attributes: fifo }));
  const orderedQueueUrl = queue.QueueUrl as string;
  await client.send(
    new SetQueueAttributesCommand({
      QueueUrl: orderedQueueUrl,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(ORDERED_RETENTION_SECONDS),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: orderedDeadLetterQueueArn, maxReceiveCount: ORDERED_MAX_RECEIVE_COUNT }),
      },
    }),
  );
  return { orderedQueueUrl, orderedQueueArn: await arnOf(orderedQueueUrl), orderedDeadLetterQueueUrl, orderedDeadLetterQueueArn };
}
