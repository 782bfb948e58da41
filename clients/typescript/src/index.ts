import createFetchClient, { type Client } from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import { HookrelayError } from "./errors.ts";
import { Paginated } from "./paginated.ts";
import { followPush } from "./push.ts";
import type { components, operations, paths } from "./schema.ts";

export { type ErrorCode, type ErrorDetail, HookrelayError } from "./errors.ts";
export { type Page, Paginated } from "./paginated.ts";

export type { components, operations, paths };
export { PushClosedError } from "./push.ts";

type Schemas = components["schemas"];
export type Endpoint = Schemas["Endpoint"];
export type CreatedEndpoint = Schemas["CreatedEndpoint"];
export type CreateEndpoint = Schemas["CreateEndpoint"];
export type CreatePollingEndpoint = Schemas["CreatePollingEndpoint"];
/** The create bodies of the AWS destinations (docs/destinations.md). */
export type CreateAwsEndpoint =
  | Schemas["CreateSqsEndpoint"]
  | Schemas["CreateSnsEndpoint"]
  | Schemas["CreateEventBridgeEndpoint"]
  | Schemas["CreateKinesisEndpoint"]
  | Schemas["CreateS3Endpoint"];
export type DestinationAccessInfo = Schemas["DestinationAccessInfo"];
export type FeedItem = Schemas["FeedItem"];
export type FeedPage = Schemas["FeedPage"];
export type UpdateEndpoint = Schemas["UpdateEndpoint"];
export type Secret = Schemas["Secret"];
export type Recovery = Schemas["Recovery"];
export type ReplayResult = Schemas["ReplayResult"];
export type Attempt = Schemas["Attempt"];
export type EmitEvent = Schemas["EmitEvent"];
export type AcceptedEvent = Schemas["AcceptedEvent"];
export type EventView = Schemas["EventView"];
export type ScheduledMessage = Schemas["ScheduledMessage"];
export type EndpointStats = Schemas["EndpointStats"];
export type OrderedLine = Schemas["OrderedLine"];
export type BatchResult = Schemas["BatchResult"];
export type ApiKey = Schemas["ApiKey"];
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type EventTypeDefinition = Schemas["EventTypeDefinition"];
export type CreateEventType = Schemas["CreateEventType"];
export type UpdateEventType = Schemas["UpdateEventType"];
export type ErrorBody = Schemas["Error"];

export interface ClientOptions {
  /** Where the API is, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The admin key or a tenant key (`hrk_…`). */
  apiKey: string;
  /** How often `emit` repeats a call that failed on our side (503 or no answer), with the same idempotency key. Default 2. */
  emitRetries?: number;
  /** Longest wait between those repeats, in ms (the API's Retry-After is honoured up to this). Default 10000. */
  maxRetryDelayMs?: number;
  /**
   * Where `readFeed` and `feed` send their long polls, when not to `baseUrl`: the stack's `FeedUrl`
   * output, or `feedUrl` of GET /v1/health. Unset, the client finds it on the API's first
   * `400 use_feed_url` (a deployment with `frontDoor: "function-url"`) and keeps it.
   */
  feedUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The answer's body on 2xx; a HookrelayError otherwise. */
async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new HookrelayError(response.status, error, response.headers.get("retry-after"));
  return data as T;
}

/** A client of the hookrelay API: auth, the error shape, idempotent emits and paged lists. */
export class HookrelayClient {
  /** The underlying typed client (openapi-fetch), for calls this class does not wrap. */
  readonly raw: Client<paths>;
  private readonly emitRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly options: ClientOptions;
  /** The typed client long polls go through: `raw`, or one on the feed's own URL. */
  private feedClient: Client<paths>;

  constructor(options: ClientOptions) {
    this.options = options;
    this.raw = this.clientAt(options.baseUrl);
    this.feedClient = options.feedUrl === undefined ? this.raw : this.clientAt(options.feedUrl);
    this.emitRetries = options.emitRetries ?? 2;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
  }

  private clientAt(baseUrl: string): Client<paths> {
    return createFetchClient<paths>({
      baseUrl: baseUrl.replace(/\/+$/, ""),
      headers: { authorization: `Bearer ${this.options.apiKey}` },
      ...(this.options.fetch && { fetch: this.options.fetch }),
    });
  }

  /** One read of the feed at the feed's URL; a `400 use_feed_url` moves the client to the URL it names, once. */
  private async feedRead(id: string, query: FeedQuery, signal?: AbortSignal): Promise<FeedPage> {
    const read = () => unwrap(this.feedClient.GET("/v1/endpoints/{id}/feed", { params: { path: { id }, query }, signal }));
    try {
      return await read();
    } catch (error) {
      const moved = error instanceof HookrelayError && error.code === "use_feed_url" ? feedUrlOf(error) : undefined;
      if (moved === undefined) throw error;
      this.feedClient = this.clientAt(moved);
      return read();
    }
  }

