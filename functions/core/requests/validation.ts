import * as v from "valibot";
import { PORTAL_MAX_SECONDS } from "../access/portal-sessions.ts";
import { MAX_GRACE_PERIOD_SECONDS } from "../endpoints/secret-rotation.ts";
import { SIGNATURE_HEADER_STYLES } from "../endpoints/signature-headers.ts";
import { invalidField } from "../kernel/errors.ts";
import { isValidSecret } from "../kernel/signing.ts";
import { parseTimestamp } from "../kernel/timestamp.ts";
import { MAX_RATE_LIMIT_PER_SECOND } from "../policy/rate-limit.ts";
import { scheduleProblem } from "../policy/retry-schedule.ts";
import { keyedRecord } from "./keyed-record.ts";
import { parse, TENANT_ID } from "./parse.ts";

// What the API's authentication needs at every cold start lives in parse.ts; the schemas here load with the routes that read them.
export { parse, TENANT_ID };

/**
 * Header names an endpoint may not set, in any case: the ones the dispatcher sets itself, and every
 * header that changes the message's framing or the connection (hop-by-hop headers, `Trailer`,
 * `Expect`, `Upgrade`, `TE`, `Content-Encoding`). Node's client throws on some (`Trailer` on a sized
 * body) and changes its behaviour on others (`Expect` sends the headers alone, `Keep-Alive` ends reuse).
 */
export const RESERVED_HEADER_NAMES: readonly string[] = [
  "host",
  "content-length",
  "content-type",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "http2-settings",
  "user-agent",
];
const RESERVED_HEADERS = new Set(RESERVED_HEADER_NAMES);
const isReservedHeader = (name: string): boolean => {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith("webhook-") || lower.startsWith("svix-");
};
/** An HTTP token (RFC 9110), exactly the names Node's client accepts. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Tab, visible ASCII, space and obs-text: exactly the values Node's client accepts. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
export const MAX_HEADER_NAME_LENGTH = 128;
export const MAX_HEADER_VALUE_LENGTH = 1024;
export const MAX_HEADERS = 20;

export const EVENT_TYPE = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.\-:]{1,128}$/, "must be 1 to 128 letters, digits, '.', '_', '-' or ':'"),
);
/** Valibot runs every check of a pipe even after one failed, so each check parses defensively. */
const parsedUrl = (u: string): URL | undefined => (URL.canParse(u) ? new URL(u) : undefined);
export const MAX_URL_LENGTH = 2048;
/**
 * An endpoint URL, stored as parsed (`href`), so what is delivered to, logged and shown is one string.
 * Spaces and control characters are refused before parsing: the WHATWG parser silently drops tabs,
 * CR and LF anywhere and trims the ends, so the raw text could carry a forged log line the parsed
 * URL no longer shows.
 */
