import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { DependencyError } from "../core/errors.ts";
import type { Requeue } from "../core/ports.ts";
import { queueText } from "../core/queue-text.ts";

/** Sends raw bodies to the delivery queue with a delay: waiting copies of deliveries, and recovery steps. */
export class SqsRequeue implements Requeue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.client = client;
    this.queueUrl = queueUrl;
  }

  async later(body: string, delaySeconds: number, tenantId?: string): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          // Waiting copies carry an event's body again: written as the first send wrote it.
          MessageBody: queueText(body),
          DelaySeconds: delaySeconds,
          ...(tenantId !== undefined && { MessageGroupId: tenantId }),
        }),
      );
    } catch (cause) {
      throw new DependencyError("sqs", "SQS requeue failed", { cause });
    }
  }
}
