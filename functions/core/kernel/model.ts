/** Domain records shared by the core, the adapters and the handlers. */

import type { EndpointDestination } from "../destinations/targets.ts";

export interface Endpoint {
  id: string;
  tenantId: string;
  /** How deliveries reach it: POSTed to `url`, or appended to its feed; absent means "webhook". */
  kind?: EndpointKind;
  /** The destination of a webhook endpoint; empty for a polling endpoint. */
  url: string;
  /** Absent means every event type. */
  eventTypes?: string[];
  description?: string;
  enabled: boolean;
  headers: Record<string, string>;
  secret: string;
  createdAt: string;
  updatedAt: string;
  /** Secrets replaced by a rotation that still sign deliveries until their expiry. */
  previousSecrets?: PreviousSecret[];
  /** Delays in seconds after each failed attempt, overriding the global RETRY_SCHEDULE. */
  retrySchedule?: number[];
  /** Most deliveries per second to this endpoint; above it deliveries wait. */
  rateLimitPerSecond?: number;
  /** Why the endpoint was disabled: "gone" (410), "failing" (failed for too long) or "manual" (PATCH). */
  disabledReason?: DisabledReason;
  disabledAt?: string;
  /** Start of the current run of failed attempts; unset after a success. */
  failingSince?: string;
  /** The circuit breaker; absent means closed. */
  circuit?: CircuitState;
  /** The delivery lane (see Lane); absent means "fast" (an endpoint older than lanes). */
  lane?: Lane;
  /** When the endpoint entered its lane. */
  laneSince?: string;
  /** Consecutive fast 2xx answers in the slow or probation lane; enough of them (see laneDemotions) move it to the fast lane. */
  laneFastSuccesses?: number;
  /**
   * Recent moves out of the fast lane, as recorded at the last one (absent: none). Each doubles the
   * fast answers the way back takes; time in the fast lane forgives them (delivery/lane-exit.ts).
   */
  laneDemotions?: number;
  /** Counts the writes to the endpoint, for optimistic concurrency (absent on an endpoint never changed). */
  revision?: number;
  /** An AWS destination's target and access (kinds sqs, sns, eventbridge, kinesis, s3); `url` then names the target. */
  destination?: EndpointDestination;
}

/**
 * A webhook endpoint is POSTed to; a polling endpoint's deliveries are appended to a feed its consumer
 * reads; the AWS kinds put them into a queue, topic, bus, stream or bucket (functions/core/destinations/).
 */
export type EndpointKind = "webhook" | "polling" | "sqs" | "sns" | "eventbridge" | "kinesis" | "s3";

/** What the API shows of an endpoint: everything but the secret. */
export type EndpointView = Omit<Endpoint, "secret" | "previousSecrets" | "revision">;

/** A rotated-out secret and when it stops signing. */
export interface PreviousSecret {
  secret: string;
  expiresAt: string;
}

export type DisabledReason = "gone" | "failing" | "manual";

/**
 * Which queue and worker pool delivers to an endpoint. "fast": POSTs get FAST_LANE_BUDGET_MS and
 * share batches with other fast endpoints. "slow": the endpoint timed out or answered slowly; its
 * deliveries go to the slow lane's own queue and event source, with the full DELIVERY_TIMEOUT_MS.
 * "probation": a new endpoint, delivered like a slow one until it has proved fast.
 */
export const LANES = ["fast", "slow", "probation"] as const;
export type Lane = (typeof LANES)[number];

/** An open or half-open circuit: deliveries wait until `openUntil`, then one probe goes through. */
export interface CircuitState {
  state: "open" | "half-open";
  openedAt: string;
  openUntil: string;
  /** The cool-down that set `openUntil`; doubles each time a probe fails. */
  cooldownSeconds: number;
  /** While half-open: until when the probe's worker holds it; another may probe after that. */
  probeUntil?: string;
}