const URL_SCHEMA = v.pipe(
  v.string(),
  v.maxLength(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  v.regex(/^[^\x00-\x20\x7f-\x9f]*$/, "must not contain spaces or control characters (percent-encode them)"),
  v.check((u) => parsedUrl(u) !== undefined, "must be an absolute URL"),
  v.check((u) => /^https?:$/.test(parsedUrl(u)?.protocol ?? "http:"), "must use http or https"),
  v.check((u) => !parsedUrl(u)?.username && !parsedUrl(u)?.password, "must not carry a user name or password"),
  v.transform((u) => new URL(u).href),
  v.maxLength(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters once parsed`),
);
const HEADERS = v.pipe(
  keyedRecord(
    v.pipe(
      v.string(),
      v.maxLength(MAX_HEADER_NAME_LENGTH, `header names must be at most ${MAX_HEADER_NAME_LENGTH} characters`),
      v.regex(HEADER_NAME, "header names must be HTTP tokens"),
      v.check((n) => !isReservedHeader(n), "this header is set by the dispatcher or changes the connection, and cannot be set"),
    ),
    v.pipe(
      v.string(),
      v.maxLength(MAX_HEADER_VALUE_LENGTH, `header values must be at most ${MAX_HEADER_VALUE_LENGTH} characters`),
      v.regex(HEADER_VALUE, "header values must be printable"),
    ),
  ),
  v.check((h) => Object.keys(h).length <= MAX_HEADERS, `at most ${MAX_HEADERS} headers`),
);
/** `webhook-*`, `svix-*` or both (endpoints/signature-headers.ts). */
const SIGNATURE_HEADERS = v.picklist(SIGNATURE_HEADER_STYLES, 'must be "webhook", "svix" or "both"');
export const EVENT_TYPES = v.pipe(v.array(EVENT_TYPE), v.minLength(1), v.maxLength(100));
export const SECRET = v.pipe(v.string(), v.check(isValidSecret, "must be whsec_ followed by base64 of 24 to 64 bytes"));
export const DESCRIPTION = v.pipe(v.string(), v.maxLength(1024));

/** An endpoint's own retry schedule: whole seconds; that its window fits the queue's retention is checked with the config. */
export const RETRY_SCHEDULE = v.pipe(
  v.array(v.number()),
  v.check((d) => scheduleProblem(d) === undefined, "must be 1 to 50 whole seconds, each from 1 to 36000"),
);
export const RATE_LIMIT = v.pipe(
  v.number(),
  v.integer("must be a whole number"),
  v.minValue(1),
  v.maxValue(MAX_RATE_LIMIT_PER_SECOND, `must be at most ${MAX_RATE_LIMIT_PER_SECOND}`),
);
/** A point in time: RFC 3339 only, checked field by field (functions/core/kernel/timestamp.ts), handed on in canonical UTC form. */
const TIMESTAMP = v.pipe(
  v.string(),
  v.check(
    (t) => parseTimestamp(t) !== undefined,
    "must be an RFC 3339 timestamp of a real date, e.g. 2024-01-31T09:30:00Z or 2024-01-31T10:30:00+01:00",
  ),
  v.transform((t) => parseTimestamp(t) as string),
);

/** An endpoint's ordering (docs/ordering.md): "none" (the default) or "fifo". */
const ORDERING = v.picklist(["none", "fifo"], 'must be "none" or "fifo"');

export const CreateEndpoint = v.strictObject({
  kind: v.optional(v.literal("webhook")),
  url: URL_SCHEMA,
  eventTypes: v.optional(EVENT_TYPES),
  tenantId: v.optional(TENANT_ID),
  description: v.optional(DESCRIPTION),
  enabled: v.optional(v.boolean()),
  headers: v.optional(HEADERS),
  secret: v.optional(SECRET),
  retrySchedule: v.optional(RETRY_SCHEDULE),
  rateLimitPerSecond: v.optional(RATE_LIMIT),
  ordering: v.optional(ORDERING),
  signatureHeaders: v.optional(SIGNATURE_HEADERS),
});
/** A polling endpoint: no URL, headers, retry schedule or rate limit (functions/core/feed/endpoint-kind.ts refuses them by name). */
export const CreatePollingEndpoint = v.strictObject({
  kind: v.literal("polling"),
  eventTypes: v.optional(EVENT_TYPES),
  tenantId: v.optional(TENANT_ID),
  description: v.optional(DESCRIPTION),
  enabled: v.optional(v.boolean()),
  secret: v.optional(SECRET),
  /** Only "none": functions/core/ordering/ordering-rules.ts refuses "fifo" on a polling endpoint by name. */
  ordering: v.optional(v.literal("none")),
});
export type CreateEndpointInput = v.InferOutput<typeof CreateEndpoint> | v.InferOutput<typeof CreatePollingEndpoint>;

export const UpdateEndpoint = v.strictObject({
  url: v.optional(URL_SCHEMA),
  eventTypes: v.optional(v.nullable(EVENT_TYPES)),
  description: v.optional(DESCRIPTION),
  enabled: v.optional(v.boolean()),
  headers: v.optional(HEADERS),
  retrySchedule: v.optional(v.nullable(RETRY_SCHEDULE)),
  rateLimitPerSecond: v.optional(v.nullable(RATE_LIMIT)),
  /** Accepted only as the endpoint's current ordering (ordering-rules.ts). */
  ordering: v.optional(ORDERING),
  signatureHeaders: v.optional(v.nullable(SIGNATURE_HEADERS)),
});
export type UpdateEndpointInput = v.InferOutput<typeof UpdateEndpoint>;

export const RotateSecret = v.strictObject({
  gracePeriodSeconds: v.optional(
    v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(0), v.maxValue(MAX_GRACE_PERIOD_SECONDS)),
  ),
  secret: v.optional(SECRET),
});

export const ReplayEvent = v.strictObject({
  tenantId: v.optional(TENANT_ID),
  endpointId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.\-:]{1,128}$/, "is not an endpoint id"))),
});

export const RecoverEndpoint = v.strictObject({
  since: TIMESTAMP,
  until: v.optional(TIMESTAMP),
});

export const EmitEvent = v.strictObject({
  type: EVENT_TYPE,
  payload: v.unknown(),
  tenantId: v.optional(TENANT_ID),
  id: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.\-:]{1,128}$/, "must be 1 to 128 letters, digits, '.', '_', '-' or ':'"))),
  /** Scheduled delivery (docs/scheduling.md): not before this time; a past time sends now. */
  deliverAt: v.optional(TIMESTAMP),
});
export type EmitEventInput = v.InferOutput<typeof EmitEvent>;

export const EmitBatch = v.strictObject({
  events: v.pipe(v.array(v.unknown()), v.minLength(1, "must hold at least one event"), v.maxLength(100, "must hold at most 100 events")),
});

export const TenantId = TENANT_ID;

export const CreateApiKey = v.strictObject({
  tenantId: TENANT_ID,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
});
export const CreatePortalSession = v.strictObject({
  tenantId: TENANT_ID,
  endpointIds: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.\-:]{1,128}$/, "is not an endpoint id"))), v.minLength(1), v.maxLength(50)),
  ),
  expiresIn: v.optional(v.pipe(v.number(), v.integer("must be a whole number of seconds"), v.minValue(60), v.maxValue(PORTAL_MAX_SECONDS))),
});
export const AttemptStatusFilter = v.picklist(["succeeded", "failed", "exhausted", "skipped"]);

/** A `limit` query parameter: 1 to 250, default 50. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 50;
  // Digits only, as the feed reads it: Number() would also take "1e2", " 5" and "0x10".
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 250) {
    throw invalidField("limit", "must be a whole number from 1 to 250");
  }
  return n;
}

/** The deepest nesting of arrays and objects in a JSON value, counted without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** How deep a payload may nest: deeper ones are refused before they reach receivers' parsers. */
export const MAX_PAYLOAD_DEPTH = 32;
