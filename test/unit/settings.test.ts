/**
 * The settings table and its three consumers agree: the functions' parser (config.ts), the
 * construct's prop validation (resolveSettings) and the Configuration table of docs/configuration.md. Every case is
 * generated from the table, so a new setting is checked without a new test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Duration } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/core/config/config.ts";
import { SETTINGS, type Setting, type SettingKey, settingEntries, type WholeSetting } from "../../functions/core/config/settings.ts";
import { ConfigError } from "../../functions/core/kernel/errors.ts";
import { type WebhookDispatcherProps, WebhookDispatcherPropsError } from "../../lib/dispatcher-props.ts";
import { PROP_SETTING_KEYS } from "../../lib/function-settings.ts";
import { type ResolvedSettings, resolveSettings } from "../../lib/resolved-settings.ts";
import { BEGIN_MARKER, CONFIGURATION_PATH, END_MARKER, renderSettingsTable } from "../../scripts/settings-docs.ts";

const base = { TABLE_NAME: "t", DELIVERY_QUEUE_URL: "q", DEAD_LETTER_QUEUE_URL: "d" };
const entries = settingEntries();
const wholes = entries.filter((e): e is [SettingKey, WholeSetting] => e[1].kind === "whole");
const withProp = <S extends Setting>(list: [SettingKey, S][]) => list.filter(([key]) => PROP_SETTING_KEYS.includes(key));

/** A whole number as its prop takes it: a Duration in the setting's unit, or the number itself. */
function propValue(setting: WholeSetting, value: number): unknown {
  if (!setting.duration) return value;
  if (setting.unit === "ms") return Duration.millis(value);
  if (setting.unit === "h") return Duration.hours(value);
  return Duration.seconds(value);
}

/** Another setting this one must not be below, held at its minimum so that this one's minimum is valid. */
function floorOf(setting: WholeSetting): { key: SettingKey; setting: WholeSetting } | undefined {
  if (!setting.atLeast) return undefined;
  const key = setting.atLeast as SettingKey;
  return { key, setting: SETTINGS[key] as WholeSetting };
}

function envWith(setting: WholeSetting, value: number): Record<string, string> {
  const floor = floorOf(setting);
  return { ...base, ...(floor && { [floor.setting.env]: String(floor.setting.min) }), [setting.env]: String(value) };
}

function propsWith(setting: WholeSetting, value: number): WebhookDispatcherProps {
  const floor = floorOf(setting);
  return {
    ...(floor && { [floor.setting.prop as string]: propValue(floor.setting, floor.setting.min) }),
    [setting.prop as string]: propValue(setting, value),
  } as WebhookDispatcherProps;
}

/** The table's default as the parser returns it. */
function tableDefault(setting: Setting): unknown {
  switch (setting.kind) {
    case "schedule":
      return setting.default.split(",").map(Number);
    case "cidrs":
      return [];
    case "text":
      return (base as Record<string, string>)[setting.env];
    default:
      return setting.default;
  }
}

const resolvedValue = (settings: ResolvedSettings, key: SettingKey) => (settings as unknown as Record<string, unknown>)[key];

describe("the settings table", () => {
  it("names each variable and each prop once", () => {
    const envs = entries.map(([, s]) => s.env);
    const props = entries.flatMap(([, s]) => (s.prop ? [s.prop] : []));
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(props).size).toBe(props.length);
    for (const [, s] of wholes) expect(s.min <= s.default && s.default <= s.max, s.env).toBe(true);
  });

  it.each(entries)("%s: the parser's default is the table's", (key, setting) => {
    const config = parseConfig(base) as unknown as Record<string, unknown>;
    expect(config[key]).toEqual(tableDefault(setting));
  });

  it("gives the construct's defaults to the functions unchanged: the environment it sets parses to the table's defaults", () => {
    const resolved = resolveSettings({});
    const config = parseConfig({ ...base, ...resolved.functionEnvironment }) as unknown as Record<string, unknown>;
    const defaults = parseConfig(base) as unknown as Record<string, unknown>;
    expect(Object.keys(resolved.functionEnvironment).sort()).toEqual(PROP_SETTING_KEYS.map((k) => SETTINGS[k].env).sort());
    for (const key of PROP_SETTING_KEYS) {
      expect(resolvedValue(resolved, key), key).toEqual(defaults[key]);
      expect(config[key], key).toEqual(defaults[key]);
    }
  });
});

describe("whole-number settings: both ends accepted, one past either end refused", () => {
  it.each(wholes)("%s by the parser", (key, setting) => {
    expect((parseConfig(envWith(setting, setting.min)) as unknown as Record<string, unknown>)[key]).toBe(setting.min);
    expect((parseConfig(envWith(setting, setting.max)) as unknown as Record<string, unknown>)[key]).toBe(setting.max);
    for (const outside of [setting.min - 1, setting.max + 1]) {
      expect(() => parseConfig(envWith(setting, outside))).toThrow(ConfigError);
      expect(() => parseConfig(envWith(setting, outside))).toThrow(`${setting.env} must be a whole number from ${setting.min}`);
    }
  });

  it.each(withProp(wholes))("%s by the construct, and the functions read back what it set", (key, setting) => {
    for (const inside of [setting.min, setting.max]) {
      const resolved = resolveSettings(propsWith(setting, inside));
      expect(resolvedValue(resolved, key)).toBe(inside);
      expect((parseConfig({ ...base, ...resolved.functionEnvironment }) as unknown as Record<string, unknown>)[key]).toBe(inside);
    }
    // A Duration cannot be negative, so a minimum of 0 has no "one below" to give the construct.
    const outside = [setting.max + 1, ...(setting.duration && setting.min === 0 ? [] : [setting.min - 1])];
    for (const value of outside) {
      expect(() => resolveSettings(propsWith(setting, value))).toThrow(WebhookDispatcherPropsError);
      expect(() => resolveSettings(propsWith(setting, value))).toThrow(`${setting.prop}`);
    }
  });

  it("refuses a maximum cool-down below the first, in both", () => {
    expect(() => parseConfig({ ...base, CIRCUIT_COOLDOWN_SECONDS: "120", CIRCUIT_MAX_COOLDOWN_SECONDS: "60" })).toThrow(
      "CIRCUIT_MAX_COOLDOWN_SECONDS must be at least CIRCUIT_COOLDOWN_SECONDS",
    );
    expect(() => resolveSettings({ circuitCooldown: Duration.seconds(120), circuitMaxCooldown: Duration.seconds(60) })).toThrow(
      "circuitMaxCooldown (s) must be at least circuitCooldown (s)",
    );
    expect(parseConfig({ ...base, CIRCUIT_COOLDOWN_SECONDS: "7200" }).circuitMaxCooldownSeconds).toBe(7200);
    expect(resolveSettings({ circuitCooldown: Duration.hours(2) }).circuitMaxCooldownSeconds).toBe(7200);
  });
});

