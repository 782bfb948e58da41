import { expiresAt } from "./clock.ts";
import { type EndpointDeps, getEndpoint } from "./endpoints.ts";
import { sendMessages } from "./enqueue.ts";
import { ApiError, DependencyError } from "./errors.ts";
import { type EventTypeDeps, getEventType, prefixed } from "./event-types.ts";
import { examplePayload } from "./example-payload.ts";
import { messageIdFor, newId, requestHash } from "./ids.ts";
import type { IntakeDeps } from "./intake.ts";
import type { EventRecord } from "./model.ts";

/** What send-example needs: the endpoint, the catalog, and intake's queue and event log. */
export type SendExampleDeps = EndpointDeps &
  Pick<EventTypeDeps, "eventTypes" | "schemas"> &
  Pick<IntakeDeps, "queue" | "events" | "logRetentionDays">;

/** What send-example started: an event of its own, delivered to the one endpoint. */
export interface SentExample {
  eventId: string;
  /** The `webhook-id` it was sent with. */
  messageId: string;
  endpointId: string;
  type: string;
  payload: unknown;
  /** Where the payload came from: the type's first stored example, or built from its schema. */
  source: "stored" | "generated";
}

/**
 * POST /v1/endpoints/{id}/send-example: sends one signed example of a catalogued type to one
 * endpoint, through the normal path (an event is recorded and its delivery is queued, retried and
 * logged like any other), so a receiver can test its handler and signature check. The payload is the
 * type's first stored example, or one built from its schema and checked against it.
 */
export async function sendExample(deps: SendExampleDeps, endpointId: string, typeName: string, confined?: string): Promise<SentExample> {
  const endpoint = await getEndpoint(deps, endpointId, confined);
  const type = await getEventType(deps, typeName);
  if (type.archived) throw new ApiError("event_type_archived", `Event type ${type.name} is archived`, { type: type.name });
  const stored = type.examples !== undefined && type.examples.length > 0;
  const payload = stored ? type.examples?.[0] : type.schema ? examplePayload(type.schema) : {};
  if (!stored && type.schema) {
    const issues = (await deps.schemas.validator({ ...type, schema: type.schema }))(payload);
    if (issues.length > 0) {
      throw new ApiError(
        "validation_failed",
        `No example could be built from the schema of ${type.name}: store one in the type's examples`,
        prefixed("payload", issues),
      );
    }
  }
  const now = deps.clock.now();
  const body = JSON.stringify(payload);
  const id = newId("evt", now.getTime());
  const messageId = messageIdFor(endpoint.tenantId, id);
  const record: EventRecord = {
    id,
    tenantId: endpoint.tenantId,
    messageId,
    type: type.name,
    body,
    createdAt: now.toISOString(),
    requestHash: requestHash(endpoint.tenantId, type.name, body),
    endpointIds: [endpoint.id],
    expiresAt: expiresAt(now, deps.logRetentionDays),
  };
  const [unsent = []] = await sendMessages(deps, [[record, record.endpointIds]]);
  // As at intake: a message SQS refused stays on the record, for the sweeper to send.
  if (unsent.length > 0) record.unsent = unsent;
  await deps.events.putNew([record]);
  if (record.unsent) throw new DependencyError("sqs", "SQS did not accept the message; it will be sent later");
  return { eventId: record.id, messageId, endpointId: endpoint.id, type: type.name, payload, source: stored ? "stored" : "generated" };
}
