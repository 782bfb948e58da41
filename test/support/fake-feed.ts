import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FeedItem } from "../../cli/listen/api.ts";
import type { ErrorCode } from "../../clients/typescript/src/index.ts";
import { messageIdFor } from "../../functions/core/kernel/ids.ts";
import { generateSecret, Signer } from "../../functions/core/kernel/signing.ts";

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
 * GET /v1/endpoints/{id}/feed with cursor, limit and long-polling wait) on 127.0.0.1. With
 * `feedElsewhere`, long polls are served by a second server, as the feed function's own URL serves
 * them behind `frontDoor: "function-url"`: the first answers them `400 use_feed_url` naming it.
 * With `maxPollsPerEndpoint`, a held poll past it answers `429 too_many_polls` with Retry-After 1.
 */
export async function startFakeFeed(options: { keys?: string[]; feedElsewhere?: boolean; maxPollsPerEndpoint?: number } = {}) {
  const keys = new Set(options.keys ?? ["hrk_test"]);
  const endpoints = new Map<string, FakeEndpoint>();
  const calls: FeedCall[] = [];
  /** Feed reads the feed's own server answered (with `feedElsewhere`). */
  const feedCalls: FeedCall[] = [];
  const waiters = new Set<() => void>();
  const holding = new Map<string, number>();
  let feedUrl: string | null = null;
  const cursorOf = (endpointId: string, position: number) =>
    Buffer.from(JSON.stringify({ e: endpointId, p: position })).toString("base64url");

  const serve = (role: "api" | "feed") => async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      (role === "feed" ? feedCalls : calls).push({ method: req.method ?? "", path: url.pathname, status });
      if (body === undefined) res.writeHead(status, headers).end();
      else res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    // Only the API's codes (ErrorCode): a fake that answers another would test the CLI against an API that does not exist.
    const error = (status: number, code: ErrorCode, details?: unknown, headers?: Record<string, string>) =>
      answer(status, { error: { code, message: code.replaceAll("_", " "), ...(details !== undefined && { details }) } }, headers);
    if (url.pathname === "/v1/health") return answer(200, { status: "ok", feedUrl: role === "api" ? feedUrl : null });
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
    if (endpoint === undefined || endpoint.tenantKey !== key) return error(404, "not_found");
    if (sub === undefined && req.method === "GET") return answer(200, { id: endpoint.id, kind: endpoint.kind });
    if (sub === undefined && req.method === "DELETE") {
      endpoints.delete(endpoint.id);
      return answer(204);
    }
    if (sub === "secret" && req.method === "GET") return answer(200, { secret: endpoint.secret });
    if (sub === "feed" && req.method !== "GET") return error(405, "method_not_allowed", undefined, { allow: "GET, HEAD" });
    if (sub !== "feed") return error(404, "not_found");
    if (endpoint.kind !== "polling") return error(409, "not_a_polling_endpoint");
    const wait = Number(url.searchParams.get("wait") ?? "0");
    if (!Number.isInteger(wait) || wait < 0 || wait > 20)
      return error(400, "invalid_request", [{ path: "wait", message: "must be a whole number of seconds from 0 to 20" }]);
    if (role === "api" && feedUrl !== null && wait > 0)
      return error(400, "use_feed_url", [{ path: "wait", message: "above 0 is served at the feed URL", feedUrl }]);
    const limit = Number(url.searchParams.get("limit") ?? "50");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return error(400, "invalid_request", [{ path: "limit", message: "must be a whole number from 1 to 100" }]);
    const cursor = url.searchParams.get("cursor");
    let position = 0;
    if (cursor !== null) {
      try {
        const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { e: string; p: number };
        if (decoded.e !== endpoint.id || !Number.isInteger(decoded.p)) throw new Error("foreign cursor");
        position = decoded.p;
      } catch {
        return error(400, "invalid_request", [{ path: "cursor", message: "is not one this feed gave out" }]);
      }
    }
    const deadline = Date.now() + wait * 1000;
    const holds = wait > 0 && endpoint.items.length <= position;
    if (holds && options.maxPollsPerEndpoint !== undefined && (holding.get(endpoint.id) ?? 0) >= options.maxPollsPerEndpoint) {
      return error(
        429,
        "too_many_polls",
        [{ path: "wait", message: "is refused for now", scope: "endpoint", limit: options.maxPollsPerEndpoint, retryAfterSeconds: 1 }],
        { "retry-after": "1" },
      );
    }
    if (holds) holding.set(endpoint.id, (holding.get(endpoint.id) ?? 0) + 1);
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
    if (holds) holding.set(endpoint.id, (holding.get(endpoint.id) ?? 1) - 1);
    const entries = endpoint.items.slice(position, position + limit);
    const items = entries.map((entry) => signed(entry, endpoint.secret));
    return answer(200, { items, cursor: cursorOf(endpoint.id, position + items.length) });
  };
  const server = http.createServer(serve("api"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const feedServer = options.feedElsewhere ? http.createServer(serve("feed")) : undefined;
  if (feedServer) {
    await new Promise<void>((resolve) => feedServer.listen(0, "127.0.0.1", () => resolve()));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/`;
  }

  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    endpoints,
    calls,
    feedCalls,
    /** The feed's own URL (with `feedElsewhere`), ending in `/`. */
    feedUrl,
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
    close: async () => {
      wake();
      for (const s of [server, feedServer]) {
        if (s === undefined) continue;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}

/** The entry with Standard Webhooks headers signed now (so a late reader still gets a fresh timestamp). */
function signed(entry: FeedEntry, secret: string): FeedItem {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = new Signer(secret).sign(entry.messageId, timestamp, entry.body);
  return { ...entry, headers: { "webhook-id": entry.messageId, "webhook-timestamp": String(timestamp), "webhook-signature": signature } };
}

export type FakeFeed = Awaited<ReturnType<typeof startFakeFeed>>;
