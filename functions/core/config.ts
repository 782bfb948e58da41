import { DestinationPolicy } from "./destination-policy.ts";
import { ConfigError } from "./errors.ts";
import { B64TOKEN } from "./principal.ts";
import { parseRetrySchedule, type RetrySchedule } from "./retry-schedule.ts";

/** The validated, frozen configuration of every function. */
export interface Config {
  tableName: string;
  deliveryQueueUrl: string;
  deadLetterQueueUrl: string;
  adminApiKey?: string;
  adminApiKeySecretArn?: string;
  deliveryTimeoutMs: number;
  retrySchedule: RetrySchedule;
  logRetentionDays: number;
  destinationAllowCidrs: string[];
  allowHttpDestinations: boolean;
  maxBodyBytes: number;
  logFormat: "json" | "pretty";
  logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** How long a half-sent event is left to its caller's retry before the sweeper sends the rest. */
  unsentSweepAfterSeconds: number;
  /** An endpoint failing continuously this long is disabled when one of its deliveries is exhausted. */
  endpointDisableAfterHours: number;
  /** Consecutive failed attempts that open an endpoint's circuit. */
  circuitFailureThreshold: number;
  /** The first cool-down of an open circuit; it doubles after each failed probe up to the maximum. */
  circuitCooldownSeconds: number;
  circuitMaxCooldownSeconds: number;
  /** The least wait after 429, 502, 503 or 504. */
  slowDownDelaySeconds: number;
  /** Most endpoints one tenant may hold: bounds how many signed POSTs one event can become. */
  maxEndpointsPerTenant: number;
}

/**
 * Outpost's default. It bounds one event to 20 POSTs and a batch of 100 events to 2,000 messages,
 * and keeps a tenant's endpoints, at most about 40 KB each (20 headers of 1 KB, 100 event types,
 * a 2 KB URL), within the single 1 MB DynamoDB page intake reads to match them.
 */
export const DEFAULT_MAX_ENDPOINTS_PER_TENANT = 20;

const DEFAULT_RETRY_SCHEDULE = "5,300,1800,7200,18000,36000,36000";

const KNOWN = [
  "TABLE_NAME",
  "DELIVERY_QUEUE_URL",
  "DEAD_LETTER_QUEUE_URL",
  "ADMIN_API_KEY",
  "ADMIN_API_KEY_SECRET_ARN",
  "DELIVERY_TIMEOUT_MS",
  "RETRY_SCHEDULE",
  "LOG_RETENTION_DAYS",
  "DESTINATION_ALLOW_CIDRS",
  "ALLOW_HTTP_DESTINATIONS",
  "MAX_BODY_BYTES",
  "LOG_FORMAT",
  "LOG_LEVEL",
  "UNSENT_SWEEP_AFTER_SECONDS",
  "ENDPOINT_DISABLE_AFTER_HOURS",
  "CIRCUIT_FAILURE_THRESHOLD",
  "CIRCUIT_COOLDOWN_SECONDS",
  "CIRCUIT_MAX_COOLDOWN_SECONDS",
  "SLOW_DOWN_DELAY_SECONDS",
  "MAX_ENDPOINTS_PER_TENANT",
] as const;

type Env = Record<string, string | undefined>;

