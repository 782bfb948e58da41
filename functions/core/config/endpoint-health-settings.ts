/**
 * The settings of an endpoint's health: the least wait after it asks to slow down, when it is
 * disabled, and its circuit breaker. Part of the settings table (settings.ts spreads them in, in
 * this order); like it, this imports only the settings' types.
 */
import type { Setting } from "./setting-kinds.ts";

export const ENDPOINT_HEALTH_SETTINGS = {
  slowDownDelaySeconds: {
    kind: "whole",
    env: "SLOW_DOWN_DELAY_SECONDS",
    prop: "slowDownDelay",
    duration: true,
    default: 60,
    min: 0,
    max: 3600,
    unit: "s",
    meaning: "the least wait after 429, 502, 503 or 504",
  },
  endpointDisableAfterHours: {
    kind: "whole",
    env: "ENDPOINT_DISABLE_AFTER_HOURS",
    prop: "endpointDisableAfterHours",
    default: 120,
    min: 0,
    max: 24 * 365,
    unit: "h",
    meaning: "an endpoint failing this long is disabled when a delivery to it is exhausted (0: at its first exhausted delivery)",
  },
  circuitFailureThreshold: {
    kind: "whole",
    env: "CIRCUIT_FAILURE_THRESHOLD",
    prop: "circuitFailureThreshold",
    default: 5,
    min: 1,
    max: 100,
    unit: "count",
    meaning: "consecutive failed attempts that open an endpoint's circuit",
  },
  circuitCooldownSeconds: {
    kind: "whole",
    env: "CIRCUIT_COOLDOWN_SECONDS",
    prop: "circuitCooldown",
    duration: true,
    default: 60,
    min: 1,
    max: 43_200,
    unit: "s",
    meaning: "the first cool-down of an open circuit; it doubles after each failed probe",
  },
  circuitMaxCooldownSeconds: {
    kind: "whole",
    env: "CIRCUIT_MAX_COOLDOWN_SECONDS",
    prop: "circuitMaxCooldown",
    duration: true,
    default: 3600,
    min: 1,
    max: 43_200,
    unit: "s",
    atLeast: "circuitCooldownSeconds",
    meaning: "the cap of the cool-down's doubling",
  },
} as const satisfies Record<string, Setting>;