export interface EventRecord {
  /** The caller's name for the event (or one made for it): the idempotency key within its tenant. */
  id: string;
  tenantId: string;
  /**
   * The `webhook-id` its deliveries carry (`messageIdFor`), set at intake. Absent on an event
   * accepted before message ids existed, whose deliveries keep carrying its `id`.
   */
  messageId?: string;
  type: string;
  /** The exact JSON text that is signed and sent. */
  body: string;
  createdAt: string;
  /** sha256 of tenant, type and body: tells a repeat from a conflicting reuse of the key. */
  requestHash: string;
  endpointIds: string[];
  /** Endpoints whose messages SQS has not accepted yet: set only when intake failed midway. */
  unsent?: string[];
  expiresAt: number;
}

export type AttemptStatus = "succeeded" | "failed" | "exhausted" | "skipped";

/** Why an attempt failed without an HTTP status, or why a delivery ended without one. */
export const ATTEMPT_ERROR_KINDS = [
  "timeout",
  "connection",
  "destination_blocked",
  "request_invalid",
  "endpoint_disabled",
  "endpoint_deleted",
  "dead_lettered",
  "endpoint_gone",
  // The queue refused the delivery's message for good (too large for it, characters it does not take).
  "unsendable",
  // AWS destinations (functions/core/destinations/ports.ts): throttled and 5xx are passing trouble;
  // the others are the destination's configuration.
  "destination_throttled",
  "destination_error",
  "destination_denied",
  "destination_missing",
  "destination_kms",
  "destination_too_large",
  "destination_rejected",
] as const;
export type AttemptErrorKind = (typeof ATTEMPT_ERROR_KINDS)[number];

export interface AttemptRecord {
  eventId: string;
  endpointId: string;
  tenantId: string;
  attempt: number;
  trigger: "scheduled" | "dead-letter" | "manual";
  /** A manual attempt chain's id (replay, recovery); absent on the scheduled chain. */
  chain?: string;
  status: AttemptStatus;
  url: string;
  at: string;
  durationMs: number;
  statusCode?: number;
  error?: AttemptErrorKind;
  errorMessage?: string;
  /** The first 4 KB of the receiver's answer. */
  responseBody?: string;
  nextAttemptAt?: string;
  expiresAt: number;
}

/** One SQS message per (event, endpoint): identifiers and the body to send, never a secret. */
export interface DeliveryMessage {
  v: 1;
  eventId: string;
  /** The event's message id, sent as `webhook-id`; absent for an event from before message ids (its id is sent). */
  messageId?: string;
  endpointId: string;
  tenantId: string;
  type: string;
  createdAt: string;
  body: string;
  /** A manual attempt chain (replay, recovery): numbered apart from the scheduled chain. */
  chain?: string;
  /** Set by replay and recovery when the delivery had failed: its success emits delivery.recovered. */
  recovers?: boolean;
  /** A copy re-sent to wait (circuit open, rate limit, long retry): not to be attempted before this time. */
  notBefore?: string;
  /** This copy continues a chain with history: its first receive reads the log. */
  resumed?: boolean;
}

/** A recovery: resends an endpoint's failed, exhausted and skipped deliveries of a time window. */
export interface RecoveryRecord {
  id: string;
  endpointId: string;
  tenantId: string;
  since: string;
  until: string;
  /** `failed`: its steps could not be queued, or one kept failing until the queue dead-lettered it. */
  status: "running" | "completed" | "failed";
  /** Steps applied so far; a step is a page of the window. */
  steps: number;
  /** Where the next step starts; absent once the last page is done. */
  cursor?: string;
  /** Why it failed. */
  error?: string;
  /** Deliveries resent so far. */
  resent: number;
  /** Attempt records looked at so far. */
  scanned: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  expiresAt: number;
}

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "exhausted" | "skipped";

/** A tenant-scoped API key; only the SHA-256 of the key is kept. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  keyHash: string;
  createdAt: string;
}
