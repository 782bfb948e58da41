import type {
  ApiKeyRecord,
  AttemptRecord,
  AttemptStatus,
  AttemptSummary,
  DeliveryMessage,
  Endpoint,
  EventRecord,
  RecoveryRecord,
  StashedDelivery,
  TenantDeletion,
  TenantRecord,
} from "./model.ts";

/** A page of results and the opaque cursor of the next one. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Endpoints by id and by tenant, as the API manages them. */
export interface EndpointStore {
  put(endpoint: Endpoint): Promise<void>;
  /**
   * Writes a new endpoint unless its tenant holds `maxPerTenant` already; false when it does.
   * Exact under concurrent creates: two cannot both take the last place.
   */
  create(endpoint: Endpoint, maxPerTenant: number): Promise<boolean>;
  /**
   * Writes a changed endpoint only if nobody wrote it since it was read at `endpoint.revision`
   * (a worker's health transition, another PATCH); bumps the revision. False when somebody did.
   */
  replace(endpoint: Endpoint): Promise<boolean>;
  get(id: string): Promise<Endpoint | undefined>;
  /** Removes the endpoint; false when there was none. */
  delete(id: string): Promise<boolean>;
  listByTenant(tenantId: string, limit: number, cursor?: string): Promise<Page<Endpoint>>;
}

/**
 * Recorded events, each named by its tenant and id: the same id in two tenants is two events, and
 * no read in one tenant sees, or is changed by, another tenant's event.
 */
export interface EventStore {
  get(tenantId: string, id: string): Promise<EventRecord | undefined>;
  /** The tenant's events among `ids`, by id. */
  getMany(tenantId: string, ids: string[]): Promise<Map<string, EventRecord>>;
  /** Writes the events; an event whose tenant already has its id is left as it was. */
  putNew(events: EventRecord[]): Promise<void>;
  /** Records that every message of the event is in the queue now. */
  markSent(tenantId: string, id: string): Promise<void>;
  /**
   * A tenant's events, newest first, optionally of one type, created before a time, with a delivery to
   * one of some endpoints. A filtered page may be short (the read per page is bounded), never out of order.
   */
  listByTenant(tenantId: string, filter: EventListFilter, limit: number, cursor?: string): Promise<Page<EventRecord>>;
  /** Names one more endpoint among the event's deliveries (a replay to an endpoint it was not matched to); a no-op when it is named. */
  addEndpoint(tenantId: string, id: string, endpointId: string): Promise<void>;
  /** Events with unsent messages, created before `createdBefore`, oldest first. */
  listUnsent(createdBefore: string, limit: number): Promise<EventRecord[]>;
  /** Replaces the event's body by "null" and marks it expunged at `at`; false when the tenant has no such event. */
  expunge(tenantId: string, id: string, at: string): Promise<boolean>;
}

/** What a tenant's event list is narrowed to. */
export interface EventListFilter {
  type?: string;
  /** An ISO time: only events created before it. */
  before?: string;
  /** Only events with a delivery to one of these endpoints (a portal session's; at most 50). */
  endpointIds?: readonly string[];
}

/**
 * The delivery log: one record per attempt, kept until its TTL. An endpoint belongs to one tenant,
 * so (event id, endpoint id) names one tenant's delivery even where another tenant uses the same event id.
 */
export interface AttemptLog {
  record(attempt: AttemptRecord): Promise<void>;
  /** Every attempt of one delivery (an event to one endpoint), all chains, in no particular order; read consistently. */
  ofDelivery(eventId: string, endpointId: string): Promise<AttemptRecord[]>;
  /** Every attempt of the tenant's event (all endpoints), in no particular order; another tenant's event of that id adds none. */
  allOfEvent(tenantId: string, eventId: string): Promise<AttemptRecord[]>;
  /** Attempts to one endpoint, newest first. */
  byEndpoint(endpointId: string, limit: number, cursor?: string, status?: AttemptStatus): Promise<Page<AttemptRecord>>;
  /**
   * The endpoint's newest attempts as summaries, newest first: what the circuit breaker counts,
   * without reading the full records. Absent: `byEndpoint` serves.
   */
  recentOfEndpoint?(endpointId: string, limit: number): Promise<AttemptSummary[]>;
  /** Attempts to one endpoint made at `since` or later and before `until`, newest first, as summaries (stats and recovery need no more). */
  byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string): Promise<Page<AttemptSummary>>;
  /**
   * Lists the records made since the last call on their endpoints' lists, for a log that lists per
   * batch (the worker calls it once a batch); absent where each record is listed as it is written.
   */
  flushLists?(): Promise<void>;
  /**
   * Lists a recorded attempt again at the next flush: a redelivery that finds its delivery finished
   * may follow a crash between the record and the flush. An attempt listed twice is shown once.
   */
  listAgain?(attempt: AttemptRecord): void;
}