describe("other kinds: what one accepts, both accept", () => {
  const refused: Partial<Record<Setting["kind"], string>> = {
    choice: "nope",
    flag: "yes",
    schedule: "5,soon",
    cidrs: "10.0.0.0/33",
  };
  const others = entries.filter(([, s]) => refused[s.kind] !== undefined);

  it.each(others)("%s refuses a bad value in the parser and, when it is a prop, in the construct", (_key, setting) => {
    const bad = refused[setting.kind] as string;
    expect(() => parseConfig({ ...base, [setting.env]: bad })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, [setting.env]: bad })).toThrow(setting.env);
    if (!setting.prop) return;
    const props = { [setting.prop]: setting.kind === "cidrs" ? [bad] : bad } as WebhookDispatcherProps;
    expect(() => resolveSettings(props)).toThrow(WebhookDispatcherPropsError);
    expect(() => resolveSettings(props)).toThrow(setting.prop);
  });

  it.each(entries.filter(([, s]) => s.kind === "choice"))("%s accepts each of its words in both", (key, setting) => {
    if (setting.kind !== "choice") throw new Error("not a choice");
    for (const word of setting.values) {
      expect((parseConfig({ ...base, [setting.env]: word }) as unknown as Record<string, unknown>)[key]).toBe(word);
      if (setting.prop) expect(resolvedValue(resolveSettings({ [setting.prop]: word } as WebhookDispatcherProps), key)).toBe(word);
    }
  });

  it("requires the variables the stack sets", () => {
    for (const [, setting] of entries) {
      if (setting.kind !== "text" || !setting.required) continue;
      expect(() => parseConfig({ ...base, [setting.env]: "" })).toThrow(`${setting.env} must be set`);
    }
  });
});

describe("the Configuration table of docs/configuration.md", () => {
  it("is the one the settings table generates (run `npm run docs:settings` after changing a setting)", () => {
    const readme = readFileSync(CONFIGURATION_PATH, "utf8");
    const region = readme.slice(readme.indexOf(BEGIN_MARKER) + BEGIN_MARKER.length, readme.indexOf(END_MARKER));
    expect(region.trim()).toBe(renderSettingsTable());
  });

  it("lists every setting by its variable, with its prop", () => {
    const table = renderSettingsTable();
    for (const [, setting] of entries) {
      const row = table.split("\n").find((line) => line.startsWith(`| \`${setting.env}\` |`));
      expect(row, setting.env).toBeDefined();
      if (setting.prop) expect(row).toContain(`\`${setting.prop}\``);
    }
  });
});

describe("the props' documentation", () => {
  const lib = join(import.meta.dirname, "..", "..", "lib");
  const main = readFileSync(join(lib, "dispatcher-props.ts"), "utf8");
  // The props interface extends the groups of props declared beside it (delivery, feed, alarms).
  const parts = [...main.matchAll(/from "\.\/([\w-]+-props\.ts)"/g)].map((m) => readFileSync(join(lib, m[1] as string), "utf8"));
  const source = [main, ...parts].join("\n");
  /** The `@default` line of a prop's TSDoc. */
  const documentedDefault = (prop: string) => {
    const doc = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*readonly ${prop}\\?:`).exec(source)?.[1] ?? "";
    return /@default (.*)/.exec(doc)?.[1] ?? "";
  };

  it.each(withProp(entries))("%s: the @default of its prop says the table's default", (_key, setting) => {
    const text = documentedDefault(setting.prop as string);
    if (setting.kind === "whole" && setting.duration) {
      const [, unit, amount] = /Duration\.(millis|seconds|minutes|hours)\((\d+)\)/.exec(text) ?? [];
      const duration = (Duration[unit as "seconds"] as (n: number) => Duration)(Number(amount));
      const inUnit = setting.unit === "ms" ? duration.toMilliseconds() : duration.toSeconds();
      expect(inUnit).toBe(setting.default);
    } else if (setting.kind === "whole") {
      expect(Number(text.split(" ")[0])).toBe(setting.default);
    } else if (setting.kind === "cidrs") {
      expect(text.startsWith("[]")).toBe(true);
    } else if (setting.kind === "choice" || setting.kind === "schedule") {
      expect(text.startsWith(JSON.stringify(setting.default))).toBe(true);
    } else if (setting.kind === "flag") {
      // The construct may choose by where it is deployed (fairQueues: the partition); the table's default comes first.
      expect(text.replace(/^- /, "").split(" ")[0]).toBe(String(setting.default));
    } else {
      throw new Error(`no documentation check for a ${setting.kind} prop`);
    }
  });
});
