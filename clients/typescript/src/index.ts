import createFetchClient, { type Client } from "openapi-fetch";
import type { ClientOptions } from "./client-options.ts";
import { emitWithRetries } from "./emit-retries.ts";
import { HookrelayError } from "./errors.ts";
import { type FeedQuery, feedUrlOf, followFeed, pause } from "./feed-reading.ts";
import { Paginated } from "./paginated.ts";
import { followPush } from "./push.ts";
import type { components, operations, paths } from "./schema.ts";
import type {
  AcceptedEvent,
  ApiKey,
  Attempt,
  BatchResult,
  CreateAwsEndpoint,
  CreatedApiKey,
  CreatedEndpoint,
  CreateEndpoint,
  CreateEventType,
  CreatePollingEndpoint,
  DestinationAccessInfo,
  EmitEvent,
  Endpoint,
  EndpointStats,
  EventTypeDefinition,
  EventView,
  FeedItem,
  FeedPage,
  OrderedLine,
  Recovery,
  ReplayResult,
  ScheduledMessage,
  Secret,
  UpdateEndpoint,
  UpdateEventType,
} from "./types.ts";
import { unwrap } from "./unwrap.ts";

type Schemas = components["schemas"];

export { type ErrorCode, type ErrorDetail, HookrelayError } from "./errors.ts";
export { type Page, Paginated } from "./paginated.ts";

export type { components, operations, paths };
export type { ClientOptions } from "./client-options.ts";
export { PushClosedError } from "./push.ts";
export type * from "./types.ts";
export { verify } from "./verify.ts";

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
    yield* followFeed((query, signal) => this.feedRead(id, query, signal), options);
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
    return emitWithRetries(this.raw, event, key, { emitRetries: this.emitRetries, maxRetryDelayMs: this.maxRetryDelayMs });
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
