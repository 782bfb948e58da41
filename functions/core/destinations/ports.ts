import type { DestinationAccess } from "./access.ts";
import type { SignedDelivery } from "./message.ts";
import type { DestinationTarget } from "./targets.ts";

/*
 * The ports of AWS destinations, declared by the core that uses them; the SDK adapters live in
 * functions/adapters/aws-destinations/.
 */

/**
 * How a destination failed, by whose fault. `throttled` and `server` are the destination's passing
 * trouble (retried with backoff, as 429 and 5xx are); `denied`, `missing`, `kms`, `too_large` and
 * `rejected` are the destination's configuration (an attempt with a clear error, retried on schedule
 * and counted toward auto-disable). A failure of the dispatcher's own credentials or network is not a
 * DestinationFailure: the sender throws, and the queue redelivers with no attempt shown.
 */
export type DestinationFailureKind = "throttled" | "server" | "denied" | "missing" | "kms" | "too_large" | "rejected";

/** What one put to a destination came to. */
export type DestinationResult =
  | { ok: true; durationMs: number; statusCode?: number }
  | { ok: false; failure: DestinationFailureKind; message: string; durationMs: number; statusCode?: number };

/** One put of a signed delivery into a target, as `access` (the adapter assumes the role or the tagged session). */
export interface DestinationSender {
  send(target: DestinationTarget, delivery: SignedDelivery, access: DestinationAccess, createdAt: string): Promise<DestinationResult>;
}

/** The one-time AssumeRole check at registration: undefined when the role can be assumed with the tenant's ExternalId, else why not. */
export interface RoleCheck {
  check(roleArn: string, externalId: string): Promise<string | undefined>;
}

/** A failure of the dispatcher's own side (credentials, network, STS for its own role): the queue redelivers; nothing is recorded. */
export class DestinationUnavailableError extends Error {
  override readonly name = "DestinationUnavailableError";
}

/** What the delivery worker's destination send step is given (functions/core/destinations/deliver.ts). */
export interface DestinationDelivery {
  sender: DestinationSender;
  /** Names the deployment in the ExternalId (access.ts). */
  deployment: string;
  /** EventBridge `source` of every event (DESTINATION_EVENT_SOURCE). */
  eventSource: string;
}
