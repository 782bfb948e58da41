import type { Principal } from "../access/principal.ts";
import type { FeedReader } from "../feed/deps.ts";
import type { Clock } from "../kernel/clock.ts";
import type { ApiKeyStore, EndpointStore } from "../kernel/ports.ts";
import type { TenantStatusReader } from "../lifecycle/retention.ts";
import type { CursorKeys } from "./cursor-keys.ts";

/*
 * The push channel's ports and settings, in a leaf file that the session, subscribe and pump
 * modules import. A connection is two records: what it is (written at connect and at subscribe,
 * listed by endpoint and tenant) and where it is in the feed (written on every push, never listed).
 */

/** What a subscription was authorised by; kept to check again later (never the key itself). */
export type PushCredential =
  | { kind: "admin" }
  | { kind: "tenant"; keyId: string }
  | { kind: "portal"; expiresAtMs: number; keyId?: string; endpointIds?: readonly string[] };

/** A connection; `subscription` once its subscribe was accepted. */
export interface PushConnection {
  id: string;
  connectedAtMs: number;
  subscription?: { tenantId: string; endpointId: string; credential: PushCredential };
}

/** Where a subscribed connection is: the next feed number to push, what it pushed and what was acked. */
export interface PushPosition {
  next: number;
  floorMs: number;
  /** Numbers pushed since the last ack that covered them, ascending. */
  pushed: number[];
  /** Every number below this one was acked (moved only upward). */
  ackedNext: number;
  /** When the last ack (or the subscribe) was taken. */
  ackedAtMs: number;
  /** When a push last went into an empty window: a window unacked for too long (from the later of this and the last ack) is closed. */
  windowSinceMs: number;
  /** When the credentials and the endpoint were last checked. */
  checkedAtMs: number;
  /** A pump holds the connection until then: pushes of one connection never interleave. */
  leaseUntilMs: number;
  /** Bumped by every claim and settle: each is written only over the version it read. */
  version: number;
  /** Bumped by a pump that found the lease held: the holder pushes one more round when it changed under its lease. */
  pokes: number;
}

/** Connections, shared by every container. */
export interface PushConnectionStore {
  /** Records a new connection, kept until `expiresAt` (unix seconds) at most. */
  open(connection: PushConnection, expiresAt: number): Promise<void>;
  /** The connection and, once subscribed, its position; read consistently. */
  get(id: string): Promise<{ connection: PushConnection; position?: PushPosition } | undefined>;
  /** Records the subscription and its first position. */
  subscribe(connection: PushConnection, position: PushPosition, expiresAt: number): Promise<void>;
  /**
   * Writes the position only if its version is still `expectedVersion`; false when another write
   * came first. `ackedNext`, `ackedAtMs` and `pokes` are written by `ack` and `poke` alone and are left as they are.
   */
  move(id: string, position: PushPosition, expectedVersion: number): Promise<boolean>;
  /** Bumps `pokes`: tells the pump holding the lease that something may have come since its read. */
  poke(id: string): Promise<void>;
  /** Moves `ackedNext` up to `next` (never down) and stamps `ackedAtMs`. */
  ack(id: string, next: number, atMs: number): Promise<void>;
  remove(id: string): Promise<void>;
  /** The subscribed connections of an endpoint, of a tenant, or all (for the sweep). */
  ofEndpoint(endpointId: string): Promise<PushConnection[]>;
  ofTenant(tenantId: string): Promise<PushConnection[]>;
  all(): Promise<PushConnection[]>;
}

/** The transport: API Gateway's @connections API, or the local stack's WebSocket server. */
export interface PushChannel {
  /** Sends one text frame; false when the connection is gone (410). */
  send(connectionId: string, frame: string): Promise<boolean>;
  /** Sends a `close` frame with the code and reason, then closes the connection (with that code where the transport can). */
  close(connectionId: string, code: number, reason: string): Promise<void>;
}

/**
 * The subscribe deadline's timer: $connect asks for the connection to be looked at again once its
 * deadline has passed (an SQS message with DelaySeconds, in AWS and locally), and the consumer calls
 * `expireUnsubscribed`. A one-minute schedule could only bound the deadline to about 70 s.
 */
export interface SubscribeDeadlines {
  /** Arranges `expireUnsubscribed(connectionId)` no sooner than `delayMs` from now. */
  schedule(connectionId: string, delayMs: number): Promise<void>;
}

/** Who may subscribe: the API's own checks (api-keys.ts). */
export interface PushAuthenticator {
  authenticate(presented: string): Promise<Principal | undefined>;
  authenticatePortal(token: string, now: Date): Promise<Principal | undefined>;
}

/** The push channel's settings. */
export interface PushSettings {
  /** PUSH_WINDOW: items pushed and not acked, at most, per connection. */
  window: number;
  /** MAX_SOCKETS_PER_ENDPOINT and MAX_SOCKETS_PER_TENANT: subscribed connections at once. */
  perEndpoint: number;
  perTenant: number;
  logRetentionDays: number;
  holeGraceMs: number;
}

/** Everything the session needs. */
export interface PushDeps {
  connections: PushConnectionStore;
  channel: PushChannel;
  deadlines: SubscribeDeadlines;
  feed: FeedReader;
  /** The feed heads' cursor keys this container has read (acks decode with them). */
  cursorKeys: CursorKeys;
  endpoints: EndpointStore;
  apiKeys: ApiKeyStore;
  /** Tenants' tombstones: a deleted tenant's endpoints are not followed (read through the per-container cache). */
  tenantStatus: TenantStatusReader;
  authenticator: () => Promise<PushAuthenticator>;
  clock: Clock;
  settings: PushSettings;
}

/** A connection not subscribed this long after it opened is closed (by its deadline message: SubscribeDeadlines). */
export const SUBSCRIBE_DEADLINE_MS = 10_000;
/**
 * The sweep closes an unsubscribed connection this long after its deadline: only one whose deadline
 * message was lost (the queue refused the send, or the consumer kept failing). Locally the sweep runs
 * every 250 ms; were it to close at the deadline itself, the deadline's queue would go untested.
 */
export const DEADLINE_BACKSTOP_MS = 20_000;
/** API Gateway closes a connection after 2 hours; the server closes it (4000) a minute before, saying so in `subscribed`. */
export const MAX_CONNECTION_MS = 2 * 3600_000 - 60_000;
/** API Gateway closes a connection idle for 10 minutes (1001); clients ping within it. */
export const IDLE_TIMEOUT_SECONDS = 600;
/** Credentials and the endpoint are checked again this often while a connection lives. */
export const RECHECK_MS = 30_000;
/** A pump's hold on a connection: one read and one window of sends fit in it; a crashed pump frees it this long after (its items are sent again). */
export const PUMP_LEASE_MS = 10_000;
/** A window that stays full this long without an ack is closed with 4000: the client resumes from its cursor (a push lost in a crash is read again). */
export const ACK_TIMEOUT_MS = 120_000;
/** Connection records outlive the 2-hour limit by a margin, then TTL removes what a lost $disconnect left. */
export const CONNECTION_TTL_SECONDS = 3 * 3600;
