import { ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { DeliveryMessage } from "../../core/kernel/model.ts";
import type { DeliveryQueue, Unsent } from "../../core/kernel/ports.ts";
import { serializeMessage } from "../../core/kernel/queue-message.ts";
import { queueText } from "../../core/kernel/queue-text.ts";
import { orderedDeduplicationId } from "../../core/ordering/dedup.ts";
import type { OrderedLine } from "../../core/ordering/ordered-deps.ts";
import type { SqsSender } from "../lambda/aws-clients.ts";
import { batchRefusal, failedEntries, packBatches } from "./sqs-delivery-queue.ts";

/** What a later delivery of a line whose earlier one was not sent is told: it waits for that one, to keep its place. */
const BEHIND_UNSENT = "NotSent: an earlier delivery to the same ordered endpoint was not sent";

/**
 * The ordered FIFO queue: each ordered endpoint is a message group (MessageGroupId = endpoint id),
 * each delivery deduplicated by its identity. Batches are sent one after another, never at once,
 * so that SQS receives the deliveries in the order given; once one delivery of an endpoint is not
 * sent (for now), the later ones of that endpoint in the same call are not sent either, and are
 * reported unsent with it, so that none overtakes it. Exhausted deliveries go to the standard
 * dead-letter queue (`deadLetters`), as the other queues' do.
 */
export class SqsOrderedQueue implements DeliveryQueue, OrderedLine {
  private readonly client: SqsSender;
  private readonly queueUrl: string;
  private readonly deadLetters: Pick<DeliveryQueue, "deadLetter">;

  constructor(client: SqsSender, queueUrl: string, deadLetters: Pick<DeliveryQueue, "deadLetter">) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.deadLetters = deadLetters;
  }

  async send(messages: DeliveryMessage[]): Promise<Unsent[]> {
    const unsent: Unsent[] = [];
    const stopped = new Set<string>();
    for (const batch of packBatches(messages.map((m) => queueText(serializeMessage(m))))) {
      const go = batch.filter(([index]) => !stopped.has((messages[index] as DeliveryMessage).endpointId));
      for (const [index] of batch) {
        if (!go.some(([i]) => i === index)) unsent.push({ index, permanent: false, reason: BEHIND_UNSENT });
      }
      for (const failure of await this.sendBatch(go, messages)) {
        unsent.push(failure);
        if (!failure.permanent) stopped.add((messages[failure.index] as DeliveryMessage).endpointId);
      }
    }
    // A later delivery reported in the same batch as the one that failed is not behind it in SQS: report each once, in order.
    return unsent.sort((a, b) => a.index - b.index);
  }

  private async sendBatch(batch: [number, string][], messages: DeliveryMessage[]): Promise<Unsent[]> {
    if (batch.length === 0) return [];
    try {
      const out = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map(([index, body]) => {
            const message = messages[index] as DeliveryMessage;
            return {
              Id: String(index),
              MessageBody: body,
              MessageGroupId: message.endpointId,
              MessageDeduplicationId: orderedDeduplicationId(message),
            };
          }),
        }),
      );
      // An entry SQS took after a failed one of its group cannot be taken back: the failed one, sent
      // later, takes its place behind it, as an event first answered 503 does (docs/ordering.md).
      return failedEntries(out.Failed);
    } catch (error) {
      const { permanent, reason } = batchRefusal(error);
      if (!permanent) return batch.map(([index]) => ({ index, permanent: false, reason }));
      // A refusal of the whole batch names no entry: each is sent alone, in order, so only the one at fault ends.
      if (batch.length > 1) {
        const out: Unsent[] = [];
        for (const entry of batch) out.push(...(await this.sendBatch([entry], messages)));
        return out;
      }
      return batch.map(([index]) => ({ index, permanent: true, reason }));
    }
  }

  deadLetter(body: string, reason: string): Promise<void> {
    return this.deadLetters.deadLetter(body, reason);
  }

  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await this.hold([receiptHandle], seconds);
  }

  async hold(receiptHandles: string[], seconds: number): Promise<void> {
    try {
      if (receiptHandles.length === 1) {
        await this.client.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandles[0], VisibilityTimeout: seconds }),
        );
        return;
      }
      for (let i = 0; i < receiptHandles.length; i += 10) {
        const out = await this.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: receiptHandles
              .slice(i, i + 10)
              .map((handle, j) => ({ Id: String(j), ReceiptHandle: handle, VisibilityTimeout: seconds })),
          }),
        );
        if ((out.Failed ?? []).length > 0) throw new Error(`${out.Failed?.length} of the line's messages kept their visibility`);
      }
    } catch (cause) {
      throw new DependencyError("sqs", "SQS ChangeMessageVisibility of an ordered line failed", { cause });
    }
  }
}
