/**
 * The WebhookDispatcher's props resolved: defaults applied, every value checked, and the settings
 * derived from them. A wrong value fails at synthesis with a message naming the prop.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { type Config, settingsEnvironment } from "../functions/core/config/config.ts";
import { FEED_MEMORY_SIZE } from "./dispatcher-feed.ts";
import { type WebhookDispatcherProps, WebhookDispatcherPropsError } from "./dispatcher-props.ts";
import { functionSettingsFromProps, type PropSettingKey } from "./function-settings.ts";
import { type QueueSettings, queueSettings } from "./resource-settings.ts";

/**
 * The props with their defaults applied and their derived settings. The function settings among
 * them (retry schedule, timeout, log retention and level, CIDRs, endpoint health) come from the
 * settings table in functions/core/config/settings.ts.
 */
export interface ResolvedSettings extends Readonly<Pick<Config, PropSettingKey>> {
  /** Those function settings as the environment variables the functions read. */
  readonly functionEnvironment: Readonly<Record<string, string>>;
  readonly queue: QueueSettings;
  readonly functionLogRetention: logs.RetentionDays;
  readonly batchSize: number;
  readonly maxBatchingWindow?: Duration;
  readonly maxConcurrency: number;
  readonly slowLaneMaxConcurrency: number;
  readonly apiMemorySize: number;
  readonly deliveryMemorySize: number;
  readonly deadLetterMemorySize: number;
  readonly feedMemorySize: number;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly frontDoor: "http-api" | "function-url";
  /** DynamoDB's billing mode; with "provisioned", the auto-scaling bounds of each capacity. */
  readonly billing:
    | { mode: "on-demand" }
    | { mode: "provisioned"; minWrite: number; maxWrite: number; minRead: number; maxRead: number; targetUtilizationPercent: number };
  readonly apiReservedConcurrency?: number;
  /** The feed function's reserved concurrency; undefined: `"unreserved"`, the account's pool. */
  readonly feedReservedConcurrency?: number;
  readonly maxMessageAge: Duration;
  readonly failureRateThreshold: number;
  readonly functionErrorThreshold: number;
  readonly functionThrottleThreshold: number;
  /** The feed function's throttle alarm threshold (feedThrottleThreshold, or its default). */
  readonly feedThrottleThreshold: number;
  readonly apiServerErrorThreshold: number;
  readonly tableThrottleThreshold: number;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly tracing: lambda.Tracing;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new WebhookDispatcherPropsError(message);
}

/** Auto scaling's target: consumed over provisioned capacity (bench/support/billing-modes.ts prices at it). */
export const PROVISIONED_TARGET_UTILIZATION_PERCENT = 70;

/** The table's billing mode and, when provisioned, its auto-scaling bounds. */
function resolveBilling(props: WebhookDispatcherProps): ResolvedSettings["billing"] {
  const mode = props.billing ?? "on-demand";
  check(mode === "on-demand" || mode === "provisioned", `billing must be "on-demand" or "provisioned", got ${String(mode)}`);
  if (mode === "on-demand") {
    check(props.provisionedCapacity === undefined, 'provisionedCapacity applies to billing "provisioned" only');
    return { mode };
  }
  const c = props.provisionedCapacity ?? {};
  const minWrite = wholeInRange(c.minWrite ?? 5, 1, 40_000, "provisionedCapacity.minWrite");
  const minRead = wholeInRange(c.minRead ?? 5, 1, 40_000, "provisionedCapacity.minRead");
  const maxWrite = wholeInRange(c.maxWrite ?? 4000, minWrite, 40_000, "provisionedCapacity.maxWrite");
  const maxRead = wholeInRange(c.maxRead ?? 4000, minRead, 40_000, "provisionedCapacity.maxRead");
  return { mode, minWrite, maxWrite, minRead, maxRead, targetUtilizationPercent: PROVISIONED_TARGET_UTILIZATION_PERCENT };
}

