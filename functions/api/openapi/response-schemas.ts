import * as v from "valibot";
import { AWS_DESTINATION_KINDS } from "../../core/destinations/targets.ts";
import { ATTEMPT_ERROR_KINDS, LANES } from "../../core/kernel/model.ts";
import { AttemptStatusFilter, EVENT_TYPE } from "../../core/requests/validation.ts";
import { ErrorBody } from "./error-body.ts";
import { ID, MESSAGE_ID, nullable, TIMESTAMP } from "./shape-parts.ts";
import { ScheduledMessage } from "./tenant-shapes.ts";

export { ErrorBody } from "./error-body.ts";

/*
 * What the API answers, as valibot schemas: the API document is generated from these and from the
 * request schemas in functions/core/requests/validation.ts. Objects are strict, so that the contract test
 * (test/integration/contract.test.ts) fails on a field the document does not show.
 */

export * from "./event-type-shapes.ts";
export * from "./feed-shapes.ts";
export * from "./ordering-shapes.ts";
export { MESSAGE_ID } from "./shape-parts.ts";
export * from "./tenant-shapes.ts";

export const Health = v.strictObject({
  status: v.literal("ok"),
  feedUrl: v.pipe(
    nullable(v.string()),
    v.description(
      "Base URL of GET /v1/endpoints/{id}/feed when long polls are served elsewhere (the feed function's own URL); null: this same URL",
    ),
  ),
  websocketUrl: v.pipe(
    nullable(v.string()),
    v.description("The WebSocket push URL (docs/websocket.md): `wss://…` in AWS, `ws://127.0.0.1:…` locally; null when the stack has none"),
  ),
});

export const Circuit = v.strictObject({
  state: v.picklist(["closed", "open", "half-open"]),
  openUntil: v.optional(TIMESTAMP),
});

