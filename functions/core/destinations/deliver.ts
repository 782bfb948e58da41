import { type Attempted, signDelivery } from "../delivery/send.ts";
import type { Clock } from "../kernel/clock.ts";
import type { AttemptErrorKind, DeliveryMessage, Endpoint } from "../kernel/model.ts";
import type { Outcome } from "../policy/outcome.ts";
import { accessFor } from "./access.ts";
import { framedBytes, SIZE_LIMITS, type SignedDelivery } from "./message.ts";
import type { DestinationDelivery, DestinationFailureKind, DestinationResult } from "./ports.ts";
import { targetName } from "./targets.ts";

/*
 * The send step of an AWS destination, beside sendSigned (webhook) and appendDelivery (polling): the
 * delivery signed as a webhook is, put through the destination port, and the result classified as an
 * HTTP answer would be. A failure of our own side is thrown by the sender and passes through: the
 * queue redelivers and no attempt is recorded.
 */

const ERROR_OF: Record<DestinationFailureKind, AttemptErrorKind> = {
  throttled: "destination_throttled",
  server: "destination_error",
  denied: "destination_denied",
  missing: "destination_missing",
  kms: "destination_kms",
  too_large: "destination_too_large",
  rejected: "destination_rejected",
};

/** Signs the delivery and puts it into the endpoint's AWS destination; the attempt as the log records it. */
export async function sendToDestination(
  deps: { clock: Clock; destinations: DestinationDelivery },
  message: DeliveryMessage,
  endpoint: Endpoint,
): Promise<Attempted> {
  const destination = endpoint.destination;
  if (!destination) throw new Error(`endpoint ${endpoint.id} of kind ${endpoint.kind} has no destination`);
  const at = deps.clock.now();
  const delivery: SignedDelivery = {
    ...signDelivery(message, endpoint, at),
    type: message.type,
    body: message.body,
    eventId: message.eventId,
    tenantId: endpoint.tenantId,
    endpointId: endpoint.id,
  };
  const url = targetName(destination.target);
  const bytes = framedBytes(destination.target, delivery, deps.destinations.eventSource);
  const limit = SIZE_LIMITS[destination.target.kind];
  // Checked before the call: the service's own refusal names no size, and the call would cost a request.
  const result: DestinationResult =
    bytes > limit
      ? {
          ok: false,
          failure: "too_large",
          durationMs: 0,
          message: `the message takes ${bytes} bytes; ${destination.target.kind} accepts at most ${limit}`,
        }
      : await deps.destinations.sender.send(
          destination.target,
          delivery,
          accessFor(
            deps.destinations.deployment,
            endpoint.tenantId,
            destination.roleArn !== undefined ? { roleArn: destination.roleArn, account: destination.roleAccount ?? "" } : undefined,
          ),
          message.createdAt,
        );
  const status = result.statusCode !== undefined && { statusCode: result.statusCode };
  if (result.ok) return { at, outcome: { ok: true }, fields: { url, durationMs: result.durationMs, ...status } };
  return {
    at,
    outcome: destinationOutcome(result.failure),
    fields: { url, durationMs: result.durationMs, ...status, error: ERROR_OF[result.failure], errorMessage: result.message },
  };
}

/** As HTTP: throttling is a 429 (slow down); every other failure of the destination is retried on schedule and counts toward auto-disable. */
export function destinationOutcome(failure: DestinationFailureKind): Outcome {
  const reason = ERROR_OF[failure];
  return failure === "throttled" ? { ok: false, action: "slow_down", reason } : { ok: false, action: "retry", reason };
}
