import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { mapWithConcurrency } from "../core/concurrency.ts";
import type { RetryControl } from "../core/delivery/deps.ts";
import { DependencyError } from "../core/errors.ts";
import type { DeliveryMessage } from "../core/model.ts";
import type { DeliveryQueue } from "../core/ports.ts";

const BATCH_ENTRIES = 10;
/** SendMessageBatch's total size limit on every SQS we target (AWS raised it to 1 MiB in 2026; emulators keep 256 KiB). */
const BATCH_BYTES = 256 * 1024;

/**
 * The `MessageGroupId` of a message of `tenantId`: the tenant itself with fair queues, none without.
 * On a standard queue a group id makes SQS a fair queue, which serves a quiet tenant's messages
 * ahead of another tenant's backlog; where SQS has no fair queues it refuses the id
 * (`InvalidParameterValue`), so FAIR_QUEUES=false leaves it out.
 */
export function messageGroup(fairQueues: boolean, tenantId: string | undefined): { MessageGroupId?: string } {
  return fairQueues && tenantId !== undefined ? { MessageGroupId: tenantId } : {};
}

/** The delivery queue and its dead-letter queue on SQS. */
export class SqsDeliveryQueue implements DeliveryQueue, RetryControl {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly deadLetterQueueUrl: string;
  private readonly fairQueues: boolean;

  /** `fairQueues`: send each message with its tenant as MessageGroupId (the FAIR_QUEUES setting). */
  constructor(client: SQSClient, queueUrl: string, deadLetterQueueUrl: string, fairQueues: boolean) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.deadLetterQueueUrl = deadLetterQueueUrl;
    this.fairQueues = fairQueues;
  }

  /** Sends the messages in batches; with fair queues each carries its tenant as MessageGroupId. */
  async send(messages: DeliveryMessage[]): Promise<number[]> {
    const batches = packBatches(messages.map((m) => JSON.stringify(m)));
    const failed = await mapWithConcurrency(batches, 10, async (batch) => {
      try {
        const out = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map(([index, body]) => ({
              Id: String(index),
              MessageBody: body,
              ...messageGroup(this.fairQueues, (messages[index] as DeliveryMessage).tenantId),
            })),
          }),
        );
        return (out.Failed ?? []).map((f) => Number(f.Id));
      } catch {
        return batch.map(([index]) => index);
      }
    });
    return failed.flat();
  }

  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }),
      );
    } catch (cause) {
      throw new DependencyError("sqs", "SQS ChangeMessageVisibility failed", { cause });
    }
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.deadLetterQueueUrl,
          MessageBody: body,
          MessageAttributes: { reason: { DataType: "String", StringValue: reason } },
        }),
      );
    } catch (cause) {
      throw new DependencyError("sqs", "SQS dead-letter send failed", { cause });
    }
  }
}

/** Groups bodies into batches of at most 10 entries and 256 KiB, keeping each body's index. */
export function packBatches(bodies: string[]): [number, string][][] {
  const batches: [number, string][][] = [];
  let current: [number, string][] = [];
  let bytes = 0;
  bodies.forEach((body, index) => {
    const size = Buffer.byteLength(body);
    if (current.length === BATCH_ENTRIES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push([index, body]);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Whether an event source ARN (`arn:aws:sqs:region:account:name`) names the queue at `queueUrl` (`…/account/name`). */
export function isQueueArnOf(queueUrl: string, arn: string): boolean {
  const name = queueUrl.split("/").at(-1);
  return name !== undefined && name !== "" && arn.split(":").at(-1) === name;
}
