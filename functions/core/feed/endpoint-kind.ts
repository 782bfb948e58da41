import { invalidFields } from "../kernel/errors.ts";
import { refusePollingFifo } from "../ordering/ordering-rules.ts";
import type { CreateEndpointInput } from "../requests/validation.ts";
import { CreateEndpoint, CreatePollingEndpoint, parse } from "../requests/validation.ts";

/** Fields only a webhook endpoint has: a polling endpoint refuses each by name, on create and on update. */
export const WEBHOOK_ONLY_FIELDS = ["url", "headers", "retrySchedule", "rateLimitPerSecond", "signatureHeaders"] as const;

/** Throws 422 `validation_failed` naming every webhook-only field given for a polling endpoint. */
export function refuseWebhookFields(kind: string | undefined, input: object): void {
  if (kind !== "polling") return;
  const given = WEBHOOK_ONLY_FIELDS.filter((field) => (input as Record<string, unknown>)[field] !== undefined);
  if (given.length === 0) return;
  throw invalidFields(
    given.map((path) => ({ path, message: "is not allowed on a polling endpoint: its deliveries are read from its feed" })),
  );
}

/** The body of POST /v1/endpoints: a polling endpoint when `kind` says so, a webhook endpoint otherwise. */
export function parseCreateEndpoint(raw: unknown): CreateEndpointInput {
  refusePollingFifo(raw);
  if (typeof raw === "object" && raw !== null && (raw as { kind?: unknown }).kind === "polling") {
    refuseWebhookFields("polling", raw);
    return parse(CreatePollingEndpoint, raw);
  }
  return parse(CreateEndpoint, raw);
}
