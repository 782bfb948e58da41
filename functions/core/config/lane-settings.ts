/**
 * The delivery lanes' settings: the fast lane's budget, what counts as slow, and the way back to the
 * fast lane. Part of the settings table (settings.ts spreads them in, in this order); like it, this
 * imports only the settings' types.
 */
import type { Setting } from "./setting-kinds.ts";

export const LANE_SETTINGS = {
  fastLaneBudgetMs: {
    kind: "whole",
    env: "FAST_LANE_BUDGET_MS",
    prop: "fastLaneBudget",
    duration: true,
    default: 3_000,
    min: 100,
    max: 885_000,
    unit: "ms",
    meaning:
      "time limit of a POST in the fast lane (at most DELIVERY_TIMEOUT_MS): a POST still unanswered then is cut off, handed to the slow lane with the full timeout, and its endpoint moves to the slow lane",
  },
  slowLaneAfterMs: {
    kind: "whole",
    env: "SLOW_LANE_AFTER_MS",
    prop: "slowLaneAfter",
    duration: true,
    default: 1_000,
    min: 1,
    max: 885_000,
    unit: "ms",
    meaning:
      "an answer slower than this is slow: in the fast lane it moves the endpoint to the slow lane; in the slow or probation lane it breaks the run of fast successes",
  },
  laneExitSuccesses: {
    kind: "whole",
    env: "LANE_EXIT_SUCCESSES",
    prop: "laneExitSuccesses",
    default: 5,
    min: 1,
    max: 1_000,
    unit: "count",
    meaning:
      "consecutive fast 2xx answers that move an endpoint from the slow or probation lane to the fast lane, when it has not left the fast lane recently",
  },
  laneExitMaxSuccesses: {
    kind: "whole",
    env: "LANE_EXIT_MAX_SUCCESSES",
    prop: "laneExitMaxSuccesses",
    default: 640,
    min: 1,
    max: 100_000,
    unit: "count",
    atLeast: "laneExitSuccesses",
    meaning:
      "the cap of the way back's growth: each move out of the fast lane (a POST cut off by its budget, or a slow answer) doubles the fast answers in a row that bring the endpoint back; equal to LANE_EXIT_SUCCESSES, it never grows",
  },
  laneExitDecaySeconds: {
    kind: "whole",
    env: "LANE_EXIT_DECAY_SECONDS",
    prop: "laneExitDecay",
    duration: true,
    default: 3_600,
    min: 1,
    max: 30 * 86_400,
    unit: "s",
    meaning:
      "each period this long an endpoint spends in the fast lane without leaving it forgives one of its moves out, halving the fast answers its next way back takes",
  },
} as const satisfies Record<string, Setting>;
