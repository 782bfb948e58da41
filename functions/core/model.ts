/** Domain records shared by the core, the adapters and the handlers. */

export interface Endpoint {
  id: string;
  tenantId: string;
  url: string;
  /** Absent means every event type. */
  eventTypes?: string[];
  description?: string;
  enabled: boolean;
  headers: Record<string, string>;
  secret: string;
  createdAt: string;
  updatedAt: string;
}

/** What the API shows of an endpoint: everything but the secret. */
export type EndpointView = Omit<Endpoint, "secret">;

export interface EventRecord {
  id: string;
  tenantId: string;
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

/** Why an attempt failed when there was no HTTP status to show. */
export type AttemptErrorKind =
  | "timeout"
  | "connection"
  | "destination_blocked"
  | "endpoint_disabled"
  | "endpoint_deleted"
  | "dead_lettered";

export interface AttemptRecord {
  eventId: string;
  endpointId: string;
  tenantId: string;
  attempt: number;
  trigger: "scheduled" | "dead-letter";
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
  endpointId: string;
  tenantId: string;
  type: string;
  createdAt: string;
  body: string;
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