  /** GET /v1/health. */
  health() {
    return unwrap(this.raw.GET("/v1/health"));
  }

  /**
   * POST /v1/endpoints: the answer carries the signing secret. `kind: "polling"` makes an endpoint read
   * with `feed`; `sqs`, `sns`, `eventbridge`, `kinesis` and `s3` deliver into an AWS resource.
   */
  createEndpoint(body: CreateEndpoint | CreatePollingEndpoint | CreateAwsEndpoint): Promise<CreatedEndpoint> {
    return unwrap(this.raw.POST("/v1/endpoints", { body }));
  }

  /** GET /v1/destination-access: the tenant's ExternalId and session tag for AWS destinations. */
  destinationAccess(tenantId?: string): Promise<DestinationAccessInfo> {
    return unwrap(this.raw.GET("/v1/destination-access", { params: { query: { tenantId } } }));
  }

  /** GET /v1/endpoints, page by page. */
  listEndpoints(query: { tenantId?: string; limit?: number } = {}): Paginated<Endpoint> {
    return new Paginated((cursor) => unwrap(this.raw.GET("/v1/endpoints", { params: { query: { ...query, cursor } } })));
  }

  getEndpoint(id: string): Promise<Endpoint> {
    return unwrap(this.raw.GET("/v1/endpoints/{id}", { params: { path: { id } } }));
  }

  /** GET /v1/endpoints/{id}/stats: success rate and latency per hour over the last 24 hours. */
  getEndpointStats(id: string): Promise<EndpointStats> {
    return unwrap(this.raw.GET("/v1/endpoints/{id}/stats", { params: { path: { id } } }));
  }

  /** GET /v1/endpoints/{id}/line: where an ordered endpoint's line stands (docs/ordering.md). */
  getOrderedLine(id: string): Promise<OrderedLine> {
    return unwrap(this.raw.GET("/v1/endpoints/{id}/line", { params: { path: { id } } }));
  }

  /** GET /v1/events: a tenant's events, newest first, page by page. */
  listEvents(query: { tenantId?: string; type?: string; before?: string; limit?: number } = {}): Paginated<AcceptedEvent> {
    return new Paginated((cursor) => unwrap(this.raw.GET("/v1/events", { params: { query: { ...query, cursor } } })));
  }

  updateEndpoint(id: string, body: UpdateEndpoint): Promise<Endpoint> {
    return unwrap(this.raw.PATCH("/v1/endpoints/{id}", { params: { path: { id } }, body }));
  }

  async deleteEndpoint(id: string): Promise<void> {
    await unwrap(this.raw.DELETE("/v1/endpoints/{id}", { params: { path: { id } } }));
  }

  getEndpointSecret(id: string): Promise<Secret> {
    return unwrap(this.raw.GET("/v1/endpoints/{id}/secret", { params: { path: { id } } }));
  }

  rotateEndpointSecret(id: string, body: Schemas["RotateSecret"] = {}): Promise<Secret> {
    return unwrap(this.raw.POST("/v1/endpoints/{id}/secret/rotate", { params: { path: { id } }, body }));
  }

  recoverEndpoint(id: string, body: Schemas["RecoverEndpoint"]): Promise<Recovery> {
    return unwrap(this.raw.POST("/v1/endpoints/{id}/recover", { params: { path: { id } }, body }));
  }

  getRecovery(id: string, recoveryId: string): Promise<Recovery> {
    return unwrap(this.raw.GET("/v1/endpoints/{id}/recoveries/{recoveryId}", { params: { path: { id, recoveryId } } }));
  }

  /**
   * GET /v1/endpoints/{id}/feed: one read of a polling endpoint's feed (`wait` seconds held when
   * empty), at the feed's URL. Past the long-poll limits it throws `429 too_many_polls` with
   * `retryAfterSeconds`.
   */
  readFeed(id: string, query: FeedQuery = {}): Promise<FeedPage> {
    return this.feedRead(id, query);
  }

