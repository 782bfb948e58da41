import http from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import { deliveryMessage, serializeMessage } from "../../functions/core/kernel/queue-message.ts";
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
                MessageBody: serializeMessage(
                  deliveryMessage(
                    { id, tenantId: "default", type: event.type, createdAt: now, body: JSON.stringify(event.payload) },
                    "ep_floor",
                  ),
                ),
              })),
            }),
          );
          await Promise.all(ids.map((id) => doc.send(new PutCommand({ TableName: tableName, Item: eventItem(id) }))));
        });
      };
      await Promise.all([produce(), ...Array.from({ length: pollers }, consume)]);
      return total / ((performance.now() - started) / 1000);
    },
    /**
     * The floor of emit-to-receive latency: at `ratePerSecond` for `seconds`, one SendMessageBatch
     * and one event PutItem per event (as single-event intake), `pollers` long-polling receivers
     * that write the attempt, POST the payload to `receiverUrl` (plain node:http, keep-alive) and
     * delete the batch. Returns when each seq was sent (performance.now()), once all are delivered.
     */
    async latency(
      ratePerSecond: number,
      seconds: number,
      firstSeq: number,
      receiverUrl: string,
      pollers: number,
    ): Promise<Map<number, number>> {
      const sentAt = new Map<number, number>();
      const total = Math.round(ratePerSecond * seconds);
      const now = new Date().toISOString();
      const drain = floorDelivery({ sqs, doc, queueUrl, tableName }, receiverUrl);
      const deadline = performance.now() + seconds * 1000 + 30_000;
      const consumers = drain.consume(total, pollers, deadline);
      const started = performance.now();
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < total; i++) {
        const wait = started + (i * 1000) / ratePerSecond - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const seq = firstSeq + i;
        const id = `evt_floorlat${seq}`;
        const event = benchEvent(seq);
        const body = JSON.stringify(event.payload);
        sentAt.set(seq, performance.now());
        sends.push(
          sqs
            .send(
              new SendMessageBatchCommand({
                QueueUrl: queueUrl,
                Entries: [
                  {
                    Id: "0",
                    MessageBody: serializeMessage(
                      deliveryMessage({ id, tenantId: "default", type: event.type, createdAt: now, body }, "ep_floor"),
                    ),
                  },
                ],
              }),
            )
            .then(() =>
              doc.send(new PutCommand({ TableName: tableName, Item: { pk: `EV#${id}`, sk: "EVENT", id, body, createdAt: now } })),
            ),
        );
      }
      await Promise.all(sends);
      await consumers;
      drain.close();
      return sentAt;
    },
    close(): void {
      sqs.destroy();
      doc.destroy();
    },
  };
}

/**
 * The floor's side of delivery: `pollers` long-polling receivers of `queueUrl` that POST each
 * message's payload to `receiverUrl` (plain node:http, keep-alive), write an attempt item and delete
 * the batch, until `total` are deleted or `deadline` (performance.now()) passes. Stage 2's latency
 * floor and the intake stage's use it.
 */
export function floorDelivery(
  at: { sqs: SQSClient; doc: DynamoDBDocumentClient; queueUrl: string; tableName: string },
  receiverUrl: string,
) {
  const { sqs, doc, queueUrl, tableName } = at;
  const target = new URL(receiverUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(target, {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "webhook-id": "floor" },
      });
      request.on("error", reject);
      request.on("response", (response) => {
        response.resume();
        response.on("end", () => resolve());
      });
      request.end(body);
    });
  return {
    /** Resolves once `total` messages are delivered and deleted, or at `deadline`. */
    async consume(total: number, pollers: number, deadline: number): Promise<void> {
      const now = new Date().toISOString();
      let deleted = 0;
      const one = async () => {
        while (deleted < total && performance.now() < deadline) {
          const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          const messages = out.Messages ?? [];
          if (messages.length === 0) continue;
          await Promise.all(
            messages.map(async (m) => {
              const message = JSON.parse(m.Body ?? "{}") as { eventId: string; body: string };
              await post(message.body);
              await doc.send(
                new PutCommand({ TableName: tableName, Item: { pk: `EV#${message.eventId}`, sk: "AT#ep_floor#000001", at: now } }),
              );
            }),
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
      await Promise.all(Array.from({ length: pollers }, one));
    },
    close: () => agent.destroy(),
  };
}
