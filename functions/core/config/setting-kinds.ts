/** The kinds of setting the settings table (settings.ts) holds, and what each entry states. */

/** What a number counts; a construct prop given as a Duration is converted to it. */
export type SettingUnit = "ms" | "s" | "h" | "days" | "bytes" | "count";

interface SettingBase {
  /** The environment variable the functions read. */
  readonly env: string;
  /** The WebhookDispatcher prop that sets it; absent when the construct sets it itself or leaves it to its default. */
  readonly prop?: string;
  /** One line for docs/configuration.md. */
  readonly meaning: string;
  /** What the local stack (`npm start`) sets when the environment does not. */
  readonly local?: string;
}

/** A whole number in [min, max]. */
export interface WholeSetting extends SettingBase {
  readonly kind: "whole";
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly unit: SettingUnit;
  /** The prop is an aws-cdk-lib Duration, converted to `unit`. */
  readonly duration?: true;
  /** Another whole setting (by config key) this one may not be below; its default is raised to it. */
  readonly atLeast?: string;
}

/** One of a few words; `upperCase` accepts any case. */
export interface ChoiceSetting<V extends string = string> extends SettingBase {
  readonly kind: "choice";
  readonly default: V;
  readonly values: readonly V[];
  readonly upperCase?: true;
}

/** `true` or `false`. */
export interface FlagSetting extends SettingBase {
  readonly kind: "flag";
  readonly default: boolean;
}

/** Comma-separated delays in seconds (see retry-schedule.ts for what SQS allows). */
export interface ScheduleSetting extends SettingBase {
  readonly kind: "schedule";
  readonly default: string;
}

/** Comma-separated CIDR ranges; empty is an empty list. */
export interface CidrsSetting extends SettingBase {
  readonly kind: "cidrs";
  readonly default: "";
}

/** Free text: a name, a URL, a key; `required` ones have no default. */
export interface TextSetting extends SettingBase {
  readonly kind: "text";
  readonly required: boolean;
}

export type Setting = WholeSetting | ChoiceSetting | FlagSetting | ScheduleSetting | CidrsSetting | TextSetting;
