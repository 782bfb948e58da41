/**
 * The local stack for the end-to-end stages, wired like local/stack.ts (same emulators, provisioning,
 * HTTP API emulation, SQS event-source emulation and the unmodified Lambda entry points) with two
 * additions a benchmark needs: counting proxies between the functions and the emulators (every AWS
 * call and its billed units), and timing of every handler invocation. Delivery polling starts and
 * stops on request, so the fan-out stage can measure intake alone. Runs in its own process; talks to
 * the bench over IPC; its stdout carries only the functions' own logs, which the bench measures.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, PurgeQueueCommand } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { createSqsClient } from "../../functions/adapters/aws-clients.ts";
import { parseConfig } from "../../functions/core/config.ts";
import { queueSettings, RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { startDynamo, startSqs } from "../../local/emulators.ts";
import { startHttpGateway } from "../../local/http-gateway.ts";
import { ensureQueues, ensureTable } from "../../local/provision.ts";
import { startSqsEventSource } from "../../local/sqs-event-source.ts";
import { serveParent } from "./child.ts";
import { CALLER_HEADER, startCountingProxy } from "./counting-proxy.ts";

export interface StackReady {
  apiUrl: string;
  /** The counting proxies: anything the bench sends through them is counted too. */
  dynamoUrl: string;
  sqsUrl: string;
  deliveryQueueUrl: string;
  deadLetterQueueUrl: string;
}

/** Per-function handler wall times (ms) and batch sizes since the last `take`. */
export interface Invocations {
  api: number[];
  delivery: number[];
  deliveryBatchSizes: number[];
}

/*
 * Who makes each AWS call: the handlers run inside `caller.run(name)`, and every HTTP request created
 * in that async context carries the name to the counting proxies, so that a call is priced with the
 * function that made it (an operational event emitted by the delivery worker is the worker's cost).
 */
const caller = new AsyncLocalStorage<string>();
subscribe("http.client.request.created", (message) => {
  const { request } = message as { request: ClientRequest };
  const name = caller.getStore();
  if (name !== undefined && !request.headersSent) request.setHeader(CALLER_HEADER, name);
});

const dynamo = await startDynamo(undefined);
const sqs = await startSqs(undefined);
const dynamoProxy = await startCountingProxy(dynamo.url);
const sqsProxy = await startCountingProxy(sqs.url);
process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoProxy.url;
process.env.AWS_ENDPOINT_URL_SQS = sqsProxy.url;
process.env.TABLE_NAME ??= RESOURCE_NAMES.table;
const tableName = process.env.TABLE_NAME;

const config = parseConfig({ ...process.env, DELIVERY_QUEUE_URL: "-", DEAD_LETTER_QUEUE_URL: "-" });
const settings = queueSettings(config.retrySchedule, config.deliveryTimeoutMs);
const sqsClient = createSqsClient();
await ensureTable(new DynamoDBClient({}), tableName);
const queues = await ensureQueues(
  sqsClient,
  { delivery: RESOURCE_NAMES.deliveryQueue, deadLetter: RESOURCE_NAMES.deadLetterQueue },
  settings,
);
process.env.DELIVERY_QUEUE_URL = queues.deliveryQueueUrl;
process.env.DEAD_LETTER_QUEUE_URL = queues.deadLetterQueueUrl;

const api = await import("../../functions/api/index.ts");
const delivery = await import("../../functions/delivery/index.ts");

let invocations: Invocations = { api: [], delivery: [], deliveryBatchSizes: [] };
type Handler<E, R> = (event: E, context: Context) => Promise<R>;
function timed<E, R>(name: string, handler: Handler<E, R>, into: (ms: number, event: E) => void): Handler<E, R> {
  return async (event, context) => {
    const started = performance.now();
    try {
      return await caller.run(name, () => handler(event, context));
    } finally {
      into(performance.now() - started, event);
    }
  };
}

const errors: string[] = [];
const onError = (where: string) => (error: unknown) => {
  if (errors.length < 20) errors.push(`${where}: ${String(error)}`);
};
const gateway = await startHttpGateway(
  timed("api", api.handler as unknown as Handler<never, never>, (ms) => invocations.api.push(ms)) as never,
  0,
  onError("api"),
);
const deliveryHandler = timed("delivery", delivery.handler as unknown as Handler<SQSEvent, never>, (ms, event) => {
  invocations.delivery.push(ms);
  invocations.deliveryBatchSizes.push(event.Records.length);
});
const queueArn =
  (await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: queues.deliveryQueueUrl, AttributeNames: ["QueueArn"] }))).Attributes
    ?.QueueArn ?? "";
let source: ReturnType<typeof startSqsEventSource> | undefined;

/**
 * Resolves once `attempts` attempt records have been written and `count` delivery-queue messages
 * deleted since the counts were last taken (a delivery is done when it is logged and deleted).
 */
async function awaitDone(count: number, attempts: number, timeoutMs: number): Promise<number> {
  const deletes = `event source: SQS DeleteMessageBatch ${RESOURCE_NAMES.deliveryQueue}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deleted = sqsProxy.peek()[deletes]?.entries ?? 0;
    const logged = dynamoProxy.peek()["delivery: DynamoDB PutItem attempt"]?.requests ?? 0;
    if ((deleted >= count && logged >= attempts) || Date.now() > deadline) return Math.min(deleted, logged);
    await new Promise((r) => setTimeout(r, 5));
  }
}

serveParent(
  {
    startDelivery: ({ concurrency }) => {
      // The pollers' own calls (ReceiveMessage, DeleteMessageBatch) are the event source's.
      source ??= caller.run("event source", () =>
        startSqsEventSource(sqsClient, deliveryHandler as never, {
          queueUrl: queues.deliveryQueueUrl,
          queueArn,
          functionName: "delivery",
          batchSize: 10,
          concurrency: Number(concurrency),
          waitTimeSeconds: 1,
          onError: onError("delivery poller"),
        }),
      );
      return true;
    },
    stopDelivery: async () => {
      await source?.stop();
      source = undefined;
      return true;
    },
    purge: async () => {
      await sqsClient.send(new PurgeQueueCommand({ QueueUrl: queues.deliveryQueueUrl }));
      return true;
    },
    queueDepth: async () => {
      const out = await sqsClient.send(
        new GetQueueAttributesCommand({
          QueueUrl: queues.deliveryQueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    },
    awaitDone: ({ count, attempts, timeoutMs }) => awaitDone(Number(count), Number(attempts ?? count), Number(timeoutMs ?? 60_000)),
    /** Counts and invocations since the last take; then starts afresh. */
    take: () => {
      const taken = { dynamodb: dynamoProxy.take(), sqs: sqsProxy.take(), invocations, errors: errors.splice(0) };
      invocations = { api: [], delivery: [], deliveryBatchSizes: [] };
      return taken;
    },
  },
  async () => {
    await source?.stop();
    await gateway.stop();
    await Promise.all([sqs.stop(), dynamo.stop(), dynamoProxy.stop(), sqsProxy.stop()]);
  },
);

process.send?.({
  apiUrl: gateway.url,
  dynamoUrl: dynamoProxy.url,
  sqsUrl: sqsProxy.url,
  ...queues,
} satisfies StackReady);
