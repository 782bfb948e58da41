import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { DynamoApiKeyStore } from "../../functions/adapters/dynamo/dynamo-api-key-store.ts";
import { DynamoEndpointStore } from "../../functions/adapters/dynamo/dynamo-endpoint-store.ts";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import { createDocumentClient, createSqsClient } from "../../functions/adapters/lambda/aws-clients.ts";
import { SqsDeliveryQueue } from "../../functions/adapters/sqs/sqs-delivery-queue.ts";
import { CachedApiKeyStore } from "../../functions/core/access/api-key-cache.ts";
import { parseConfig } from "../../functions/core/config/config.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { newId } from "../../functions/core/kernel/ids.ts";
import type { EventRecord } from "../../functions/core/kernel/model.ts";
import { deliveryMessage } from "../../functions/core/kernel/queue-message.ts";
import { closeServer, listenOnLoopback } from "../../local/loopback.ts";
import { floorDelivery } from "../stages/emulator-floor.ts";

/**
 * The intake stage's floor: a bare node:http server that answers POST /v1/events with the calls
 * single-event intake makes for a tenant key, through the same adapters, so each call is the same
 * request (the key's GetItem through the same cache, the tenant's endpoints' Query on gsi1, the
 * SendMessageBatch, the event's conditional PutItem with its index keys and deflated body), in
 * intake's order, and nothing around them: no gateway event, router, middleware, validation, ids,
 * hashes or logging. It runs in the stack's process beside the API and sends to a queue of its own,
 * which `deliver` drains as bare pollers in the same process, as the delivery worker shares the API's.
 */
export async function startIntakeFloor(tableName: string) {
  const doc = createDocumentClient();
  const sqs = createSqsClient();
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-intake-floor", Attributes: { VisibilityTimeout: "60" } })))
    .QueueUrl as string;
  const keys = new CachedApiKeyStore(new DynamoApiKeyStore(doc, tableName), systemClock);
  const endpoints = new DynamoEndpointStore(doc, tableName);
  const events = new DynamoEventStore(doc, tableName);
  const queue = new SqsDeliveryQueue(sqs, queueUrl, queueUrl, parseConfig(process.env).fairQueues);
  const accept = async (authorization: string | undefined, text: string) => {
    const event = JSON.parse(text) as { type: string; payload: unknown };
    const presented = (authorization ?? "").slice("Bearer ".length);
    const keyId = /^hrk_(key_[0-9a-f]{28})\./.exec(presented)?.[1];
    if (!keyId) return 401;
    const key = await keys.get(keyId);
    const hash = createHash("sha256").update(presented).digest();
    const stored = Buffer.from(key?.keyHash ?? "", "base64");
    if (!key || stored.length !== hash.length || !timingSafeEqual(stored, hash)) return 401;
    const subscriptions = await endpoints.subscriptionsOf(key.tenantId);
    const now = Date.now();
    // A time-ordered id, as intake makes: its key follows from it, with no lookup item to write.
    const id = newId("evt", now);
    const record: EventRecord = {
      id,
      tenantId: key.tenantId,
      messageId: `msg_${id}`,
      type: event.type,
      body: JSON.stringify(event.payload),
      createdAt: new Date(now).toISOString(),
      requestHash: "-",
      endpointIds: subscriptions.map((s) => s.id),
      expiresAt: Math.floor(now / 1000) + 86_400,
    };
    await queue.send(record.endpointIds.map((endpointId) => deliveryMessage(record, endpointId)));
    await events.putNew([record]);
    return 202;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      accept(req.headers.authorization, Buffer.concat(chunks).toString("utf8")).then(
        (status) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ status })),
        (error: unknown) => res.writeHead(500).end(JSON.stringify({ error: String(error) })),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  const url = await listenOnLoopback(server, 0);
  return {
    url,
    queueUrl,
    /** Delivers `total` messages of the floor's queue to `receiverUrl` with `pollers` bare pollers (emulator-floor.ts). */
    async deliver(receiverUrl: string, total: number, pollers: number, timeoutMs: number): Promise<void> {
      const drain = floorDelivery({ sqs, doc, queueUrl, tableName }, receiverUrl);
      try {
        await drain.consume(total, pollers, performance.now() + timeoutMs);
      } finally {
        drain.close();
      }
    },
    stop: async () => {
      server.closeAllConnections();
      await closeServer(server);
      doc.destroy();
      sqs.destroy();
    },
  };
}
