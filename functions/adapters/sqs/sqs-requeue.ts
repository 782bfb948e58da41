import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { Requeue } from "../../core/kernel/ports.ts";
import { queueText } from "../../core/kernel/queue-text.ts";
import type { SqsSender } from "../lambda/aws-clients.ts";
import { messageGroup } from "./sqs-delivery-queue.ts";

/** Sends raw bodies to the delivery queue with a delay: waiting copies of deliveries, and recovery steps. */
export class SqsRequeue implements Requeue {
  private readonly client: SqsSender;
  private readonly queueUrl: string;
  private readonly fairQueues: boolean;

  /** `fairQueues`: send each copy with its tenant as MessageGroupId (the FAIR_QUEUES setting). */
  constructor(client: SqsSender, queueUrl: string, fairQueues: boolean) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.fairQueues = fairQueues;
  }

  async later(body: string, delaySeconds: number, tenantId?: string): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          // Waiting copies carry an event's body again: written as the first send wrote it.
          MessageBody: queueText(body),
          DelaySeconds: delaySeconds,
          ...messageGroup(this.fairQueues, tenantId),
        }),
      );
    } catch (cause) {
      throw new DependencyError("sqs", "SQS requeue failed", { cause });
    }
  }
}
