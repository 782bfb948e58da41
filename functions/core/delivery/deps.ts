import type { Config } from "../config/config.ts";
import type { DestinationDelivery } from "../destinations/ports.ts";
import type { SignatureHeaderStyle } from "../endpoints/signature-headers.ts";
import type { RecoveryStepDeps } from "../events/recovery.ts";
import type { FeedAppender } from "../feed/deps.ts";
import type { OperationalEvents } from "../intake/operational.ts";
import type { Clock } from "../kernel/clock.ts";
import type { AttemptRecord, CircuitState, DisabledReason, Endpoint, Lane } from "../kernel/model.ts";
import type { AttemptLog, DeliveryQueue, Requeue } from "../kernel/ports.ts";
import type { TenantStatusReader } from "../lifecycle/retention.ts";
import type { CircuitSettings } from "../policy/circuit-breaker.ts";
import type { SendResult } from "../policy/outcome.ts";
import type { RetrySchedule } from "../policy/retry-schedule.ts";
import { type LaneExitRule, laneExitRule } from "./lane-exit.ts";

/*
 * The delivery worker's services (ports), settings and callbacks: a leaf that the pipeline and each
 * of its stages import, so that every import points one way. Each stage takes only what it uses.
 */

/** One received queue message, as the SQS event source hands it over. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
}

/** What the worker asks of the queue besides the event source's own delete. */
export interface RetryControl {
  /** Keeps the message hidden for `seconds` from now; the queue redelivers it then. */
  retryAfter(receiptHandle: string, seconds: number): Promise<void>;
  /** Moves the message to the dead-letter queue with the reason it ended there. */
  deadLetter(body: string, reason: string): Promise<void>;
}

/** The outbound HTTP client: one POST, no redirects, bounded in time and bytes read. */
export interface HttpSender {
  /**
   * `timeoutMs` shortens the sender's own limit for this POST (the fast lane's budget); it never
   * lengthens it. `watch.onSlow` is called once if the POST is still unanswered after `watch.afterMs`.
   */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs?: number, watch?: SlowWatch): Promise<SendResult>;
}

/** Told while a POST is in flight that it has taken longer than `afterMs` (the slow lane ends a run of fast answers then). */
export interface SlowWatch {
  afterMs: number;
  onSlow: () => void;
}

/** The worker reads an endpoint by id, once per batch. */
export interface EndpointLookup {
  get(id: string): Promise<Endpoint | undefined>;
}

/** What the worker reads and writes of the delivery log. */
export type DeliveryLog = Pick<AttemptLog, "record" | "ofDelivery" | "byEndpoint" | "recentOfEndpoint" | "flushLists" | "listAgain">;

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
  /** Disables an enabled endpoint still at `url` (not one PATCHed to a new URL meanwhile), recording why and when. */
  disable(id: string, reason: DisabledReason, at: string, url: string): Promise<boolean>;
  /**
   * Moves the endpoint from lane `from` (an absent lane is "fast") to `to` as of `since`, starting a
   * new run of fast successes; `demotions`, when given, is recorded as its recent moves out of the fast lane.
   */
  moveLane(id: string, from: Lane, to: Lane, since: string, demotions?: number): Promise<boolean>;
  /** Counts one fast success in the slow or probation lane entered at `seenSince`; answers the new count (0: it left that lane meanwhile). */
  countFastSuccess(id: string, seenSince: string): Promise<number>;
  /** Ends the run of fast successes of the slow or probation lane entered at `seenSince`; false when the endpoint has left it. */
  resetFastSuccesses(id: string, seenSince: string): Promise<boolean>;
}

/** Counts deliveries per endpoint per second across every worker. */
export interface RateCounter {
  /** Counts one delivery in the endpoint's window of second `second`; returns its place: `limit` takes of a window at most get one within `limit`. */
  take(endpointId: string, second: number, limit: number): Promise<number>;
}

/** The queues a worker reads: probation endpoints share the slow lane's. */
export type WorkerLane = "fast" | "slow";

/** The delivery rules that come from the configuration. */
export interface DeliveryPolicy {
  /** The least wait after 429, 502, 503 or 504 (lower it for short test schedules). */
  slowDownDelaySeconds: number;
  /** An endpoint failing continuously this long is disabled when one of its deliveries is exhausted. */
  disableAfterHours: number;
  circuit: CircuitSettings;
  lanes: LaneSettings;
  /** The signature header names of endpoints (and tenants) that choose none: SIGNATURE_HEADERS. */
  signatureHeaders: SignatureHeaderStyle;
}

/** When an endpoint changes lanes (see model.ts Lane); the way back grows with repeated moves out (lane-exit.ts). */
export interface LaneSettings extends LaneExitRule {
  /** A fast-lane POST is cut off after this and handed to the slow lane (never above the delivery timeout). */
  fastBudgetMs: number;
  /** An answer slower than this is slow. */
  slowAfterMs: number;
}

