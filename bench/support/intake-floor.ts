import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { CreateQueueCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createSqsClient } from "../../functions/adapters/lambda/aws-clients.ts";
import { API_KEY_CACHE_SECONDS } from "../../functions/core/access/api-key-cache.ts";
import { deliveryMessage, serializeMessage } from "../../functions/core/kernel/queue-message.ts";
import { closeServer, listenOnLoopback } from "../../local/loopback.ts";
import { floorDelivery } from "../stages/emulator-floor.ts";

/**
 * The intake stage's floor: a bare node:http server that answers POST /v1/events with the same
 * emulator calls single-event intake makes for a tenant key (the key's GetItem once per
 * API_KEY_CACHE_SECONDS, the tenant's endpoint Query on gsi1, one SendMessageBatch per event, the
 * event's PutItem, in intake's order) and nothing around them: no router, no middleware, no
 * validation, no logging. It runs in the
 * stack's process beside the API, with the same SDK clients through the same counting proxies, and
 * sends to a queue of its own, which `deliver` drains as bare pollers in the same process, as the
 * pipeline's delivery worker shares the API's.
 */
export async function startIntakeFloor(tableName: string) {
  const doc = createDocumentClient();
  const sqs = createSqsClient();
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-intake-floor", Attributes: { VisibilityTimeout: "60" } })))
    .QueueUrl as string;
  let n = 0;
  // The key's record read once per API_KEY_CACHE_SECONDS, as the API's cache reads it (api-key-cache.ts).
  const keys = new Map<string, { item: Record<string, unknown> | undefined; until: number }>();
  const keyRecord = async (keyId: string) => {
    const hit = keys.get(keyId);
    if (hit && hit.until > Date.now()) return hit.item;
    const until = Date.now() + API_KEY_CACHE_SECONDS * 1000;
    const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `KEY#${keyId}`, sk: "APIKEY" }, ConsistentRead: true }));
    if (out.Item) keys.set(keyId, { item: out.Item, until });
    return out.Item;
  };
  const accept = async (authorization: string | undefined, text: string) => {
    const event = JSON.parse(text) as { type: string; payload: unknown };
    const presented = (authorization ?? "").slice("Bearer ".length);
    const keyId = /^hrk_(key_[0-9a-f]{28})\./.exec(presented)?.[1];
    if (!keyId) return 401;
    const key = await keyRecord(keyId);
    const hash = createHash("sha256").update(presented).digest();
    const stored = Buffer.from(String(key?.keyHash ?? ""), "base64");
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return 401;
    const tenantId = String(key?.tenantId);
    const endpoints = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": `TENANT#${tenantId}#EP` },
      }),
    );
    const now = new Date().toISOString();
    const id = `evt_intakefloor${process.pid}x${++n}`;
    const body = JSON.stringify(event.payload);
    const record = { id, tenantId, type: event.type, createdAt: now, body };
    const endpointIds = (endpoints.Items ?? []).map((item) => String(item.id));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: endpointIds.map((endpointId, i) => ({
          Id: String(i),
          MessageBody: serializeMessage(deliveryMessage(record, endpointId)),
        })),
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `EV#${id}`, sk: `EVENT#${tenantId}`, ...record, endpointIds, expiresAt: Math.floor(Date.now() / 1000) + 86_400 },
      }),
    );
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
