import * as v from "valibot";
import { EVENT_TYPE } from "../../core/requests/validation.ts";
import { nullable, TIMESTAMP } from "./shape-parts.ts";

/*
 * Answer shapes of tenants and their data's lifecycle, scheduled messages and AWS destination access;
 * response-schemas.ts re-exports them with the rest of the API's answers.
 */

export const ScheduledMessage = v.strictObject({
  eventId: v.string(),
  tenantId: v.string(),
  type: EVENT_TYPE,
  deliverAt: TIMESTAMP,
  createdAt: TIMESTAMP,
  state: v.pipe(
    v.picklist(["waiting", "moving", "sent", "cancelled", "dropped"]),
    v.description(
      "waiting: held, cancellable; moving or sent: in the delivery queue, hidden until deliverAt; cancelled: never sent; dropped: its event was never recorded",
    ),
  ),
  endpoints: v.pipe(v.number(), v.integer(), v.minValue(0)),
  endedAt: nullable(TIMESTAMP),
});

export const ExpungedPayload = v.strictObject({
  eventId: v.string(),
  expungedAt: TIMESTAMP,
  feedEntries: v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Feed entries of polling endpoints whose payload was removed")),
});

export const Tenant = v.strictObject({
  id: v.string(),
  name: v.optional(v.string()),
  metadata: v.record(v.string(), v.string()),
  settings: v.optional(
    v.strictObject({
      retentionDays: v.optional(v.pipe(v.number(), v.description("Days its items are kept; absent: LOG_RETENTION_DAYS"))),
      signatureHeaders: v.optional(
        v.pipe(
          v.picklist(["webhook", "svix", "both"]),
          v.description("Its endpoints' signature header names where they choose none; absent: SIGNATURE_HEADERS"),
        ),
      ),
    }),
  ),
  createdAt: TIMESTAMP,
  updatedAt: TIMESTAMP,
});

export const TenantDeletionJob = v.strictObject({
  tenantId: v.string(),
  state: v.pipe(v.picklist(["removing", "done"]), v.description("`removing` until every item of the tenant is gone")),
  requestedAt: TIMESTAMP,
  updatedAt: TIMESTAMP,
  notBefore: v.pipe(TIMESTAMP, v.description("Removal starts then: every writer has seen the tombstone")),
  step: v.pipe(v.string(), v.description("The kind of item being removed: events, endpoints, keys, tenant")),
  removed: v.pipe(v.record(v.string(), v.number()), v.description("Items removed so far, by kind")),
  finishedAt: v.optional(TIMESTAMP),
});

/** GET /v1/destination-access: what a customer pastes into the policies of its AWS resources or role. */
export const DestinationAccessInfo = v.strictObject({
  tenantId: v.string(),
  externalId: v.pipe(v.string(), v.description("The sts:ExternalId the customer's role must require; derived, never changes")),
  sessionTagKey: v.pipe(v.string(), v.description("The session tag deliveries without a roleArn carry, valued with the tenant's id")),
  sessionRoleArn: v.pipe(
    nullable(v.string()),
    v.description("The role those deliveries assume (the principal a resource policy names); null locally"),
  ),
  dispatcherAccountId: v.pipe(nullable(v.string()), v.description("The account a customer's role must trust; null locally")),
});
