import * as v from "valibot";
import { isValidSecret } from "../kernel/signing.ts";
import { keyedRecord } from "../requests/keyed-record.ts";

/*
 * The request bodies of the Svix face, from Svix's OpenAPI document (ApplicationIn, EndpointIn,
 * MessageIn, …, svix-webhooks v2.0.0-9-g4fc0cfb8b). Objects are loose: the SDKs send fields this
 * face does not use (as nulls or defaults), and Svix's server ignores unknown ones too. A field that
 * would change delivery in a way hookrelay cannot honour is refused by name instead (see unsupported).
 * The values then go through the core's own checks (URL, SSRF, headers, quotas), as on /v1.
 */

/** Svix's id pattern; a uid here is also a tenant id or looked up among a tenant's endpoints, so it is held to 64 characters. */
const UID = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1 to 64 letters, digits, '.', '_' or '-' (Svix allows 256)"));
const METADATA = keyedRecord(v.pipe(v.string(), v.minLength(1), v.maxLength(64)), v.pipe(v.string(), v.maxLength(512)));
const TYPES = v.nullish(v.array(v.string()));
const THROTTLE = v.nullish(v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1), v.maxValue(65535)));

export const ApplicationIn = v.looseObject({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  uid: v.nullish(UID),
  metadata: v.nullish(METADATA),
  throttleRate: THROTTLE,
});
export type ApplicationInput = v.InferOutput<typeof ApplicationIn>;

export const ApplicationPatch = v.looseObject({
  name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
  uid: v.nullish(UID),
  metadata: v.optional(METADATA),
  throttleRate: THROTTLE,
});

/** A secret with or without `whsec_`: Svix's SDKs pass either; stored with the prefix. */
const SECRET = v.pipe(
  v.string(),
  v.transform((s) => (s.startsWith("whsec_") ? s : `whsec_${s}`)),
  v.check(isValidSecret, "must be base64 of 24 to 64 bytes, with or without whsec_"),
);

export const EndpointIn = v.looseObject({
  url: v.string(),
  description: v.nullish(v.string()),
  uid: v.nullish(UID),
  disabled: v.nullish(v.boolean()),
  eventTypes: TYPES,
  filterTypes: TYPES,
  channels: v.nullish(v.array(v.string())),
  secret: v.nullish(SECRET),
  metadata: v.nullish(METADATA),
  headers: v.nullish(keyedRecord(v.string(), v.string())),
  throttleRate: THROTTLE,
  rateLimit: THROTTLE,
  version: v.nullish(v.number()),
});
export type EndpointInput = v.InferOutput<typeof EndpointIn>;

export const EndpointPatch = v.looseObject({
  url: v.optional(v.string()),
  description: v.optional(v.string()),
  uid: v.nullish(UID),
  disabled: v.optional(v.boolean()),
  eventTypes: TYPES,
  filterTypes: TYPES,
  channels: v.nullish(v.array(v.string())),
  metadata: v.optional(METADATA),
  throttleRate: THROTTLE,
  rateLimit: THROTTLE,
  version: v.nullish(v.number()),
});
export type EndpointPatchInput = v.InferOutput<typeof EndpointPatch>;

export const EndpointHeadersIn = v.looseObject({ headers: keyedRecord(v.string(), v.string()) });
export const EndpointHeadersPatchIn = v.looseObject({
  headers: keyedRecord(v.string(), v.nullable(v.string())),
  deleteHeaders: v.nullish(v.array(v.string())),
});

export const SecretRotateIn = v.looseObject({
  key: v.nullish(SECRET),
  gracePeriodSeconds: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(604_800))),
});

export const MessageIn = v.looseObject({
  eventType: v.string(),
  // Kept as sent: a record would drop a top-level key named constructor, prototype or __proto__.
  payload: v.custom<Record<string, unknown>>(isJsonObject, "must be a JSON object"),
  eventId: v.nullish(v.string()),
  channels: v.nullish(v.array(v.string())),
  tags: v.nullish(v.array(v.string())),
  application: v.nullish(ApplicationIn),
  deliverAt: v.nullish(v.string()),
  payloadRetentionPeriod: v.nullish(v.number()),
  payloadRetentionHours: v.nullish(v.number()),
  transformationsParams: v.nullish(v.unknown()),
});
export type MessageInput = v.InferOutput<typeof MessageIn>;

export const RecoverIn = v.looseObject({ since: v.string(), until: v.nullish(v.string()) });

const SCHEMAS = v.nullish(keyedRecord(v.string(), keyedRecord(v.string(), v.unknown())));
const NOT_SUPPORTED = {
  deprecated: v.nullish(v.literal(false, "can only be false here: hookrelay has no deprecated event types")),
  groupName: v.nullish(v.never("is not supported here")),
  featureFlag: v.nullish(v.never("is not supported here")),
  featureFlags: v.nullish(v.array(v.never("is not supported here"))),
};

export const EventTypeIn = v.looseObject({
  name: v.string(),
  description: v.string(),
  archived: v.nullish(v.boolean()),
  schemas: SCHEMAS,
  ...NOT_SUPPORTED,
});
export type EventTypeInput = v.InferOutput<typeof EventTypeIn>;

export const EventTypePatch = v.looseObject({
  description: v.optional(v.string()),
  archived: v.optional(v.boolean()),
  schemas: SCHEMAS,
  ...NOT_SUPPORTED,
});
export type EventTypePatchInput = v.InferOutput<typeof EventTypePatch>;

export const EventTypeUpdate = v.looseObject({
  description: v.string(),
  archived: v.nullish(v.boolean()),
  schemas: SCHEMAS,
  ...NOT_SUPPORTED,
});

export const AppPortalAccessIn = v.looseObject({
  application: v.nullish(ApplicationIn),
  expiry: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(604_800))),
  // hookrelay's portal has no read-only mode nor capabilities: a portal asked to be narrower than it is is refused, not opened wider.
  readOnly: v.nullish(v.literal(false, "can only be false here: hookrelay's portal can change the tenant's endpoints")),
  featureFlags: v.nullish(v.array(v.string())),
  sessionId: v.nullish(v.string()),
  capabilities: v.nullish(v.pipe(v.array(v.string()), v.maxLength(0, "are not supported here: the portal has one set of capabilities"))),
});

/** The schema of the highest version of a Svix `schemas` map: the catalog keeps one schema per type. */
export function newestSchema(schemas: Record<string, Record<string, unknown>> | null | undefined): Record<string, unknown> | undefined {
  if (!schemas) return undefined;
  const versions = Object.keys(schemas).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  return versions.length === 0 ? undefined : schemas[versions.at(-1) as string];
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