/**
 * A message the queue did not take, by its index in the batch. `permanent`: the queue refused the
 * message itself (its size, its characters), so sending it again cannot succeed. Otherwise the queue
 * failed for now (throttled, unreachable, a permission or key being fixed) and a later send may.
 * `reason` is the queue's own code and words, for the log.
 */
export interface Unsent {
  index: number;
  permanent: boolean;
  reason: string;
}

/** The delivery queue: sends delivery messages, and dead-letters what will never be delivered. */
export interface DeliveryQueue {
  /**
   * Enqueues every message, message i hidden for `delaySeconds[i]` (0 to 900, SQS's DelaySeconds;
   * absent: 0); returns the ones that were not sent, each classified.
   */
  send(messages: DeliveryMessage[], delaySeconds?: readonly number[]): Promise<Unsent[]>;
  /** Sends `body` to the dead-letter queue with the reason it ended there; throws a DependencyError when it cannot. */
  deadLetter(body: string, reason: string): Promise<void>;
}

/** Tenant records, by id and listed oldest first. */
export interface TenantStore {
  get(id: string): Promise<TenantRecord | undefined>;
  /** Writes a new record unless the tenant has one; false when it does. */
  create(tenant: TenantRecord): Promise<boolean>;
  /** Writes a changed record only if it is still at `tenant.revision` as read; bumps the revision. False when it is not. */
  replace(tenant: TenantRecord): Promise<boolean>;
  list(limit: number, cursor?: string): Promise<Page<TenantRecord>>;
  /** Removes the record; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** The tenant's record and deletion (tombstone), read together in one request. */
  status(id: string): Promise<{ record?: TenantRecord; deletion?: TenantDeletion }>;
}

/** Tenant-scoped API keys. */
export interface ApiKeyStore {
  put(key: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Removes the key; false when there was none. */
  delete(id: string): Promise<boolean>;
  list(limit: number, cursor?: string): Promise<Page<ApiKeyRecord>>;
}

/** Sends a raw message body to the delivery queue, hidden for a while. */
export interface Requeue {
  /**
   * Sends `body`, visible after `delaySeconds` (0 to 900). A delivery's copy names its tenant, whose
   * share of the queue it counts in (SQS fair queues), as the first send of the delivery did.
   */
  later(body: string, delaySeconds: number, tenantId?: string): Promise<void>;
}

/** Recoveries, kept beside their endpoint. */
export interface RecoveryStore {
  put(recovery: RecoveryRecord): Promise<void>;
  get(endpointId: string, id: string): Promise<RecoveryRecord | undefined>;
  /** Writes the recovery after a step, only if no other copy of that step was applied (`steps` still `seenSteps`). */
  advance(recovery: RecoveryRecord, seenSteps: number): Promise<boolean>;
  /** Marks a running recovery failed. */
  fail(endpointId: string, id: string, at: string, error: string): Promise<void>;
  /** Keeps deliveries an ordered recovery will resend, each under its key (a repeat writes the same item), until the recovery's TTL. */
  stash(recovery: Pick<RecoveryRecord, "endpointId" | "id" | "expiresAt">, entries: readonly StashedDelivery[]): Promise<void>;
  /** An ordered recovery's stashed deliveries in key order, a page at a time. */
  stashed(endpointId: string, id: string, limit: number, cursor?: string): Promise<Page<StashedDelivery>>;
}
