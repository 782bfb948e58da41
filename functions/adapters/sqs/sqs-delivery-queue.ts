import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { RetryControl } from "../../core/delivery/deps.ts";
import { mapWithConcurrency } from "../../core/kernel/concurrency.ts";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { DeliveryMessage } from "../../core/kernel/model.ts";
import type { DeliveryQueue, Unsent } from "../../core/kernel/ports.ts";
import { serializeMessage } from "../../core/kernel/queue-message.ts";
import { queueText } from "../../core/kernel/queue-text.ts";
import type { SqsSender } from "../lambda/aws-clients.ts";

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
  private readonly client: SqsSender;
  private readonly queueUrl: string;
  private readonly deadLetterQueueUrl: string;
  private readonly fairQueues: boolean;

  /** `fairQueues`: send each message with its tenant as MessageGroupId (the FAIR_QUEUES setting). */
  constructor(client: SqsSender, queueUrl: string, deadLetterQueueUrl: string, fairQueues: boolean) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.deadLetterQueueUrl = deadLetterQueueUrl;
    this.fairQueues = fairQueues;
  }

  /**
   * With fair queues each message carries its tenant as MessageGroupId (see messageGroup). Bodies go as
   * queueText writes them, so no character SQS refuses reaches it. Each message not sent is
   * classified by refusedForGood: the caller ends a refused one and tries a failed one again later.
   */
  async send(messages: DeliveryMessage[], delaySeconds?: readonly number[]): Promise<Unsent[]> {
    const batches = packBatches(messages.map((m) => queueText(serializeMessage(m))));
    const failed = await mapWithConcurrency(batches, 10, (batch) => this.sendBatch(batch, messages, delaySeconds));
    return failed.flat();
  }

  private async sendBatch(batch: [number, string][], messages: DeliveryMessage[], delays?: readonly number[]): Promise<Unsent[]> {
    try {
      const out = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map(([index, body]) => ({
            Id: String(index),
            MessageBody: body,
            ...messageGroup(this.fairQueues, (messages[index] as DeliveryMessage).tenantId),
            ...(delays?.[index] && { DelaySeconds: delays[index] }),
          })),
        }),
      );
      return failedEntries(out.Failed);
    } catch (error) {
      const { permanent, reason } = batchRefusal(error);
      if (!permanent) return batch.map(([index]) => ({ index, permanent: false, reason }));
      // A refusal of the whole batch names no entry: each is sent alone, so only the one at fault ends.
      if (batch.length > 1) return (await Promise.all(batch.map((entry) => this.sendBatch([entry], messages, delays)))).flat();
      return batch.map(([index]) => ({ index, permanent: true, reason }));
    }
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.deadLetterQueueUrl,
          MessageBody: queueText(body),
          MessageAttributes: { reason: { DataType: "String", StringValue: reason } },
        }),
      );
    } catch (cause) {
      throw new DependencyError("sqs", "SQS dead-letter send failed", { cause });
    }
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
}

/**
 * The codes with which SQS refuses a message itself: invalid characters, a message or batch over
 * the size limit (a lone message's InvalidParameterValue is its size), a malformed attribute. Sent
 * again, the same message gets the same answer. Every other failure (throttling, a server error, the
 * network, a missing permission or KMS key, a queue that does not exist) may pass: it is tried again.
 */
const REFUSALS_FOR_GOOD = new Set([
  "InvalidMessageContents",
  "MessageTooLong",
  "BatchRequestTooLong",
  "InvalidParameterValue",
  "InvalidAttributeName",
  "InvalidAttributeValue",
]);

/** Whether SQS refused a message for good: the sender is at fault (SenderFault, a client fault) and the code names the message. */
export function refusedForGood(code: string | undefined, senderFault: boolean): boolean {
  return senderFault && code !== undefined && REFUSALS_FOR_GOOD.has(code);
}

/** The entries of a SendMessageBatch answer SQS did not take, each classified by refusedForGood. */
export function failedEntries(
  failed: readonly { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[] | undefined,
): Unsent[] {
  return (failed ?? []).map((f) => ({
    index: Number(f.Id),
    permanent: refusedForGood(f.Code, f.SenderFault === true),
    reason: `${f.Code ?? "unknown"}: ${f.Message ?? ""}`,
  }));
}

/** A SendMessageBatch call that failed whole: whether SQS refused it for good, and its code and words. */
export function batchRefusal(error: unknown): { permanent: boolean; reason: string } {
  const code = (error as { name?: string }).name ?? "unknown";
  return {
    permanent: refusedForGood(code, (error as { $fault?: string }).$fault === "client"),
    reason: `${code}: ${(error as { message?: string }).message ?? ""}`,
  };
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
