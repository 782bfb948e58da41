/** The API's answers, as far as the console reads them. */

export interface EndpointJson {
  id: string;
  kind: "webhook" | "polling";
  /** Absent on a polling endpoint, whose deliveries are read from its feed. */
  url?: string;
  eventTypes: string[] | null;
  tenantId: string;
  description: string | null;
  enabled: boolean;
  headers: Record<string, string>;
  secret?: string;
  createdAt: string;
  updatedAt: string;
  retrySchedule: number[] | null;
  rateLimitPerSecond: number | null;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  circuit: { state: "closed" | "open" | "half-open"; openUntil?: string };
  lane: "fast" | "slow" | "probation";
  laneSince: string | null;
  laneFastSuccesses: number;
  laneFastSuccessesNeeded: number;
  laneDemotions: number;
}

export interface EventSummary {
  id: string;
  /** The webhook-id its deliveries carry. */
  messageId: string;
  type: string;
  tenantId: string;
  createdAt: string;
  endpoints: number;
}

export interface DeliveryJson {
  endpointId: string;
  status: string;
  attempts: number;
  lastStatusCode?: number;
  lastError?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
}

export interface EventJson extends EventSummary {
  payload: unknown;
  deliveries: DeliveryJson[];
}

export interface AttemptJson {
  eventId: string;
  endpointId: string;
  attempt: number;
  trigger: string;
  chain?: string;
  status: string;
  url: string;
  at: string;
  durationMs: number;
  statusCode?: number;
  error?: string;
  errorMessage?: string;
  responseBody?: string;
  nextAttemptAt?: string;
}

export interface RecoveryJson {
  id: string;
  endpointId: string;
  since: string;
  until: string;
  status: "running" | "completed" | "failed";
  steps: number;
  resent: number;
  scanned: number;
  error?: string;
}

export interface StatsJson {
  from: string;
  until: string;
  completeSince: string;
  truncated: boolean;
  hours: { hour: string; sent: number; succeeded: number; p50Ms: number | null; p95Ms: number | null }[];
}

export interface ApiKeyJson {
  id: string;
  tenantId: string;
  name: string;
  createdAt: string;
  key?: string;
}
