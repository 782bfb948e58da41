/**
 * The local stack's own settings (`npm start`, `npm run receiver`): read from the environment once
 * and checked before anything starts, so a wrong value stops it with one line naming the variable.
 * The functions' settings live in functions/core/config/settings.ts; these exist only on a laptop, and the
 * docs/configuration.md lists them ("Local stack only").
 */
import { readSetting } from "../functions/core/config/config.ts";
import type { SettingUnit, WholeSetting } from "../functions/core/config/settings.ts";
import { ConfigError } from "../functions/core/kernel/errors.ts";
import { isValidSecret } from "../functions/core/kernel/signing.ts";

const whole = (env: string, value: number, min: number, max: number, unit: SettingUnit, meaning: string): WholeSetting => ({
  kind: "whole",
  env,
  default: value,
  min,
  max,
  unit,
  meaning,
});

/** The whole-number settings, checked by the same reader as the functions' settings. */
export const LOCAL_SETTINGS = {
  port: whole("PORT", 3000, 0, 65_535, "count", "the API's port on 127.0.0.1 (0: any free port)"),
  wsPort: whole(
    "WS_PORT",
    3001,
    0,
    65_535,
    "count",
    "the WebSocket push server's port on 127.0.0.1 (0: any free port); unset, PORT + 1 (any free port when PORT is 0)",
  ),
  receiverPort: whole("RECEIVER_PORT", 4000, 1, 65_535, "count", "the port of `npm run receiver`, which the walkthrough uses"),
  concurrency: whole("LOCAL_CONCURRENCY", 4, 1, 1_000, "count", "delivery pollers of the fast lane"),
  slowConcurrency: whole("LOCAL_SLOW_CONCURRENCY", 4, 1, 1_000, "count", "delivery pollers of the slow lane"),
  sweepIntervalMs: whole("LOCAL_SWEEP_INTERVAL_MS", 30_000, 100, 86_400_000, "ms", "how often the sweeper runs"),
  scheduleIntervalMs: whole(
    "LOCAL_SCHEDULE_INTERVAL_MS",
    60_000,
    100,
    60_000,
    "ms",
    "how often the scheduler moves due scheduled messages (AWS: every minute)",
  ),
  visibilityTimeoutSeconds: whole("LOCAL_VISIBILITY_TIMEOUT_SECONDS", 0, 0, 43_200, "s", "the delivery queue's visibility timeout"),
  outageMs: whole("LOCAL_OUTAGE_MS", 5_000, 1, 3_600_000, "ms", "how long SIGUSR2 cuts the emulators off (--fault-injection)"),
} as const;

const OUTAGE_TARGETS = ["dynamodb", "sqs"] as const;

/** What `npm start` reads from its environment, checked. */
export interface LocalSettings {
  port: number;
  wsPort: number;
  receiverPort: number;
  /** DATA_DIR, `.data` when unset. */
  dataDir: string;
  concurrency: number;
  slowConcurrency: number;
  sweepIntervalMs: number;
  scheduleIntervalMs: number;
  /** Unset leaves the queue's own setting (derived from the retry schedule). */
  visibilityTimeoutSeconds: number | undefined;
  outageMs: number;
  outageTargets: readonly ("dynamodb" | "sqs")[];
  /** Started by an npm script (`npm start`), which this process should not outlive. */
  startedByNpm: boolean;
}

type Env = Record<string, string | undefined>;

const read = (key: keyof typeof LOCAL_SETTINGS, env: Env) => {
  const setting = LOCAL_SETTINGS[key];
  return readSetting(setting, env[setting.env] || undefined, setting.env) as number;
};

/** Reads and checks the local stack's settings; a wrong value throws a ConfigError naming its variable. */
export function readLocalSettings(env: Env): Readonly<LocalSettings> {
  const targets = (env.LOCAL_OUTAGE_TARGETS || OUTAGE_TARGETS.join(",")).split(",").map((t) => t.trim());
  const wrong = targets.find((t) => !(OUTAGE_TARGETS as readonly string[]).includes(t));
  if (wrong !== undefined) throw new ConfigError(`LOCAL_OUTAGE_TARGETS must be dynamodb, sqs or both (comma-separated), got "${wrong}"`);
  return Object.freeze({
    port: read("port", env),
    wsPort: env.WS_PORT ? read("wsPort", env) : read("port", env) === 0 ? 0 : Math.min(read("port", env) + 1, 65_535),
    receiverPort: read("receiverPort", env),
    dataDir: env.DATA_DIR || ".data",
    concurrency: read("concurrency", env),
    slowConcurrency: read("slowConcurrency", env),
    sweepIntervalMs: read("sweepIntervalMs", env),
    scheduleIntervalMs: read("scheduleIntervalMs", env),
    visibilityTimeoutSeconds: env.LOCAL_VISIBILITY_TIMEOUT_SECONDS ? read("visibilityTimeoutSeconds", env) : undefined,
    outageMs: read("outageMs", env),
    outageTargets: targets as ("dynamodb" | "sqs")[],
    startedByNpm: env.npm_lifecycle_event !== undefined,
  });
}

/** What `npm run receiver` reads: its port, and the secret it checks signatures with, if any. */
export function readReceiverSettings(env: Env): { port: number; secret: string | undefined } {
  const secret = env.WEBHOOK_SECRET || undefined;
  if (secret !== undefined && !isValidSecret(secret)) {
    // The value is a secret: its length is said, never the value.
    throw new ConfigError(
      `WEBHOOK_SECRET must be an endpoint's secret as GET /v1/endpoints/{id}/secret shows it: whsec_ followed by base64 of 24 to 64 bytes (got ${secret.length} characters${secret.startsWith("whsec_") ? "" : " not starting with whsec_"})`,
    );
  }
  return { port: read("receiverPort", env), secret };
}