  /**
   * A polling endpoint's feed, followed: every item in the order the feed accepted it, long polling
   * (`wait`, default 20 s) while it is empty, until `signal` aborts. `onCursor` gets the cursor after
   * each answer's items were yielded: keep it and pass it back as `cursor` to resume there. A
   * `429 too_many_polls` (another poll of this endpoint still open, e.g. the one a restart left) is
   * waited out for its Retry-After, then the same cursor is read again.
   */
  async *feed(
    id: string,
    options: { cursor?: string; limit?: number; wait?: number; signal?: AbortSignal; onCursor?: (cursor: string) => void } = {},
  ): AsyncGenerator<FeedItem> {
    let cursor = options.cursor;
    while (!options.signal?.aborted) {
      let page: FeedPage;
      try {
        page = await this.feedRead(id, { cursor, limit: options.limit, wait: options.wait ?? 20 }, options.signal);
      } catch (error) {
        if (!(error instanceof HookrelayError && error.code === "too_many_polls")) throw error;
        await pause((error.retryAfterSeconds ?? 1) * 1000, options.signal);
        continue;
      }
      yield* page.items;
      cursor = page.cursor;
      options.onCursor?.(cursor);
    }
  }

  /**
   * A polling endpoint's feed, pushed over the WebSocket (docs/websocket.md): every item in feed
   * order as it is appended, each acked once the next is asked for, reconnecting from the last
   * cursor on 4000, 1001 and 1006; a refusal (4401, 4404, 4409, …) throws PushClosedError. The URL
   * is `websocketUrl` of GET /v1/health unless given. Needs a global WebSocket (browsers, Node 22+).
   */
  async *push(
    id: string,
    options: { cursor?: string; websocketUrl?: string; signal?: AbortSignal; onCursor?: (cursor: string) => void } = {},
  ): AsyncGenerator<FeedItem> {
    const url = options.websocketUrl ?? (await this.health()).websocketUrl;
    if (!url) throw new Error("This API has no WebSocket push (GET /v1/health tells websocketUrl null)");
    yield* followPush({
      url,
      apiKey: this.options.apiKey,
      endpointId: id,
      ...(options.cursor !== undefined && { cursor: options.cursor }),
      ...(options.signal && { signal: options.signal }),
      ...(options.onCursor && { onCursor: options.onCursor }),
      readOne: async (cursor) => (await this.feedRead(id, { ...(cursor !== undefined && { cursor }), limit: 1, wait: 0 })).items[0],
      pause,
    });
  }

  /** GET /v1/endpoints/{id}/attempts, newest first, page by page. */
  listEndpointAttempts(id: string, query: { status?: Schemas["AttemptStatus"]; limit?: number } = {}): Paginated<Attempt> {
    return new Paginated((cursor) =>
      unwrap(this.raw.GET("/v1/endpoints/{id}/attempts", { params: { path: { id }, query: { ...query, cursor } } })),
    );
  }

