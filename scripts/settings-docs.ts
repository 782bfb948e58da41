/**
 * Writes the Configuration table of docs/configuration.md from the settings table (functions/core/config/settings.ts)
 * between its marker comments: `npm run docs:settings`. A test checks the page is up to date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS, type Setting, type SettingKey, settingEntries } from "../functions/core/config/settings.ts";
import { MAX_DELAY_SECONDS, MAX_SCHEDULE_LENGTH } from "../functions/core/policy/retry-schedule.ts";

export const CONFIGURATION_PATH = join(import.meta.dirname, "..", "docs", "configuration.md");
export const BEGIN_MARKER =
  "<!-- settings:begin (generated from functions/core/config/settings.ts by npm run docs:settings; edit the table there) -->";
export const END_MARKER = "<!-- settings:end -->";

const code = (text: string | number | boolean) => `\`${text}\``;
const number = (n: number) => n.toLocaleString("en-US");
const UNIT_WORDS: Record<string, string> = { ms: "ms", s: "s", h: "h", days: "days", bytes: "bytes", count: "" };

function defaultCell(setting: Setting): string {
  let text: string;
  if (setting.kind === "text") text = setting.required ? "required" : "none";
  else if (setting.kind === "cidrs") text = "empty";
  else text = code(setting.default);
  if (setting.kind === "whole" && setting.atLeast) {
    text += `, or ${code(SETTINGS[setting.atLeast as SettingKey].env)} when ${setting.unit === "count" ? "higher" : "longer"}`;
  }
  return setting.local === undefined ? text : `${text} (local: ${code(setting.local)})`;
}

function acceptsCell(setting: Setting): string {
  switch (setting.kind) {
    case "whole": {
      const range = `${number(setting.min)} to ${number(setting.max)} ${UNIT_WORDS[setting.unit]}`.trimEnd();
      return setting.atLeast ? `${range}, at least ${code(SETTINGS[setting.atLeast as SettingKey].env)}` : range;
    }
    case "choice": {
      const words = setting.values.map(code);
      const list = `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
      return setting.upperCase ? `${list} (any case)` : list;
    }
    case "flag":
      return "`true` or `false`";
    case "schedule":
      return `1 to ${MAX_SCHEDULE_LENGTH} whole seconds, comma-separated, each at most ${number(MAX_DELAY_SECONDS / 1.2)}`;
    case "cidrs":
      return "CIDR ranges, comma-separated";
    case "text":
      return "text";
  }
}

function propCell(setting: Setting): string {
  if (setting.prop === undefined) return "";
  return setting.kind === "whole" && setting.duration ? `${code(setting.prop)} (Duration)` : code(setting.prop);
}

/** The Configuration table as Markdown, one row per setting in the table's order. */
export function renderSettingsTable(): string {
  const rows = settingEntries().map(
    ([, s]) => `| ${code(s.env)} | ${propCell(s)} | ${defaultCell(s)} | ${acceptsCell(s)} | ${s.meaning} |`,
  );
  return ["| variable | construct prop | default | accepts | meaning |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** The page with the text between the markers replaced by the generated table. */
export function withSettingsTable(page: string): string {
  const begin = page.indexOf(BEGIN_MARKER);
  const end = page.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`docs/configuration.md needs the markers ${BEGIN_MARKER} and ${END_MARKER}`);
  return `${page.slice(0, begin + BEGIN_MARKER.length)}\n${renderSettingsTable()}\n${page.slice(end)}`;
}

if (import.meta.main) {
  const before = readFileSync(CONFIGURATION_PATH, "utf8");
  const after = withSettingsTable(before);
  writeFileSync(CONFIGURATION_PATH, after);
  console.log(
    before === after
      ? "docs/configuration.md: Configuration table already up to date"
      : "docs/configuration.md: Configuration table rewritten",
  );
}
