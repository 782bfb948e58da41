/**
 * The props of the WebhookDispatcher that set a function setting, read through the settings table
 * (functions/core/config/settings.ts) with the functions' own parser: the construct refuses at synthesis
 * exactly what a function would refuse at cold start, with the same defaults and ranges.
 */
import { Duration } from "aws-cdk-lib";
import { type Config, readSettings } from "../functions/core/config/config.ts";
import { SETTINGS, type Setting, type SettingKey, settingEntries } from "../functions/core/config/settings.ts";
import { ConfigError } from "../functions/core/kernel/errors.ts";

type Table = typeof SETTINGS;
/** The config keys of the settings the construct exposes as props. */
export type PropSettingKey = { [K in SettingKey]: Table[K] extends { prop: string } ? K : never }[SettingKey];
/** The names of those props. */
export type SettingPropName = Table[PropSettingKey]["prop"];

const settingOf = (key: SettingKey): Setting => SETTINGS[key];

/** The settings the construct exposes as props, by config key. */
export const PROP_SETTING_KEYS: readonly SettingKey[] = settingEntries()
  .filter(([, setting]) => setting.prop !== undefined)
  .map(([key]) => key);

/** The prop's name as errors show it: a Duration prop says which unit its range is in. */
export function propLabel(setting: Setting): string {
  const prop = setting.prop ?? setting.env;
  return setting.kind === "whole" && setting.duration ? `${prop} (${setting.unit})` : prop;
}

/** The prop's value as the text the functions would read from their environment. */
function propText(setting: Setting, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Duration && setting.kind === "whole") {
    const whole = { integral: false };
    if (setting.unit === "ms") return String(value.toMilliseconds(whole));
    if (setting.unit === "h") return String(value.toHours(whole));
    return String(value.toSeconds(whole));
  }
  return Array.isArray(value) ? value.join(",") : String(value);
}

/**
 * The table-backed props with their defaults applied; throws `makeError(message, cause)` naming the
 * prop when one is out of range.
 */
export function functionSettingsFromProps(
  props: object,
  makeError: (message: string, cause: unknown) => Error,
): Pick<Config, PropSettingKey> {
  const given = props as Record<string, unknown>;
  try {
    const values = readSettings(
      PROP_SETTING_KEYS,
      (key) => propText(settingOf(key), given[settingOf(key).prop ?? ""]),
      (key) => propLabel(settingOf(key)),
    );
    return values as Pick<Config, PropSettingKey>;
  } catch (cause) {
    if (cause instanceof ConfigError) throw makeError(cause.message, cause);
    throw cause;
  }
}