/** Reads and checks the environment once; a misspelled key of ours (one or two letters off) is an error. */
export function parseConfig(env: Env): Readonly<Config> {
  rejectTypos(env);
  const required = (key: (typeof KNOWN)[number]): string => {
    const value = env[key];
    if (!value) throw new ConfigError(`${key} must be set`);
    return value;
  };
  const int = (key: (typeof KNOWN)[number], fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const adminApiKey = env.ADMIN_API_KEY || undefined;
  if (adminApiKey !== undefined && !B64TOKEN.test(adminApiKey)) {
    throw new ConfigError("ADMIN_API_KEY must be a bearer token: letters, digits and - . _ ~ + / (then = padding only)");
  }
  const adminApiKeySecretArn = env.ADMIN_API_KEY_SECRET_ARN || undefined;
  const logFormat = env.LOG_FORMAT ?? "json";
  if (logFormat !== "json" && logFormat !== "pretty") throw new ConfigError(`LOG_FORMAT must be json or pretty`);
  const logLevel = (env.LOG_LEVEL ?? "INFO").toUpperCase();
  if (!["DEBUG", "INFO", "WARN", "ERROR"].includes(logLevel)) throw new ConfigError(`LOG_LEVEL is not a level`);
  let destinationAllowCidrs: string[];
  try {
    destinationAllowCidrs = DestinationPolicy.parseCidrList(env.DESTINATION_ALLOW_CIDRS ?? "");
  } catch (cause) {
    throw new ConfigError(`DESTINATION_ALLOW_CIDRS is not a list of CIDR ranges`, { cause });
  }
  return Object.freeze({
    tableName: required("TABLE_NAME"),
    deliveryQueueUrl: required("DELIVERY_QUEUE_URL"),
    deadLetterQueueUrl: required("DEAD_LETTER_QUEUE_URL"),
    adminApiKey,
    adminApiKeySecretArn,
    deliveryTimeoutMs: int("DELIVERY_TIMEOUT_MS", 15_000, 100, 900_000),
    retrySchedule: parseRetrySchedule(env.RETRY_SCHEDULE || DEFAULT_RETRY_SCHEDULE),
    logRetentionDays: int("LOG_RETENTION_DAYS", 30, 1, 3650),
    destinationAllowCidrs,
    allowHttpDestinations: env.ALLOW_HTTP_DESTINATIONS === "true",
    maxBodyBytes: int("MAX_BODY_BYTES", 256 * 1024, 1024, 1024 * 1024),
    logFormat,
    logLevel: logLevel as Config["logLevel"],
    unsentSweepAfterSeconds: int("UNSENT_SWEEP_AFTER_SECONDS", 60, 0, 86_400),
    maxEndpointsPerTenant: int("MAX_ENDPOINTS_PER_TENANT", DEFAULT_MAX_ENDPOINTS_PER_TENANT, 1, 10_000),
    ...circuitSettings(int),
  });
}

/** Health settings: auto-disable, circuit breaker and slow-down delay (each checked against the others). */
function circuitSettings(int: (key: (typeof KNOWN)[number], fallback: number, min: number, max: number) => number) {
  const circuitCooldownSeconds = int("CIRCUIT_COOLDOWN_SECONDS", 60, 1, 43_200);
  const circuitMaxCooldownSeconds = int("CIRCUIT_MAX_COOLDOWN_SECONDS", Math.max(3600, circuitCooldownSeconds), 1, 43_200);
  if (circuitMaxCooldownSeconds < circuitCooldownSeconds) {
    throw new ConfigError("CIRCUIT_MAX_COOLDOWN_SECONDS must be at least CIRCUIT_COOLDOWN_SECONDS");
  }
  return {
    endpointDisableAfterHours: int("ENDPOINT_DISABLE_AFTER_HOURS", 120, 0, 24 * 365),
    circuitFailureThreshold: int("CIRCUIT_FAILURE_THRESHOLD", 5, 1, 100),
    circuitCooldownSeconds,
    circuitMaxCooldownSeconds,
    slowDownDelaySeconds: int("SLOW_DOWN_DELAY_SECONDS", 60, 0, 3600),
  };
}

function rejectTypos(env: Env): void {
  for (const key of Object.keys(env)) {
    if ((KNOWN as readonly string[]).includes(key)) continue;
    const near = KNOWN.find((known) => distance(key, known) <= 2);
    if (near) throw new ConfigError(`Unknown setting ${key}: did you mean ${near}?`);
  }
}

/** Levenshtein distance, enough to catch a typo in a setting's name. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