function wholeInRange(value: number, min: number, max: number, name: string): number {
  check(Number.isInteger(value) && value >= min && value <= max, `${name} must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

/** The shortest CloudWatch Logs retention period that is at least `days`. */
export function logRetentionFor(days: number): logs.RetentionDays {
  const periods = Object.values(logs.RetentionDays)
    .filter((value): value is number => typeof value === "number" && value !== logs.RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  const period = periods.find((p) => p >= days);
  return (period ?? logs.RetentionDays.TEN_YEARS) as logs.RetentionDays;
}

/** Applies the defaults and checks every prop against what the functions and AWS accept. */
export function resolveSettings(props: WebhookDispatcherProps): ResolvedSettings {
  const functionSettings = functionSettingsFromProps(props, (message, cause) => new WebhookDispatcherPropsError(message, { cause }));
  const { retrySchedule, deliveryTimeoutMs, logRetentionDays } = functionSettings;
  let queue: QueueSettings;
  try {
    queue = queueSettings(retrySchedule, deliveryTimeoutMs);
  } catch (cause) {
    throw new WebhookDispatcherPropsError(`retrySchedule: ${(cause as Error).message}`, { cause });
  }
  const batchSize = wholeInRange(props.batchSize ?? 10, 1, 10_000, "batchSize");
  const windowSeconds = wholeInRange(props.maxBatchingWindow?.toSeconds() ?? 0, 0, 300, "maxBatchingWindow (s)");
  check(batchSize <= 10 || windowSeconds >= 1, "batchSize above 10 needs a maxBatchingWindow of at least 1 second");
  const failureRateThreshold = props.failureRateThreshold ?? 0.5;
  check(
    failureRateThreshold > 0 && failureRateThreshold <= 1,
    `failureRateThreshold must be above 0 and at most 1, got ${failureRateThreshold}`,
  );
  const [first = 0, second = 0] = retrySchedule;
  const throttleRateLimit = wholeInRange(props.throttleRateLimit ?? 1000, 1, 10_000, "throttleRateLimit");
  const frontDoor = props.frontDoor ?? "http-api";
  check(
    frontDoor === "http-api" || frontDoor === "function-url",
    `frontDoor must be "http-api" or "function-url", got ${String(frontDoor)}`,
  );
  check(
    frontDoor === "http-api" || (props.throttleRateLimit === undefined && props.throttleBurstLimit === undefined),
    'throttleRateLimit and throttleBurstLimit apply to the HTTP API only; with frontDoor "function-url" bound the API with apiReservedConcurrency',
  );
  check(
    frontDoor === "http-api" || props.apiReservedConcurrency !== undefined,
    'frontDoor "function-url" needs apiReservedConcurrency: without API Gateway\'s throttling it is what bounds a flood of requests',
  );
  const billing = resolveBilling(props);
  const feedReservedConcurrency = resolveFeedConcurrency(props.feedReservedConcurrency, functionSettings.maxPollsPerTenant);
  const functionThrottleThreshold = wholeInRange(props.functionThrottleThreshold ?? 1, 1, 1_000_000, "functionThrottleThreshold");
  return {
    ...functionSettings,
    ...(feedReservedConcurrency !== undefined && { feedReservedConcurrency }),
    functionEnvironment: settingsEnvironment(functionSettings),
    queue,
    functionLogRetention: logRetentionFor(logRetentionDays),
    batchSize,
    maxBatchingWindow: props.maxBatchingWindow,
    maxConcurrency: wholeInRange(props.maxConcurrency ?? 20, 2, 1000, "maxConcurrency"),
    slowLaneMaxConcurrency: wholeInRange(props.slowLaneMaxConcurrency ?? 10, 2, 1000, "slowLaneMaxConcurrency"),
    apiMemorySize: wholeInRange(props.apiMemorySize ?? 512, 128, 10_240, "apiMemorySize"),
    deliveryMemorySize: wholeInRange(props.deliveryMemorySize ?? 512, 128, 10_240, "deliveryMemorySize"),
    deadLetterMemorySize: wholeInRange(props.deadLetterMemorySize ?? 256, 128, 10_240, "deadLetterMemorySize"),
    feedMemorySize: wholeInRange(props.feedMemorySize ?? FEED_MEMORY_SIZE, 128, 10_240, "feedMemorySize"),
    throttleRateLimit,
    frontDoor,
    billing,
    ...(props.apiReservedConcurrency !== undefined && {
      apiReservedConcurrency: wholeInRange(props.apiReservedConcurrency, 1, 10_000, "apiReservedConcurrency"),
    }),
    throttleBurstLimit: wholeInRange(props.throttleBurstLimit ?? Math.min(5000, 2 * throttleRateLimit), 1, 5000, "throttleBurstLimit"),
    maxMessageAge: props.maxMessageAge ?? Duration.seconds(Math.max(900, Math.ceil(1.2 * (first + second)) + 300)),
    failureRateThreshold,
    // Counts per 5-minute period; at least one, since an alarm at 0 would always be raised.
    functionErrorThreshold: wholeInRange(props.functionErrorThreshold ?? 1, 1, 1_000_000, "functionErrorThreshold"),
    functionThrottleThreshold,
    // Long polls at capacity throttle as expected: by default the feed alarms at a whole pool refused.
    feedThrottleThreshold: wholeInRange(
      props.feedThrottleThreshold ?? feedReservedConcurrency ?? functionThrottleThreshold,
      1,
      1_000_000,
      "feedThrottleThreshold",
    ),
    apiServerErrorThreshold: wholeInRange(props.apiServerErrorThreshold ?? 1, 1, 1_000_000, "apiServerErrorThreshold"),
    tableThrottleThreshold: wholeInRange(props.tableThrottleThreshold ?? 1, 1, 1_000_000, "tableThrottleThreshold"),
    encryptionKey: props.encryptionKey,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    tracing: props.tracing ?? lambda.Tracing.DISABLED,
  };
}

/** The feed's own reserved concurrency by default: 100 long polls, ten tenants at the default limit. */
export const DEFAULT_FEED_RESERVED_CONCURRENCY = 100;

/**
 * The feed function's reservation: a whole number, or undefined for `"unreserved"`. A reservation
 * below one tenant's poll limit would let a single tenant hold the whole feed.
 */
function resolveFeedConcurrency(value: number | "unreserved" | undefined, maxPollsPerTenant: number): number | undefined {
  if (value === "unreserved") return undefined;
  check(
    value !== 0,
    'feedReservedConcurrency 0 would throttle every feed request; pass "unreserved" to run the feed in the account\'s unreserved pool',
  );
  const reserved = wholeInRange(value ?? DEFAULT_FEED_RESERVED_CONCURRENCY, 1, 10_000, 'feedReservedConcurrency (or "unreserved")');
  check(
    maxPollsPerTenant <= reserved,
    `maxPollsPerTenant (${maxPollsPerTenant}) must be at most feedReservedConcurrency (${reserved}): otherwise one tenant can hold the whole feed`,
  );
  return reserved;
}