  /**
   * POST /v1/events. Every call carries an idempotency key (yours, or a random one), so a call that
   * failed on our side is repeated safely: the API answers a repeat with the first result.
   */
  async emit(event: EmitEvent, options: { idempotencyKey?: string } = {}): Promise<AcceptedEvent & { replayed: boolean }> {
    const key = options.idempotencyKey ?? globalThis.crypto.randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        const { data, error, response } = await this.raw.POST("/v1/events", {
          body: event,
          params: { header: { "idempotency-key": key } },
        });
        if (response.ok && data) return { ...data, replayed: response.headers.get("idempotent-replayed") === "true" };
        throw new HookrelayError(response.status, error, response.headers.get("retry-after"));
      } catch (failure) {
        const ours = !(failure instanceof HookrelayError) || failure.status === 503;
        if (!ours || attempt >= this.emitRetries) throw failure;
        const asked =
          failure instanceof HookrelayError && failure.retryAfterSeconds !== undefined
            ? failure.retryAfterSeconds * 1000
            : 2 ** attempt * 250;
        await new Promise((resolve) => setTimeout(resolve, Math.min(asked, this.maxRetryDelayMs)));
      }
    }
  }

  /** POST /v1/events/batch: one result per event, in order (give each an `id` to make it idempotent). */
  emitBatch(events: EmitEvent[]): Promise<BatchResult> {
    return unwrap(this.raw.POST("/v1/events/batch", { body: { events } }));
  }

  /** GET /v1/events/{id}: an event is named by its tenant and id; the admin key names the tenant (default `default`). */
  getEvent(id: string, query: { tenantId?: string } = {}): Promise<EventView> {
    return unwrap(this.raw.GET("/v1/events/{id}", { params: { path: { id }, query } }));
  }

  /** GET /v1/events/{id}/attempts, newest first, page by page. */
  listEventAttempts(id: string, query: { tenantId?: string; limit?: number } = {}): Paginated<Attempt> {
    return new Paginated((cursor) =>
      unwrap(this.raw.GET("/v1/events/{id}/attempts", { params: { path: { id }, query: { ...query, cursor } } })),
    );
  }

  /** GET /v1/scheduled: the tenant's messages held for their `deliverAt`, soonest first, page by page. */
  listScheduled(query: { tenantId?: string; limit?: number } = {}): Paginated<ScheduledMessage> {
    return new Paginated((cursor) => unwrap(this.raw.GET("/v1/scheduled", { params: { query: { ...query, cursor } } })));
  }

  /** GET /v1/scheduled/{id}: where the held message of an event stands. */
  getScheduled(id: string, query: { tenantId?: string } = {}): Promise<ScheduledMessage> {
    return unwrap(this.raw.GET("/v1/scheduled/{id}", { params: { path: { id }, query } }));
  }

  /** DELETE /v1/scheduled/{id}: cancels a held message (409 `schedule_started` once it is in the queue). */
  cancelScheduled(id: string, query: { tenantId?: string } = {}): Promise<ScheduledMessage> {
    return unwrap(this.raw.DELETE("/v1/scheduled/{id}", { params: { path: { id }, query } }));
  }

  replayEvent(id: string, body: Schemas["ReplayEvent"] = {}): Promise<ReplayResult> {
    return unwrap(this.raw.POST("/v1/events/{id}/replay", { params: { path: { id } }, body }));
  }

  /** POST /v1/api-keys (admin key only): the key is in the answer, once. */
  createApiKey(body: Schemas["CreateApiKey"]): Promise<CreatedApiKey> {
    return unwrap(this.raw.POST("/v1/api-keys", { body }));
  }

  listApiKeys(query: { limit?: number } = {}): Paginated<ApiKey> {
    return new Paginated((cursor) => unwrap(this.raw.GET("/v1/api-keys", { params: { query: { ...query, cursor } } })));
  }

  async deleteApiKey(id: string): Promise<void> {
    await unwrap(this.raw.DELETE("/v1/api-keys/{id}", { params: { path: { id } } }));
  }

  /** POST /v1/event-types (admin key only): catalogues a type, with an optional payload schema. */
  createEventType(body: CreateEventType): Promise<EventTypeDefinition> {
    return unwrap(this.raw.POST("/v1/event-types", { body }));
  }

  /** GET /v1/event-types: the global catalog, by name, page by page. */
  listEventTypes(query: { limit?: number } = {}): Paginated<EventTypeDefinition> {
    return new Paginated((cursor) => unwrap(this.raw.GET("/v1/event-types", { params: { query: { ...query, cursor } } })));
  }

  getEventType(name: string): Promise<EventTypeDefinition> {
    return unwrap(this.raw.GET("/v1/event-types/{name}", { params: { path: { name } } }));
  }

  /** PATCH /v1/event-types/{name} (admin key only): `schema: null` removes the schema. */
  updateEventType(name: string, body: UpdateEventType): Promise<EventTypeDefinition> {
    return unwrap(this.raw.PATCH("/v1/event-types/{name}", { params: { path: { name } }, body }));
  }

  async deleteEventType(name: string): Promise<void> {
    await unwrap(this.raw.DELETE("/v1/event-types/{name}", { params: { path: { name } } }));
  }

  /** GET /v1/event-types/openapi.json: this API's document with the catalog as `webhooks`, to generate payload types from. */
  eventTypesDocument() {
    return unwrap(this.raw.GET("/v1/event-types/openapi.json"));
  }

  /** GET /v1/schema-check (admin key only): the migration check, every stored type whose schema registration now refuses. */
  schemaCheck() {
    return unwrap(this.raw.GET("/v1/schema-check"));
  }

  /** POST /v1/endpoints/{id}/send-example: one signed example of a catalogued type, delivered to this endpoint. */
  sendExample(id: string, eventType: string) {
    return unwrap(this.raw.POST("/v1/endpoints/{id}/send-example", { params: { path: { id } }, body: { eventType } }));
  }
}

type FeedQuery = { cursor?: string; limit?: number; wait?: number };

/** The feed URL a `400 use_feed_url` names, if any. */
function feedUrlOf(error: HookrelayError): string | undefined {
  const url = error.details?.find((d) => d.path === "wait")?.feedUrl;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * For receivers: checks a webhook's Standard Webhooks signature and timestamp with the endpoint's
 * `whsec_` secret, and returns its parsed payload; throws when it does not verify. `body` must be the
 * raw request body, exactly as received.
 */
export function verify(body: string, headers: Headers | Record<string, string | string[] | undefined>, secret: string): unknown {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const flat = Object.fromEntries(
    entries.filter(([, value]) => value !== undefined).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  return new Webhook(secret).verify(body, flat);
}
