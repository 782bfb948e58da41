/** Domain records shared by the core, the adapters and the handlers. */

import type { EndpointDestination } from "../destinations/targets.ts";
import type { SignatureHeaderStyle } from "../endpoints/signature-headers.ts";

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
  /** The signature header names its deliveries carry; absent means its tenant's default (endpoints/signature-headers.ts). */
  signatureHeaders?: SignatureHeaderStyle;
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
  /** The caller's own name for the endpoint, unique in its tenant (Svix's endpoint `uid`, set through /api/v1). */
  uid?: string;
  /** String pairs for the caller's own use (Svix's endpoint `metadata`, set through /api/v1). */
  metadata?: Record<string, string>;
  /** Counts the writes to the endpoint, for optimistic concurrency (absent on an endpoint never changed). */
  revision?: number;
  /** "fifo": deliveries in emission order through the ordered queue (functions/core/ordering/); absent means "none". Fixed at creation. */
  ordering?: "fifo";
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

/** Whether an endpoint's deliveries keep their emission order (docs/ordering.md). */
export type Ordering = "none" | "fifo";

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
  /** When its deliveries may start (scheduled delivery, docs/scheduling.md); absent: at once. */
  deliverAt?: string;
  /** When its payload was expunged (DELETE /v1/events/{id}/payload): `body` is then "null". */
  expungedAt?: string;
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

/** What an endpoint's attempt list keeps of an attempt (no url, response or messages): what the breaker, stats and recovery read. */
export type AttemptSummary = Pick<
  AttemptRecord,
  | "eventId"
  | "endpointId"
  | "tenantId"
  | "attempt"
  | "trigger"
  | "chain"
  | "status"
  | "at"
  | "durationMs"
  | "statusCode"
  | "error"
  | "expiresAt"
>;

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
  /**
   * Set on a recovery of an ordered endpoint: its steps first read the whole window, keeping what to
   * resend under its emission key, then resend it in that order (phase "send"), so the line takes
   * the whole recovery in emission order rather than page by page.
   */
  ordered?: boolean;
  /** An ordered recovery's phase: absent while it reads the window, "send" while it resends. */
  phase?: "send";
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  expiresAt: number;
}

/** A delivery an ordered recovery will resend, under the key that sorts it in emission order. */
export interface StashedDelivery {
  key: string;
  eventId: string;
}

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "exhausted" | "skipped";

/**
 * What hookrelay knows of a tenant beyond its id: a name and metadata its operator gave it, and when
 * it was first seen. Written when the admin creates the tenant, or on its first endpoint, API key or
 * portal session; a tenant's other items never depend on it being there.
 */
export interface TenantRecord {
  id: string;
  name?: string;
  /** String pairs for the operator's own use (at most 50, keys up to 64 and values up to 512 characters). */
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** What the operator set for this tenant; each unset field takes the global setting. */
  /** Overrides of deployment settings for this tenant (docs/lifecycle.md, docs/delivery.md). */
  settings?: { retentionDays?: number; signatureHeaders?: "webhook" | "svix" | "both" };
  /** Bumped by every change; a write names the revision it read (optimistic concurrency). */
  revision: number;
}

/**
 * A tenant's deletion: its tombstone and the job's progress, one item in the tenant's partition.
 * Written first; while it exists nothing of the tenant is written, read or sent. It holds no data of
 * the tenant but its id, and outlives the job by TOMBSTONE_KEEP_DAYS so late writers still meet it.
 */
export interface TenantDeletion {
  tenantId: string;
  state: "removing" | "done";
  requestedAt: string;
  updatedAt: string;
  /** Removal does not begin before this time: every cache of the tenant's status has seen the tombstone. */
  notBefore: string;
  /** The kind of item being removed now, and where its listing stopped (resumable after a crash). */
  step: string;
  cursor?: string;
  /** Items removed so far, by kind. */
  removed: Record<string, number>;
  finishedAt?: string;
  expiresAt?: number;
}

/** A tenant-scoped API key; only the SHA-256 of the key is kept. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  keyHash: string;
  createdAt: string;
}
