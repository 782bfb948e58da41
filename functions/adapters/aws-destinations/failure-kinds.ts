import type { DestinationFailureKind } from "../../core/destinations/ports.ts";

/*
 * Which AWS error is whose fault. The SDK names a service error by its code (`name`) and marks it
 * `$fault: "client" | "server"`; a failure before any answer (DNS, refused connection, timeout,
 * credentials) has no `$metadata.httpStatusCode`. The codes are those the five services document for
 * SendMessage, Publish, PutEvents, PutRecord and PutObject, and KMS's as those services relay them.
 */

const THROTTLED = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "KMSThrottlingException",
  "KMS.ThrottlingException",
  "SlowDown",
  "RequestLimitExceeded",
]);
const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AuthorizationError",
  "AuthorizationErrorException",
  "AWS.SimpleQueueService.AccessDenied",
  "InvalidClientTokenId",
  "UnauthorizedOperation",
  "AllAccessDisabled",
  "InvalidSecurity",
]);
const MISSING = new Set([
  "AWS.SimpleQueueService.NonExistentQueue",
  "QueueDoesNotExist",
  "NonExistentQueue",
  "NotFound",
  "NotFoundException",
  "ResourceNotFoundException",
  "NoSuchBucket",
  "EndpointDisabled",
  "InvalidAddress",
]);
const TOO_LARGE = new Set(["EntityTooLarge", "MessageTooLong", "RequestSizeExceeded", "AWS.SimpleQueueService.MessageTooLong"]);

/** The destination's failure kind of an SDK error, or "ours" when no service answered (network, credentials, our own STS session). */
export function failureKind(error: unknown): DestinationFailureKind | "ours" {
  const e = error as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? "";
  const status = e?.$metadata?.httpStatusCode;
  if (/^KMS/i.test(name) || /^Kms/.test(name) || name.startsWith("KMS.")) return THROTTLED.has(name) ? "throttled" : "kms";
  if (THROTTLED.has(name) || status === 429) return "throttled";
  if (DENIED.has(name) || status === 403) return "denied";
  if (MISSING.has(name) || status === 404) return "missing";
  if (TOO_LARGE.has(name) || status === 413) return "too_large";
  if (status === undefined) return "ours";
  if (status >= 500 || e.$fault === "server") return status === 503 ? "throttled" : "server";
  return "rejected";
}

/** The status the service answered, when it answered. */
export function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