const endpointFields = {
  id: ID,
  kind: v.pipe(
    v.picklist(["webhook", "polling", ...AWS_DESTINATION_KINDS]),
    v.description(
      "webhook: POSTed to `url`; polling: read from its feed; sqs, sns, eventbridge, kinesis, s3: put into the customer's AWS resource (docs/destinations.md)",
    ),
  ),
  url: v.optional(
    v.pipe(v.string(), v.description("Absent on a polling endpoint; on an AWS destination, its queue URL, ARN or s3://bucket/prefix")),
  ),
  destination: v.optional(
    v.pipe(
      v.strictObject({
        queueUrl: v.optional(v.string()),
        topicArn: v.optional(v.string()),
        eventBusArn: v.optional(v.string()),
        detailType: v.optional(v.string()),
        streamArn: v.optional(v.string()),
        partitionKeyField: v.optional(v.string()),
        bucket: v.optional(v.string()),
        prefix: v.optional(v.string()),
        region: v.string(),
        account: v.string(),
        roleArn: v.optional(v.string()),
      }),
      v.description("An AWS destination's target as parsed, and the role it is reached through (absent: the tenant-tagged session)"),
    ),
  ),
  eventTypes: v.pipe(nullable(v.array(EVENT_TYPE)), v.description("null means every event type")),
  tenantId: v.string(),
  description: nullable(v.string()),
  enabled: v.boolean(),
  headers: v.record(v.string(), v.string()),
  createdAt: TIMESTAMP,
  updatedAt: TIMESTAMP,
  retrySchedule: v.pipe(
    nullable(v.array(v.number())),
    v.description("Delays in seconds after each failed attempt; null means the default"),
  ),
  rateLimitPerSecond: nullable(v.pipe(v.number(), v.integer())),
  ordering: v.pipe(
    v.picklist(["none", "fifo"]),
    v.description(
      "fifo: each delivery goes only after every one emitted before it to this endpoint succeeded or was given up (docs/ordering.md); fixed at creation",
    ),
  ),
  signatureHeaders: v.pipe(
    nullable(v.picklist(["webhook", "svix", "both"])),
    v.description(
      "Which signature header names its deliveries carry: webhook-*, svix-* or both; null means the tenant's default (SIGNATURE_HEADERS)",
    ),
  ),
  disabledReason: v.pipe(nullable(v.picklist(["gone", "failing", "manual"])), v.description("Why the dispatcher or a caller disabled it")),
  disabledAt: nullable(TIMESTAMP),
  failingSince: v.pipe(nullable(TIMESTAMP), v.description("Start of the current run of failed attempts")),
  circuit: Circuit,
  warnings: v.pipe(
    v.optional(
      v.array(
        v.union([
          v.strictObject({ code: v.literal("unknown_event_type"), eventType: v.string(), message: v.string() }),
          v.strictObject({ code: v.literal("message_may_exceed_limit"), message: v.string() }),
        ]),
      ),
    ),
    v.description(
      "On create and update: subscribed types the event-type catalog does not hold (only while the catalog holds any); on an AWS destination whose service takes less than the largest event framed for it, that. The endpoint is saved regardless",
    ),
  ),
  lane: v.pipe(
    v.picklist(LANES),
    v.description(
      "Which queue delivers to it: fast; slow (it timed out or answered slowly, so its deliveries no longer share batches with healthy endpoints'); probation (new or given a new URL, delivered like a slow one until it has answered fast)",
    ),
  ),
  laneSince: v.pipe(
    nullable(TIMESTAMP),
    v.description("When it entered its lane; null for an endpoint in the fast lane since before lanes"),
  ),
  laneFastSuccesses: v.pipe(
    v.number(),
    v.integer(),
    v.description("Consecutive fast 2xx answers in the slow or probation lane; laneFastSuccessesNeeded of them move it to the fast lane"),
  ),
  laneFastSuccessesNeeded: v.pipe(
    v.number(),
    v.integer(),
    v.description(
      "The run of fast 2xx answers that brings it from the slow or probation lane to the fast lane: in those lanes what it needs now; in the fast lane what a move out of it now would set. LANE_EXIT_SUCCESSES doubled for each recent move out of the fast lane, up to LANE_EXIT_MAX_SUCCESSES",
    ),
  ),
  laneDemotions: v.pipe(
    v.number(),
    v.integer(),
    v.description(
      "Its recent moves out of the fast lane (a POST cut off by the fast lane's budget, or a slow answer); each LANE_EXIT_DECAY_SECONDS it spends in the fast lane without another forgives one",
    ),
  ),
};

export const Endpoint = v.strictObject(endpointFields);

export const CreatedEndpoint = v.strictObject({
  ...endpointFields,
  secret: v.pipe(v.string(), v.description("The whsec_ signing secret; shown here and by GET /v1/endpoints/{id}/secret only")),
});

export const Secret = v.strictObject({
  secret: v.string(),
  previous: v.optional(
    v.pipe(v.array(v.strictObject({ expiresAt: TIMESTAMP })), v.description("When each rotated-out secret stops signing")),
  ),
});

export const Recovery = v.strictObject({
  id: ID,
  endpointId: ID,
  tenantId: v.string(),
  since: TIMESTAMP,
  until: TIMESTAMP,
  status: v.picklist(["running", "completed", "failed"]),
  steps: v.pipe(v.number(), v.integer()),
  error: v.optional(v.string()),
  resent: v.pipe(v.number(), v.integer()),
  scanned: v.pipe(v.number(), v.integer()),
  createdAt: TIMESTAMP,
  updatedAt: TIMESTAMP,
  completedAt: v.optional(TIMESTAMP),
});

export const ReplayResult = v.strictObject({
  eventId: ID,
  chains: v.array(v.strictObject({ endpointId: ID, chain: ID })),
  skipped: v.array(v.strictObject({ endpointId: ID, reason: v.picklist(["endpoint_disabled", "endpoint_deleted", "unsendable"]) })),
});

