/**
 * The WebhookDispatcher's props about sending deliveries: the retry schedule, the timeout, the
 * event sources' batches and concurrency, the two lanes, the circuit breaker and the signature
 * headers. Part of WebhookDispatcherProps (lib/dispatcher-props.ts), which the settings table checks.
 */
import type { Duration } from "aws-cdk-lib";

/** How the dispatcher sends, retries and paces deliveries. Every one is optional. */
export interface DispatcherDeliveryProps {
  /**
   * Seconds to wait after each failed attempt, comma-separated; its length is the number of retries.
   * The delivery queue's retention and maxReceiveCount are derived from it.
   * @default "5,300,1800,7200,18000,36000,36000" (8 attempts over about 27.5 hours)
   */
  readonly retrySchedule?: string;
  /**
   * Timeout of one outbound HTTP request. The delivery function's timeout is this plus 15 s, and the
   * delivery queue's visibility timeout 6 times that.
   * @default Duration.seconds(15)
   */
  readonly deliveryTimeout?: Duration;
  /**
   * Messages the delivery function receives per invocation (1 to 10,000; above 10 needs maxBatchingWindow).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers messages before invoking the delivery function (up to 5 minutes).
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent delivery invocations the SQS event source starts (2 to 1,000): caps the load on
   * destinations and on the account's Lambda concurrency.
   * @default 20
   */
  readonly maxConcurrency?: number;
  /**
   * Most concurrent invocations the slow lane's event source starts (2 to 1,000): slow and
   * probation endpoints' deliveries, each of which may hold its invocation for the whole deliveryTimeout.
   * @default 10
   */
  readonly slowLaneMaxConcurrency?: number;
  /** A fast-lane POST still unanswered after this is cut off and handed to the slow lane. @default Duration.seconds(3) */
  readonly fastLaneBudget?: Duration;
  /** An answer slower than this moves its endpoint to the slow lane. @default Duration.seconds(1) */
  readonly slowLaneAfter?: Duration;
  /** Consecutive fast 2xx answers that bring a slow or probation endpoint with no recent move out of the fast lane back to it. @default 5 */
  readonly laneExitSuccesses?: number;
  /**
   * The cap of the way back's growth: each move out of the fast lane doubles the fast answers in a
   * row that bring the endpoint back (laneExitSuccesses after none), up to this.
   * @default 640
   */
  readonly laneExitMaxSuccesses?: number;
  /** Each period this long in the fast lane without leaving it forgives one move out (halving the way back). @default Duration.hours(1) */
  readonly laneExitDecay?: Duration;
  /**
   * CIDR ranges the delivery function may call even though they are not globally routable
   * (private destinations reached through a VPC or a proxy). Everything else private stays refused.
   * @default [] (only public addresses)
   */
  readonly destinationAllowCidrs?: string[];
  /**
   * An endpoint that has failed continuously for this many hours is disabled when one of its
   * deliveries is exhausted (Svix's rule); 0 disables it at its first exhausted delivery.
   * @default 120 (5 days)
   */
  readonly endpointDisableAfterHours?: number;
  /**
   * Consecutive failed attempts to one endpoint that open its circuit breaker.
   * @default 5
   */
  readonly circuitFailureThreshold?: number;
  /**
   * How long an open circuit waits before one probe goes through; it doubles after each failed probe.
   * @default Duration.seconds(60)
   */
  readonly circuitCooldown?: Duration;
  /**
   * The longest cool-down of an open circuit.
   * @default Duration.hours(1)
   */
  readonly circuitMaxCooldown?: Duration;
  /**
   * The least wait after 429, 502, 503 or 504.
   * @default Duration.seconds(60)
   */
  readonly slowDownDelay?: Duration;
  /**
   * The signature header names of endpoints that choose none (SIGNATURE_HEADERS): `webhook`,
   * `svix` or `both`.
   * @default "webhook"
   */
  readonly signatureHeaders?: "webhook" | "svix" | "both";
}
