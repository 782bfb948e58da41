import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FeedItem } from "../../cli/listen/api.ts";
import { messageIdFor } from "../../functions/core/ids.ts";
import { generateSecret, Signer } from "../../functions/core/signing.ts";

interface FakeEndpoint {
  id: string;
  tenantKey: string;
  kind: "polling" | "webhook";
  eventTypes?: string[];
  secret: string;
  items: FeedEntry[];
}

/** What the feed keeps; the headers are signed when it is read, as the real feed does. */
type FeedEntry = Omit<FeedItem, "headers">;

/** A request the fake answered, for assertions on what the listener called. */
export interface FeedCall {
  method: string;
  path: string;
  status: number;
}

/**
 * An in-memory server of the feed wire contract (POST/GET/DELETE /v1/endpoints, the secret, and
 * GET /v1/endpoints/{id}/feed with cursor, limit and long-polling wait) on 127.0.0.1.
 */
export async function startFakeFeed(options: { keys?: string[] } = {}) {
  const keys = new Set(options.keys ?? ["hrk_test"]);
  const endpoints = new Map<string, FakeEndpoint>();
  const calls: FeedCall[] = [];
  const waiters = new Set<() => void>();
  const cursorOf = (endpointId: string, position: number) =>
    Buffer.from(JSON.stringify({ e: endpointId, p: position })).toString("base64url");

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const answer = (status: number, body?: unknown) => {
      calls.push({ method: req.method ?? "", path: url.pathname, status });
      if (body === undefined) res.writeHead(status).end();
      else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const error = (status: number, code: string) => answer(status, { error: { code, message: code.replaceAll("_", " ") } });
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (key === undefined || !keys.has(key)) return error(401, "unauthorized");
    const [, v1, collection, id, sub] = url.pathname.split("/");
    if (v1 !== "v1" || collection !== "endpoints") return error(404, "not_found");
    if (id === undefined && req.method === "POST") {
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { kind?: string; eventTypes?: string[]; secret?: string };
      const endpoint: FakeEndpoint = {
        id: `ep_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
        tenantKey: key,
        kind: input.kind === "polling" ? "polling" : "webhook",
        secret: input.secret ?? generateSecret(),
        items: [],
        ...(input.eventTypes && { eventTypes: input.eventTypes }),
      };
      endpoints.set(endpoint.id, endpoint);
      return answer(201, { id: endpoint.id, kind: endpoint.kind, eventTypes: endpoint.eventTypes ?? null, secret: endpoint.secret });
    }
    const endpoint = id === undefined ? undefined : endpoints.get(id);
    if (endpoint === undefined || endpoint.tenantKey !== key) return error(404, "endpoint_not_found");
    if (sub === undefined && req.method === "GET") return answer(200, { id: endpoint.id, kind: endpoint.kind });
    if (sub === undefined && req.method === "DELETE") {
      endpoints.delete(endpoint.id);
      return answer(204);
    }
    if (sub === "secret" && req.method === "GET") return answer(200, { secret: endpoint.secret });
    if (sub !== "feed" || req.method !== "GET") return error(405, "method_not_allowed");
    if (endpoint.kind !== "polling") return error(409, "not_a_polling_endpoint");
    const wait = Number(url.searchParams.get("wait") ?? "0");
    if (!Number.isInteger(wait) || wait < 0 || wait > 20) return error(400, "invalid_wait");
    const limit = Number(url.searchParams.get("limit") ?? "50");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, "invalid_limit");
    const cursor = url.searchParams.get("cursor");
    let position = 0;
    if (cursor !== null) {
      try {
        const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { e: string; p: number };
        if (decoded.e !== endpoint.id || !Number.isInteger(decoded.p)) throw new Error("foreign cursor");
        position = decoded.p;
      } catch {
        return error(400, "invalid_cursor");
      }
    }
    const deadline = Date.now() + wait * 1000;
    while (endpoint.items.length <= position && Date.now() < deadline && !res.destroyed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now());
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
    const entries = endpoint.items.slice(position, position + limit);
    const items = entries.map((entry) => signed(entry, endpoint.secret));
    return answer(200, { items, cursor: cursorOf(endpoint.id, position + items.length) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));

  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    endpoints,
    calls,
    /** Adds a webhook endpoint (not a polling one), as the API would have it. */
    addWebhookEndpoint(tenantKey: string): string {
      const id = `ep_webhook${endpoints.size}`;
      endpoints.set(id, { id, tenantKey, kind: "webhook", secret: generateSecret(), items: [] });
      return id;
    },
    /** Appends an event to the endpoint's feed and wakes the long polls. */
    append(endpointId: string, event: { type: string; payload: unknown; eventId?: string }): FeedEntry {
      const endpoint = endpoints.get(endpointId);
      if (endpoint === undefined) throw new Error(`no endpoint ${endpointId}`);
      const eventId = event.eventId ?? `evt_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
      const entry: FeedEntry = {
        id: `fi_${randomUUID()}`,
        eventId,
        // As the API derives it: from the tenant (here the key stands for it) and the event id.
        messageId: messageIdFor(endpoint.tenantKey, eventId),
        eventType: event.type,
        timestamp: new Date().toISOString(),
        payload: event.payload,
        // As a webhook POST carries it: the payload as emitted.
        body: JSON.stringify(event.payload),
      };
      endpoint.items.push(entry);
      wake();
      return entry;
    },
    close: () =>
      new Promise<void>((resolve) => {
        wake();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The entry with Standard Webhooks headers signed now (so a late reader still gets a fresh timestamp). */
function signed(entry: FeedEntry, secret: string): FeedItem {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = new Signer(secret).sign(entry.messageId, timestamp, entry.body);
  return { ...entry, headers: { "webhook-id": entry.messageId, "webhook-timestamp": String(timestamp), "webhook-signature": signature } };
}

export type FakeFeed = Awaited<ReturnType<typeof startFakeFeed>>;
