import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mapWithConcurrency } from "../../functions/core/concurrency.ts";
import { benchEvent } from "../support/emit.ts";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * The emulator-only floor of stage 2: per event, exactly the queue and table work the pipeline does
 * at the same batch sizes (SendMessageBatch of `batchSize` plus one PutItem per event record;
 * ReceiveMessage of 10, one PutItem per attempt record, DeleteMessageBatch), with nothing else: no
 * HTTP API, no handler, no signing, no POST. Same emulators, same counting proxies, same number of
 * producers and pollers as the pipeline run it is compared with.
 */
export async function createFloor(sqsUrl: string, dynamoUrl: string, tableName: string) {
  const sqs = new SQSClient({ endpoint: sqsUrl, region: "us-east-1", credentials, useQueueUrlAsEndpoint: false });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoUrl, region: "us-east-1", credentials }));
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-floor", Attributes: { VisibilityTimeout: "60" } })))
    .QueueUrl as string;
  let run = 0;
  return {
    /** Events per second through the floor for `total` events. */
    async measure(total: number, batchSize: number, producers: number, pollers: number): Promise<number> {
      run++;
      const now = new Date().toISOString();
      const eventItem = (id: string) => {
        const e = benchEvent(0);
        return {
          pk: `EV#${id}`,
          sk: "EVENT",
          id,
          tenantId: "default",
          type: e.type,
          body: JSON.stringify(e.payload),
          createdAt: now,
          requestHash: "h".repeat(43),
          endpointIds: ["ep_floor"],
          expiresAt: 1,
        };
      };
      const attemptItem = (id: string) => ({
        pk: `EV#${id}`,
        sk: "AT#ep_floor#000001",
        gsi1pk: "EP#ep_floor#AT",
        gsi1sk: `${now}#${id}#000001`,
        eventId: id,
        endpointId: "ep_floor",
        tenantId: "default",
        attempt: 1,
        trigger: "scheduled",
        status: "succeeded",
        url: "http://127.0.0.1:1/webhooks",
        at: now,
        durationMs: 1,
        statusCode: 204,
        responseBody: "",
        expiresAt: 1,
      });
      const started = performance.now();
      let deleted = 0;
      const consume = async () => {
        while (deleted < total) {
          const out = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 1,
              MessageSystemAttributeNames: ["All"],
            }),
          );
          const messages = out.Messages ?? [];
          if (messages.length === 0) continue;
          await Promise.all(
            messages.map((m) => doc.send(new PutCommand({ TableName: tableName, Item: attemptItem(JSON.parse(m.Body ?? "{}").eventId) }))),
          );
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
          deleted += messages.length;
        }
      };
      const produce = async () => {
        const batches = Array.from({ length: Math.ceil(total / batchSize) }, (_, i) => i);
        await mapWithConcurrency(batches, producers, async (b) => {
          const ids = Array.from({ length: Math.min(batchSize, total - b * batchSize) }, (_, k) => `evt_floor${run}_${b * batchSize + k}`);
          const event = benchEvent(0);
          await sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: ids.map((id, k) => ({
                Id: String(k),
                MessageBody: JSON.stringify({
                  v: 1,
                  eventId: id,
                  endpointId: "ep_floor",
                  tenantId: "default",
                  type: event.type,
                  createdAt: now,
                  body: JSON.stringify(event.payload),
                }),
              })),
            }),
          );
          await Promise.all(ids.map((id) => doc.send(new PutCommand({ TableName: tableName, Item: eventItem(id) }))));
        });
      };
      await Promise.all([produce(), ...Array.from({ length: pollers }, consume)]);
      return total / ((performance.now() - started) / 1000);
    },
    close(): void {
      sqs.destroy();
      doc.destroy();
    },
  };
}
