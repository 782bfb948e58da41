import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext } from "./http-gateway.ts";

/** A handler of SQS events, as Lambda invokes it. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface EventSourceOptions {
  queueUrl: string;
  queueArn: string;
  functionName: string;
  batchSize: number;
  /** Concurrent pollers: Lambda's concurrency for this source. */
  concurrency: number;
  waitTimeSeconds: number;
  onError: (error: unknown) => void;
}

/**
 * Drives an SQS handler the way Lambda's SQS event source does: long-polls batches, invokes the
 * handler, deletes what succeeded and leaves the batchItemFailures (or the whole batch when the
 * handler throws) to come back after their visibility timeout, where the queue's redrive policy applies.
 */
export function startSqsEventSource(client: SQSClient, handler: SqsHandler, options: EventSourceOptions) {
  let running = true;
  const controller = new AbortController();
  const poller = async (): Promise<void> => {
    while (running) {
      let messages: Message[];
      try {
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
          { abortSignal: controller.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (!running) return;
        options.onError(error);
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (messages.length > 0) await invoke(client, handler, options, messages);
    }
  };
  const pollers = Array.from({ length: options.concurrency }, poller);
  return {
    /** Stops polling and waits for the batches in flight to finish. */
    async stop(): Promise<void> {
      running = false;
      controller.abort();
      await Promise.allSettled(pollers);
    },
  };
}

async function invoke(client: SQSClient, handler: SqsHandler, options: EventSourceOptions, messages: Message[]): Promise<void> {
  const records = messages.map((m) => toRecord(m, options.queueArn));
  let failed: Set<string>;
  try {
    const result = await handler({ Records: records }, lambdaContext(options.functionName));
    failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (error) {
    options.onError(error);
    return;
  }
  const done = messages.filter((m) => !failed.has(m.MessageId as string));
  if (done.length === 0) return;
  try {
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  } catch (error) {
    options.onError(error);
  }
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? "String", stringValue: value.StringValue },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: "us-east-1",
  };
}
