import { type AnyCreateEndpointInput, NOT_ON_AWS_KINDS, parseCreateAwsEndpoint } from "../destinations/registration.ts";
import { isAwsKind } from "../destinations/targets.ts";
import { invalidFields } from "../kernel/errors.ts";
import { refusePollingFifo } from "../ordering/ordering-rules.ts";
import { CreateEndpoint, CreatePollingEndpoint, parse } from "../requests/validation.ts";

/** Fields only a webhook endpoint has: a polling endpoint refuses each by name, on create and on update. */
export const WEBHOOK_ONLY_FIELDS = ["url", "headers", "retrySchedule", "rateLimitPerSecond", "signatureHeaders"] as const;

/** Throws 422 `validation_failed` naming every webhook-only field given for a polling endpoint or an AWS destination. */
export function refuseWebhookFields(kind: string | undefined, input: object): void {
  const aws = isAwsKind(kind);
  if (kind !== "polling" && !aws) return;
  const fields: readonly string[] = aws ? NOT_ON_AWS_KINDS : WEBHOOK_ONLY_FIELDS;
  const given = fields.filter((field) => (input as Record<string, unknown>)[field] !== undefined);
  if (given.length === 0) return;
  const why = aws
    ? "is not allowed on an AWS destination: it is delivered through the AWS API"
    : "is not allowed on a polling endpoint: its deliveries are read from its feed";
  throw invalidFields(given.map((path) => ({ path, message: why })));
}

/** The body of POST /v1/endpoints: a polling endpoint or an AWS destination when `kind` says so, a webhook endpoint otherwise. */
export function parseCreateEndpoint(raw: unknown): AnyCreateEndpointInput {
  refusePollingFifo(raw);
  if (typeof raw === "object" && raw !== null && (raw as { kind?: unknown }).kind === "polling") {
    refuseWebhookFields("polling", raw);
    return parse(CreatePollingEndpoint, raw);
  }
  if (typeof raw === "object" && raw !== null && isAwsKind((raw as { kind?: string }).kind)) return parseCreateAwsEndpoint(raw);
  return parse(CreateEndpoint, raw);
}
