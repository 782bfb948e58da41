/**
 * The one table of the functions' settings. The runtime parser (config.ts), the construct's prop
 * validation and environment (lib/function-settings.ts) and the table in docs/configuration.md
 * (`npm run docs:settings`) all derive from it, so a default or a range has this one home. Adding a
 * setting is one entry here; a construct prop for it is the entry's `prop` plus the prop's
 * declaration in lib/dispatcher-props.ts or the props file of its group beside it. It imports only
 * its own types, so anything may read it.
 */

import { DESTINATION_SETTINGS } from "./destination-settings.ts";
import { ENDPOINT_HEALTH_SETTINGS } from "./endpoint-health-settings.ts";
import { LANE_SETTINGS } from "./lane-settings.ts";
import { PUSH_SETTINGS } from "./push-settings.ts";
import { SCHEDULE_SETTINGS } from "./schedule-settings.ts";
import type { Setting } from "./setting-kinds.ts";

export type {
  ChoiceSetting,
  CidrsSetting,
  FlagSetting,
  ScheduleSetting,
  Setting,
  SettingUnit,
  TextSetting,
  WholeSetting,
} from "./setting-kinds.ts";

const stackSets = "set by the stack";

/** Every setting, keyed by its field in the parsed config; docs/configuration.md lists them in this order. */
export const SETTINGS = {
  retrySchedule: {
    kind: "schedule",
    env: "RETRY_SCHEDULE",
    prop: "retrySchedule",
    default: "5,300,1800,7200,18000,36000,36000",
    meaning:
      "delays after each failed attempt, in seconds; its length is the number of retries (the default is Svix's: 8 attempts over about 27.5 h)",
  },
  deliveryTimeoutMs: {
    kind: "whole",
    env: "DELIVERY_TIMEOUT_MS",
    prop: "deliveryTimeout",
    duration: true,
    default: 15_000,
    min: 100,
    // The delivery function's timeout is this plus 15 s, and Lambda allows at most 900 s.
    max: 885_000,
    unit: "ms",
    meaning: "time limit of one delivery attempt",
  },
  logRetentionDays: {
    kind: "whole",
    env: "LOG_RETENTION_DAYS",
    prop: "logRetentionDays",
    default: 30,
    min: 1,
    max: 3650,
    unit: "days",
    meaning: "how long events and attempts are kept, unless the tenant has its own (docs/lifecycle.md)",
  },
  destinationAllowCidrs: {
    kind: "cidrs",
    env: "DESTINATION_ALLOW_CIDRS",
    prop: "destinationAllowCidrs",
    default: "",
    local: "127.0.0.0/8,::1/128",
    meaning: "ranges deliveries may reach although they are not public",
  },
  allowHttpDestinations: {
    kind: "flag",
    env: "ALLOW_HTTP_DESTINATIONS",
    default: false,
    local: "true",
    meaning: "accept `http://` endpoint URLs",
  },
  maxBodyBytes: {
    kind: "whole",
    env: "MAX_BODY_BYTES",
    default: 256 * 1024,
    min: 1024,
    max: 1024 * 1024,
    unit: "bytes",
    meaning: "request body limit",
  },
  eventTypeCacheSeconds: {
    kind: "whole",
    env: "EVENT_TYPE_CACHE_SECONDS",
    default: 10,
    min: 0,
    max: 300,
    unit: "s",
    meaning: "how long a container keeps what it read of the event-type catalog; other containers see a change within it",
  },
  maxEndpointsPerTenant: {
    kind: "whole",
    env: "MAX_ENDPOINTS_PER_TENANT",
    prop: "maxEndpointsPerTenant",
    // Outpost's default: one event becomes at most 20 signed POSTs, and a tenant's endpoints (about
    // 40 KB each at most) fit the single 1 MB DynamoDB page intake reads to match them.
    default: 20,
    min: 1,
    max: 10_000,
    unit: "count",
    meaning: "endpoints one tenant may hold; one more answers `409 quota_exceeded` (bounds how many POSTs one event becomes)",
  },
  ...SCHEDULE_SETTINGS,
  signatureHeaders: {
    kind: "choice",
    env: "SIGNATURE_HEADERS",
    prop: "signatureHeaders",
    values: ["webhook", "svix", "both"],
    default: "webhook",
    meaning:
      "the signature header names of endpoints that choose none: `webhook-*` (Standard Webhooks), `svix-*` (receivers migrated from Svix) or both sets (docs/delivery.md)",
  },
  maxPollsPerEndpoint: {
    kind: "whole",
    env: "MAX_POLLS_PER_ENDPOINT",
    prop: "maxPollsPerEndpoint",
    // One consumer, plus the poll it left behind when it restarted (a poll runs its wait out after its
    // client is gone). Every consumer of one feed sees every item, so more gain little.
    default: 2,
    min: 1,
    max: 10,
    unit: "count",
    meaning:
      "long polls (`wait` > 0) one polling endpoint may hold at once, across the fleet; one more answers `429 too_many_polls` with `Retry-After`",
  },
  maxPollsPerTenant: {
    kind: "whole",
    env: "MAX_POLLS_PER_TENANT",
    prop: "maxPollsPerTenant",
    // At most 100: a tenant's leases are one DynamoDB partition key, and a held poll (250 ms at
    // least) costs two writes there, so 100 slots stay under the ~1,000 writes a second a key takes.
    default: 10,
    min: 1,
    max: 100,
    unit: "count",
    atLeast: "maxPollsPerEndpoint",
    meaning:
      "long polls one tenant may hold at once over all its endpoints, across the fleet (bounds the feed concurrency one tenant takes); one more answers `429 too_many_polls`",
  },
  ...PUSH_SETTINGS,
  unsentSweepAfterSeconds: {
    kind: "whole",
    env: "UNSENT_SWEEP_AFTER_SECONDS",
    default: 60,
    min: 0,
    max: 86_400,
    unit: "s",
    meaning: "how long a half-sent event waits for its caller's retry before the sweeper sends the rest",
  },
  ...ENDPOINT_HEALTH_SETTINGS,
  ...LANE_SETTINGS,
  ...DESTINATION_SETTINGS,
  adminApiKey: {
    kind: "text",
    env: "ADMIN_API_KEY",
    required: false,
    local: "local-admin-key",
    meaning: "the admin API key itself (local use; deployed functions read the secret instead)",
  },
  adminApiKeySecretArn: {
    kind: "text",
    env: "ADMIN_API_KEY_SECRET_ARN",
    required: false,
    meaning: `the Secrets Manager secret holding the admin API key (${stackSets})`,
  },
  portalFrameAncestors: {
    kind: "text",
    env: "PORTAL_FRAME_ANCESTORS",
    required: false,
    meaning:
      "the origins that may frame the customer portal (`frame-ancestors`), space-separated, e.g. `https://app.example.com`; unset, none may",
  },
  apiRoutes: {
    kind: "choice",
    env: "API_ROUTES",
    values: ["all", "api", "feed"],
    default: "all",
    meaning:
      "which routes the function answers (set by the stack): `api` every route, but a long poll answers `400 use_feed_url`; `feed` only the feed and health; `all` both (the local stack)",
  },
  feedUrl: {
    kind: "text",
    env: "FEED_URL",
    required: false,
    meaning: `the feed function's own URL with \`frontDoor: "function-url"\`, told by \`GET /v1/health\` and \`400 use_feed_url\` (${stackSets})`,
  },
  websocketUrl: {
    kind: "text",
    env: "WEBSOCKET_URL",
    required: false,
    meaning: `the WebSocket push URL (\`wss://…\`, \`ws://127.0.0.1:…\` locally), told by \`GET /v1/health\` as \`websocketUrl\` (${stackSets})`,
  },
  websocketCallbackUrl: {
    kind: "text",
    env: "WEBSOCKET_CALLBACK_URL",
    required: false,
    meaning: `where the push function posts frames (the WebSocket API's @connections URL) (${stackSets})`,
  },
  pushDeadlineQueueUrl: {
    kind: "text",
    env: "PUSH_DEADLINE_QUEUE_URL",
    required: false,
    meaning: `the WebSocket push's subscribe-deadline queue (delayed messages that close a connection not subscribed within 10 s); the push function refuses to start without it (${stackSets})`,
  },
  logFormat: {
    kind: "choice",
    env: "LOG_FORMAT",
    values: ["json", "pretty"],
    default: "json",
    local: "pretty",
    meaning: "structured JSON logs in Lambda, one line per attempt locally",
  },
  logLevel: {
    kind: "choice",
    env: "LOG_LEVEL",
    prop: "logLevel",
    values: ["DEBUG", "INFO", "WARN", "ERROR"],
    upperCase: true,
    default: "INFO",
    meaning: "the least level logged",
  },
  tableName: { kind: "text", env: "TABLE_NAME", required: true, meaning: `the DynamoDB table (${stackSets})` },
  deliveryQueueUrl: { kind: "text", env: "DELIVERY_QUEUE_URL", required: true, meaning: `the delivery queue (${stackSets})` },
  deadLetterQueueUrl: { kind: "text", env: "DEAD_LETTER_QUEUE_URL", required: true, meaning: `the dead-letter queue (${stackSets})` },
  slowQueueUrl: {
    kind: "text",
    env: "SLOW_QUEUE_URL",
    required: false,
    meaning: `the slow lane's queue; the delivery function refuses to start without it (${stackSets})`,
  },
  orderedQueueUrl: {
    kind: "text",
    env: "ORDERED_QUEUE_URL",
    required: false,
    meaning: `the ordered FIFO queue of endpoints with \`"ordering": "fifo"\` (docs/ordering.md); without it their deliveries go to the delivery queue unordered (${stackSets})`,
  },
  fairQueues: {
    kind: "flag",
    env: "FAIR_QUEUES",
    prop: "fairQueues",
    // The construct's default follows the partition (lib/fair-queues.ts): on where AWS announced
    // fair queues, off elsewhere, since a standard queue without them refuses MessageGroupId.
    default: true,
    meaning:
      "send every queue message with its tenant as `MessageGroupId`, which makes the standard queues SQS fair queues; `false` leaves it out (the construct turns it off outside the aws, aws-cn and aws-us-gov partitions)",
  },
} as const satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;

/** The table's entries, in order, with their config keys. */
export function settingEntries(): [SettingKey, Setting][] {
  return Object.entries(SETTINGS) as [SettingKey, Setting][];
}

/** The values the local stack gives the settings the environment leaves unset, by variable. */
export function localDefaults(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, setting] of settingEntries()) if (setting.local !== undefined) out[setting.env] = setting.local;
  return out;
}
