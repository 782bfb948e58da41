import type {
  ApiKeyRecord,
  AttemptRecord,
  AttemptStatus,
  CircuitState,
  DeliveryMessage,
  DisabledReason,
  Endpoint,
  EventRecord,
  RecoveryRecord,
} from "./model.ts";
import type { SendResult } from "./outcome.ts";

/** A page of results and the opaque cursor of the next one. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Endpoints by id and by tenant. */
export interface EndpointStore {
  put(endpoint: Endpoint): Promise<void>;
  /**
   * Writes a changed endpoint only if nobody wrote it since it was read at `endpoint.revision`
   * (a worker's health transition, another PATCH); bumps the revision. False when somebody did.
   */
  replace(endpoint: Endpoint): Promise<boolean>;
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
  /** A tenant's events, newest first, optionally of one type and created before a time. */
  listByTenant(tenantId: string, filter: EventListFilter, limit: number, cursor?: string): Promise<Page<EventRecord>>;
  /** Events with unsent messages, created before `createdBefore`, oldest first. */
  listUnsent(createdBefore: string, limit: number): Promise<EventRecord[]>;
}

/** What a tenant's event list is narrowed to. */
export interface EventListFilter {
  type?: string;
  /** An ISO time: only events created before it. */
  before?: string;
}

/** The delivery log: one record per attempt, kept until its TTL. */
export interface AttemptLog {
  record(attempt: AttemptRecord): Promise<void>;
  /** The latest attempt of one event to one endpoint: of the scheduled chain, or of manual chain `chain`. */
  last(eventId: string, endpointId: string, chain?: string): Promise<AttemptRecord | undefined>;
  /** Every attempt of one delivery (an event to one endpoint), all chains, in no particular order; read consistently. */
  ofDelivery(eventId: string, endpointId: string): Promise<AttemptRecord[]>;
  /** Every attempt of an event (all endpoints), in no particular order. */
  allOfEvent(eventId: string): Promise<AttemptRecord[]>;
  /** Attempts to one endpoint, newest first. */
  byEndpoint(endpointId: string, limit: number, cursor?: string, status?: AttemptStatus): Promise<Page<AttemptRecord>>;
  /** Attempts to one endpoint made at `since` or later and before `until`, newest first. */
  byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string): Promise<Page<AttemptRecord>>;
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

/**
 * Conditional writes of an endpoint's health: each is a transition (failing, healthy, circuit
 * opened, probe taken, circuit closed, disabled) and answers false when another worker made it first.
 */
export interface EndpointHealthStore {
  /** Records the start of a run of failures, unless one is recorded already. */
  markFailing(id: string, since: string): Promise<boolean>;
  /** Clears the run of failures. */
  markHealthy(id: string): Promise<boolean>;
  /** Opens the circuit if it is still as seen (`seenOpenUntil` undefined: closed). */
  openCircuit(id: string, circuit: CircuitState, seenOpenUntil: string | undefined): Promise<boolean>;
  /** Takes the half-open probe: the circuit opened until `seenOpenUntil` and nobody holds a live probe at `now`. */
  takeProbe(id: string, seenOpenUntil: string, now: string, probeUntil: string): Promise<boolean>;
  /** Closes the circuit opened until `seenOpenUntil`. */
  closeCircuit(id: string, seenOpenUntil: string): Promise<boolean>;
  /** Disables an enabled endpoint, recording why and when. */
  /** Disables an enabled endpoint still at `url` (not one PATCHed to a new URL meanwhile), recording why and when. */
  disable(id: string, reason: DisabledReason, at: string, url: string): Promise<boolean>;
}

/** Counts deliveries per endpoint per second across every worker. */
export interface RateCounter {
  /** Counts one delivery in the endpoint's window of second `second`; returns the window's count with it. */
  take(endpointId: string, second: number): Promise<number>;
}

/** Sends a raw message body to the delivery queue, hidden for a while. */
export interface Requeue {
  /** Sends `body`, visible after `delaySeconds` (0 to 900). */
  later(body: string, delaySeconds: number): Promise<void>;
}

/** Recoveries, kept beside their endpoint. */
export interface RecoveryStore {
  put(recovery: RecoveryRecord): Promise<void>;
  get(endpointId: string, id: string): Promise<RecoveryRecord | undefined>;
  /** Writes the recovery after a step, only if no other copy of that step was applied (`steps` still `seenSteps`). */
  advance(recovery: RecoveryRecord, seenSteps: number): Promise<boolean>;
  /** Marks a running recovery failed. */
  fail(endpointId: string, id: string, at: string, error: string): Promise<void>;
}
