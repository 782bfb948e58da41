import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { SubscribeDeadlines } from "../../core/push/deps.ts";
import type { SqsSender } from "../lambda/aws-clients.ts";

/*
 * The WebSocket push's subscribe deadlines on a small SQS queue: $connect sends one message per
 * connection with DelaySeconds, and the push function, the queue's consumer, closes the connection
 * if it has not subscribed by then. A message carries the connection id only (`v: 1`).
 */

/** SQS's longest DelaySeconds. */
const MAX_DELAY_SECONDS = 900;

/** A deadline message's body. */
export interface DeadlineMessage {
  v: 1;
  connectionId: string;
}

/** Sends each connection's deadline as a delayed message. */
export class SqsSubscribeDeadlines implements SubscribeDeadlines {
  private readonly client: SqsSender;
  private readonly queueUrl: string;

  constructor(client: SqsSender, queueUrl: string) {
    this.client = client;
    this.queueUrl = queueUrl;
  }

  async schedule(connectionId: string, delayMs: number): Promise<void> {
    // Rounded up: the queue must not deliver before the deadline.
    const delaySeconds = Math.min(Math.ceil(delayMs / 1000), MAX_DELAY_SECONDS);
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify({ v: 1, connectionId } satisfies DeadlineMessage),
          DelaySeconds: delaySeconds,
        }),
      );
    } catch (cause) {
      throw new DependencyError("sqs", "SQS send of a subscribe deadline failed", { cause });
    }
  }
}

/** The connection id of a deadline message's body, or undefined when it is not one (the consumer drops it: it never becomes one). */
export function deadlineConnection(body: string): string | undefined {
  try {
    const message = JSON.parse(body) as Partial<DeadlineMessage>;
    const id = message.connectionId;
    return message.v === 1 && typeof id === "string" && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}
