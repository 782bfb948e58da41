import { type EndpointDeps, getEndpoint } from "../endpoints/endpoints.ts";
import { type EventTypeDeps, getEventType, prefixed } from "../event-types/event-types.ts";
import { EXAMPLE_BUDGET } from "../event-types/example-budget.ts";
import { buildExample } from "../event-types/example-payload.ts";
import { checkPayloadLimits } from "../event-types/payload-limits.ts";
import { expiresAt } from "../kernel/clock.ts";
import { ApiError, DependencyError, invalidField } from "../kernel/errors.ts";
import { messageIdFor, newId, requestHash } from "../kernel/ids.ts";
import type { EventRecord } from "../kernel/model.ts";
import { sendMessages } from "./enqueue.ts";
import type { IntakeDeps } from "./intake.ts";

/** What send-example needs: the endpoint, the catalog, and intake's queue and event log. */
export type SendExampleDeps = EndpointDeps &
  Pick<EventTypeDeps, "eventTypes" | "schemas"> &
  Pick<IntakeDeps, "queue" | "events" | "tenantStatus">;

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
  if (type.archived) throw invalidField("eventType", `is archived: ${type.name} takes no new events`, "event_type_archived");
  const stored = type.examples !== undefined && type.examples.length > 0;
  const payload = stored ? type.examples?.[0] : type.schema ? generated(type.name, type.schema) : {};
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
  // The example is held to the limits of an emitted payload, with the same check.
  const limits = checkPayloadLimits(payload);
  if ("problem" in limits) {
    const field = stored ? "examples.0" : "schema";
    throw new ApiError("example_too_large", `The example of ${type.name} is too large to send: its payload ${limits.problem.message}`, [
      { path: field, message: `gives a payload that ${limits.problem.message}` },
    ]);
  }
  const { retentionDays } = await deps.tenantStatus.statusOf(endpoint.tenantId);
  const now = deps.clock.now();
  const { body } = limits;
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
    expiresAt: expiresAt(now, retentionDays),
  };
  const [sent] = await sendMessages(deps, [[record, record.endpointIds]]);
  // As at intake: a message SQS did not take for now stays on the record, for the sweeper to send;
  // one it refused for good was dead-lettered as unsendable and ends exhausted.
  if (sent && sent.unsent.length > 0) record.unsent = sent.unsent;
  await deps.events.putNew([record]);
  if (record.unsent) throw new DependencyError("sqs", "SQS did not accept the message; it will be sent later");
  return { eventId: record.id, messageId, endpointId: endpoint.id, type: type.name, payload, source: stored ? "stored" : "generated" };
}

/** The example built from `schema` within the builder's budget, or a 422 naming the keyword that asked for too much. */
function generated(typeName: string, schema: Record<string, unknown>): unknown {
  const built = buildExample(schema);
  if (built.ok) return built.payload;
  const what = built.limit === "nodes" ? `${EXAMPLE_BUDGET.nodes} values` : `${EXAMPLE_BUDGET.bytes} bytes of JSON`;
  const place = `schema${built.at.slice(1).replace(/\//g, ".")}.${built.keyword}`;
  throw new ApiError(
    "example_too_large",
    `The schema of ${typeName} asks for an example larger than send-example builds (${what}): \`${built.keyword}\` at ${built.at}. Store a smaller example in the type's examples`,
    [{ path: place, message: `asks for more than ${what}` }],
  );
}