/** The configuration's settings the delivery rules come from. */
export type PolicySettings = Pick<
  Config,
  | "slowDownDelaySeconds"
  | "endpointDisableAfterHours"
  | "circuitFailureThreshold"
  | "circuitCooldownSeconds"
  | "circuitMaxCooldownSeconds"
  | "deliveryTimeoutMs"
  | "fastLaneBudgetMs"
  | "slowLaneAfterMs"
  | "laneExitSuccesses"
  | "laneExitMaxSuccesses"
  | "laneExitDecaySeconds"
  | "signatureHeaders"
>;

/** The delivery rules of a configuration; a probe holds the half-open circuit for one delivery's timeout plus time to log it. */
export function deliveryPolicy(settings: PolicySettings): DeliveryPolicy {
  return {
    slowDownDelaySeconds: settings.slowDownDelaySeconds,
    disableAfterHours: settings.endpointDisableAfterHours,
    circuit: {
      failureThreshold: settings.circuitFailureThreshold,
      cooldownSeconds: settings.circuitCooldownSeconds,
      maxCooldownSeconds: settings.circuitMaxCooldownSeconds,
      probeLeaseSeconds: Math.ceil(settings.deliveryTimeoutMs / 1000) + 30,
    },
    lanes: {
      fastBudgetMs: Math.min(settings.fastLaneBudgetMs, settings.deliveryTimeoutMs),
      slowAfterMs: settings.slowLaneAfterMs,
      ...laneExitRule(settings),
    },
    signatureHeaders: settings.signatureHeaders,
  };
}

/**
 * The worker's services: the ports it reads and writes through. Every one is required: wiring that
 * left one out would silently turn off its feature (the circuit breaker, the rate limit,
 * auto-disable, waiting copies, recoveries).
 */
export interface DeliveryServices {
  endpoints: EndpointLookup;
  attempts: DeliveryLog;
  http: HttpSender;
  /** Where a polling endpoint's deliveries go instead of a POST. */
  feed: FeedAppender;
  /** Where an AWS destination's deliveries go instead of a POST (functions/core/destinations/). */
  destinations: DestinationDelivery;
  queue: RetryControl;
  clock: Clock;
  /** Re-sends copies of messages that must wait (circuit open, rate limit, retries past the receive budget). */
  requeue: Requeue;
  /** Sends a message to the slow lane's queue (forwarded or handed over by the fast lane). */
  slowLane: Requeue;
  health: EndpointHealthStore;
  rates: RateCounter;
  operational: OperationalEvents;
  /**
   * Where a due scheduled delivery of an ordered endpoint goes from this queue: the routing queue,
   * which puts it on its line (functions/core/ordering/to-line.ts). Absent without an ordered queue
   * (ORDERED_QUEUE_URL unset), when ordered endpoints' deliveries are unordered.
   */
  line?: Pick<DeliveryQueue, "send">;
  /** Runs recovery tasks found on the queue. */
  recovery: RecoveryStepDeps;
  /** Each tenant's retention and tombstone (cached per container): a deleted tenant's messages are dropped. */
  tenantStatus: TenantStatusReader;
}

/** The worker's settings: values read from the configuration once, and the lane of the queue it reads. */
export interface DeliverySettings {
  /** The global schedule; an endpoint's own `retrySchedule` overrides it. */
  retrySchedule: RetrySchedule;
  /** LOG_RETENTION_DAYS; each message is handled with its tenant's own retention in its place. */
  logRetentionDays: number;
  policy: DeliveryPolicy;
  /** The lane whose queue this batch came from: the fast lane forwards slow endpoints' messages and cuts its POSTs short. */
  lane: WorkerLane;
  /** Messages of a batch in flight at once. @default 64 */
  concurrency?: number;
}

/** What the worker tells its wiring (logs and metrics); none changes what it does. */
export interface DeliveryCallbacks {
  onAttempt?: (attempt: AttemptRecord) => void;
  onError?: (message: ReceivedMessage, error: unknown) => void;
  /** Something best-effort failed (an operational event could not be emitted). */
  onWarning?: (what: string, error: unknown) => void;
  /** A message or an endpoint changed lanes (metrics and logs). */
  onLaneMove?: (event: LaneEvent) => void;
}

/**
 * Everything the worker is given, by kind; each stage takes only the fields it uses
 * (Pick<DeliveryDeps, ...>), so its signature says which services, settings and callbacks it touches.
 */
export type DeliveryDeps = DeliveryServices & DeliverySettings & DeliveryCallbacks;

/**
 * A lane event: a message left the fast lane ("forwarded": its endpoint is in the slow or probation
 * lane, nothing was sent; "handed_over": its POST ran past the fast lane's budget), or an endpoint
 * changed lanes ("entered_slow", "left_slow").
 */
export interface LaneEvent {
  kind: "forwarded" | "handed_over" | "entered_slow" | "left_slow";
  endpointId: string;
  eventId?: string;
}
