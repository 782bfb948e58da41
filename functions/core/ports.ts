import type { ApiKeyRecord, AttemptRecord, AttemptStatus, DeliveryMessage, Endpoint, EventRecord } from "./model.ts";
import type { SendResult } from "./outcome.ts";

/** A page of results and the opaque cursor of the next one. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Endpoints by id and by tenant. */
export interface EndpointStore {
  put(endpoint: Endpoint): Promise<void>;
  get(id: string): Promise<Endpoint | undefined>;
  /** Removes the endpoint; false when there was none. */
  delete(id: string): Promise<boolean>;
  listByTenant(tenantId: string, limit: number, cursor?: string): Promise<Page<Endpoint>>;
  /** Every endpoint of a tenant, for matching at intake. */
  allOfTenant(tenantId: string): Promise<Endpoint[]>;
}

/** Recorded events. */
export interface EventStore {
  get(id: string): Promise<EventRecord | undefined>;
  getMany(ids: string[]): Promise<Map<string, EventRecord>>;
  /** Writes the events; an id that already exists is left as it was. */
  putNew(events: EventRecord[]): Promise<void>;
  /** Records that every message of the event is in the queue now. */
  markSent(id: string): Promise<void>;
  /** Events with unsent messages, created before `createdBefore`, oldest first. */
  listUnsent(createdBefore: string, limit: number): Promise<EventRecord[]>;
}

/** The delivery log: one record per attempt, kept until its TTL. */
export interface AttemptLog {
  record(attempt: AttemptRecord): Promise<void>;
  /** The latest attempt of one event to one endpoint. */
  last(eventId: string, endpointId: string): Promise<AttemptRecord | undefined>;
  /** Every attempt of an event (all endpoints), in no particular order. */
  allOfEvent(eventId: string): Promise<AttemptRecord[]>;
  /** Attempts to one endpoint, newest first. */
  byEndpoint(endpointId: string, limit: number, cursor?: string, status?: AttemptStatus): Promise<Page<AttemptRecord>>;
}

/** The delivery queue: sends, delays and dead-letters delivery messages. */
export interface DeliveryQueue {
  /** Enqueues every message; returns the indexes of the ones that could not be sent. */
  send(messages: DeliveryMessage[]): Promise<number[]>;
}

/** The outbound HTTP client: one POST, no redirects, bounded in time and bytes read. */
export interface HttpSender {
  post(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
}

/** Tenant-scoped API keys. */
export interface ApiKeyStore {
  put(key: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Removes the key; false when there was none. */
  delete(id: string): Promise<boolean>;
  list(limit: number, cursor?: string): Promise<Page<ApiKeyRecord>>;
}