export const Attempt = v.strictObject({
  eventId: ID,
  endpointId: ID,
  tenantId: v.string(),
  attempt: v.pipe(v.number(), v.integer(), v.minValue(1)),
  trigger: v.picklist(["scheduled", "dead-letter", "manual"]),
  chain: v.optional(v.pipe(ID, v.description("The manual attempt chain (replay, recovery) it belongs to"))),
  status: AttemptStatusFilter,
  url: v.string(),
  at: TIMESTAMP,
  durationMs: v.number(),
  statusCode: v.optional(v.pipe(v.number(), v.integer())),
  error: v.optional(v.picklist(ATTEMPT_ERROR_KINDS)),
  errorMessage: v.optional(v.string()),
  responseBody: v.optional(v.pipe(v.string(), v.description("The first 4 KB of the receiver's answer"))),
  nextAttemptAt: v.optional(TIMESTAMP),
  expiresAt: v.pipe(v.number(), v.integer(), v.description("When the record expires, in unix seconds")),
});

export const AcceptedEvent = v.strictObject({
  id: v.pipe(v.string(), v.description("The event's id: the caller's, or one made for it; the idempotency key within the tenant")),
  messageId: MESSAGE_ID,
  type: EVENT_TYPE,
  tenantId: v.string(),
  createdAt: TIMESTAMP,
  endpoints: v.pipe(v.number(), v.integer(), v.minValue(0), v.description("How many endpoints the event was queued for")),
  deliverAt: v.pipe(v.optional(TIMESTAMP), v.description("When its deliveries may start, when the caller gave one (docs/scheduling.md)")),
});

export const Delivery = v.strictObject({
  endpointId: ID,
  status: v.picklist(["pending", "succeeded", "failed", "exhausted", "skipped"]),
  attempts: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastStatusCode: v.optional(v.pipe(v.number(), v.integer())),
  lastError: v.optional(v.string()),
  lastAttemptAt: v.optional(TIMESTAMP),
  nextAttemptAt: v.optional(TIMESTAMP),
});

export const EventView = v.strictObject({
  ...AcceptedEvent.entries,
  payload: v.pipe(v.unknown(), v.description("The payload as it was emitted; null once expunged")),
  expungedAt: v.optional(v.pipe(TIMESTAMP, v.description("When its payload was expunged"))),
  deliveries: v.array(Delivery),
  schedule: v.pipe(
    v.optional(ScheduledMessage),
    v.description("Where a held scheduled message stands (an event held for its deliverAt only)"),
  ),
});

/** One hour of an endpoint's chart: requests sent, how many succeeded, and their latency. */
const HourStats = v.strictObject({
  hour: TIMESTAMP,
  sent: v.pipe(v.number(), v.integer(), v.minValue(0)),
  succeeded: v.pipe(v.number(), v.integer(), v.minValue(0)),
  p50Ms: v.nullable(v.number()),
  p95Ms: v.nullable(v.number()),
});

export const EndpointStats = v.strictObject({
  endpointId: ID,
  from: TIMESTAMP,
  until: TIMESTAMP,
  completeSince: v.pipe(TIMESTAMP, v.description("Hours before this are incomplete: the read stopped at the newest 5,000 attempts")),
  truncated: v.boolean(),
  hours: v.array(HourStats),
});

export const ApiKey = v.strictObject({ id: ID, tenantId: v.string(), name: v.string(), createdAt: TIMESTAMP });

export const CreatedApiKey = v.strictObject({
  ...ApiKey.entries,
  key: v.pipe(v.string(), v.description("The key itself, shown once: send it as Authorization: Bearer <key>")),
});

export const PortalSession = v.strictObject({
  url: v.pipe(v.string(), v.description("The portal page, the token in its fragment: embed it in an iframe or link to it")),
  token: v.pipe(v.string(), v.description("The session token, for `Authorization: Portal <token>`")),
  expiresAt: TIMESTAMP,
});

export const BatchResult = v.strictObject({
  items: v.array(
    v.union([
      v.strictObject({ status: v.literal(202), event: AcceptedEvent }),
      v.strictObject({ status: v.pipe(v.number(), v.integer(), v.minValue(400)), error: ErrorBody.entries.error }),
    ]),
  ),
});

/** A page of a list: `nextCursor` is null on the last page. */
export function pageOf<S extends v.GenericSchema>(item: S) {
  return v.strictObject({ items: v.array(item), nextCursor: v.nullable(v.string()) });
}
