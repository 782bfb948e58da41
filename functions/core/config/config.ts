import { B64TOKEN } from "../access/principal.ts";
import { ConfigError } from "../kernel/errors.ts";
import { orList } from "../kernel/words.ts";
import { parseRetrySchedule, type RetrySchedule } from "../policy/retry-schedule.ts";
import { parseCidrList } from "../ssrf/cidr-list.ts";
import {
  type ChoiceSetting,
  type CidrsSetting,
  type FlagSetting,
  type ScheduleSetting,
  SETTINGS,
  type Setting,
  type SettingKey,
  settingEntries,
  type TextSetting,
  type WholeSetting,
} from "./settings.ts";

type Table = typeof SETTINGS;
type ValueOf<S> = S extends WholeSetting
  ? number
  : S extends ChoiceSetting<infer V>
    ? V
    : S extends FlagSetting
      ? boolean
      : S extends ScheduleSetting
        ? RetrySchedule
        : S extends CidrsSetting
          ? string[]
          : S extends TextSetting
            ? string
            : never;
type OptionalKey = { [K in SettingKey]: Table[K] extends { kind: "text"; required: false } ? K : never }[SettingKey];

/** The validated, frozen configuration of every function: one field per entry of the settings table. */
export type Config = { [K in Exclude<SettingKey, OptionalKey>]: ValueOf<Table[K]> } & { [K in OptionalKey]?: ValueOf<Table[K]> };

type Env = Record<string, string | undefined>;
const KNOWN: readonly string[] = settingEntries().map(([, setting]) => setting.env);
const KNOWN_SET: ReadonlySet<string> = new Set(KNOWN);

/**
 * The variables Lambda's runtime sets (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html),
 * none within two edits of a setting's name (test/unit/config.test.ts holds that): the typo check
 * skips them, which is most of a function's environment, instead of comparing each with every setting.
 */
export const LAMBDA_RUNTIME_VARIABLES: ReadonlySet<string> = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "_AWS_XRAY_DAEMON_ADDRESS",
  "_AWS_XRAY_DAEMON_PORT",
  "AWS_DEFAULT_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_LAMBDA_LOG_FORMAT",
  "AWS_LAMBDA_LOG_LEVEL",
  "AWS_LAMBDA_RUNTIME_API",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_XRAY_CONTEXT_MISSING",
  "AWS_XRAY_DAEMON_ADDRESS",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
  "LANG",
  "LD_LIBRARY_PATH",
  "NODE_PATH",
  "PATH",
  "TZ",
]);

/** Reads and checks the environment once; a misspelled key of ours (one or two letters off) is an error. */
export function parseConfig(env: Env): Readonly<Config> {
  rejectTypos(env);
  const keys = settingEntries().map(([key]) => key);
  const nameOf = (key: SettingKey) => SETTINGS[key].env;
  const config = readSettings(keys, (key) => env[nameOf(key)], nameOf) as Config;
  if (config.adminApiKey !== undefined && !B64TOKEN.test(config.adminApiKey)) {
    throw new ConfigError("ADMIN_API_KEY must be a bearer token: letters, digits and - . _ ~ + / (then = padding only)");
  }
  return Object.freeze(config);
}

/**
 * Checks the given settings, raw text by key (undefined or empty: the default), naming each by
 * `label` in its error; the construct reads its props through this with the props' names.
 */
export function readSettings(
  keys: readonly SettingKey[],
  raw: (key: SettingKey) => string | undefined,
  label: (key: SettingKey) => string,
): Partial<Config> {
  const values: Record<string, unknown> = {};
  for (const key of keys) values[key] = readSetting(SETTINGS[key], raw(key) || undefined, label(key));
  // A floor set by another setting: raises the default, refuses a value below it.
  for (const key of keys) {
    const setting: Setting = SETTINGS[key];
    if (setting.kind !== "whole" || setting.atLeast === undefined) continue;
    const floorKey = setting.atLeast as SettingKey;
    const floor = (values[floorKey] as number | undefined) ?? (SETTINGS[floorKey] as WholeSetting).default;
    if (raw(key) === undefined || raw(key) === "") values[key] = Math.max(setting.default, floor);
    else if ((values[key] as number) < floor) throw new ConfigError(`${label(key)} must be at least ${label(floorKey)}`);
  }
  return values as Partial<Config>;
}

/** Checks one setting's raw text (undefined: its default) against its entry, naming it by `label` in the error. */
export function readSetting(setting: Setting, raw: string | undefined, label: string): unknown {
  switch (setting.kind) {
    case "whole": {
      if (raw === undefined) return setting.default;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
        throw new ConfigError(`${label} must be a whole number from ${setting.min} to ${setting.max}, got "${raw}"`);
      }
      return value;
    }
    case "choice": {
      const value = raw === undefined ? setting.default : setting.upperCase ? raw.toUpperCase() : raw;
      if (!setting.values.includes(value)) throw new ConfigError(`${label} must be ${orList(setting.values)}, got "${raw}"`);
      return value;
    }
    case "flag":
      if (raw === undefined) return setting.default;
      if (raw !== "true" && raw !== "false") throw new ConfigError(`${label} must be true or false, got "${raw}"`);
      return raw === "true";
    case "schedule":
      try {
        return parseRetrySchedule(raw ?? setting.default);
      } catch (cause) {
        // parseRetrySchedule names the variable; a prop's label goes in front of it.
        if (label === setting.env) throw cause;
        throw new ConfigError(`${label}: ${(cause as Error).message}`, { cause });
      }
    case "cidrs":
      try {
        return parseCidrList(raw ?? setting.default);
      } catch (cause) {
        throw new ConfigError(`${label} is not a list of CIDR ranges, got "${raw}"`, { cause });
      }
    case "text":
      if (setting.required && raw === undefined) throw new ConfigError(`${label} must be set`);
      return raw;
  }
}

/** The environment variables that carry these settings to the functions, as the parser reads them back. */
export function settingsEnvironment(values: Partial<Config>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    env[SETTINGS[key as SettingKey].env] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return env;
}

function rejectTypos(env: Env): void {
  for (const key of Object.keys(env)) {
    if (KNOWN_SET.has(key) || LAMBDA_RUNTIME_VARIABLES.has(key)) continue;
    const near = KNOWN.find((known) => withinTwoEdits(key, known));
    if (near) throw new ConfigError(`Unknown setting ${key}: did you mean ${near}?`);
  }
}

/**
 * Whether `a` becomes `b` in at most two edits (Levenshtein: insert, delete, substitute a letter).
 * Every cold start checks each variable of the environment against each setting, so only the band
 * of the table within two of the diagonal is filled, and a row past two stops it: about 15 cells a
 * pair instead of the whole table (the full table took several ms of a cold start).
 */
export function withinTwoEdits(a: string, b: string): boolean {
  const n = b.length;
  if (Math.abs(a.length - n) > 2) return false;
  // Distances are capped at 3: past two, only "too far" matters. prev and row are rows i-1 and i.
  let prev: number[] = [];
  for (let j = 0; j <= n; j++) prev.push(Math.min(j, 3));
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = new Array(n + 1).fill(3);
    row[0] = Math.min(i, 3);
    let least = row[0];
    for (let j = Math.max(1, i - 2); j <= Math.min(n, i + 2); j++) {
      const substitute = (prev[j - 1] ?? 3) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min((prev[j] ?? 3) + 1, (row[j - 1] ?? 3) + 1, substitute, 3);
      least = Math.min(least, row[j] ?? 3);
    }
    if (least > 2) return false;
    prev = row;
  }
  return (prev[n] ?? 3) <= 2;
}
