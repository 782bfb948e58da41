import type { Config } from "../config/config.ts";
import type { Endpoint } from "../kernel/model.ts";

/*
 * Hysteresis on the way back to the fast lane. A receiver that answers fast a few times and then
 * hangs once, over and over, would otherwise come back after LANE_EXIT_SUCCESSES fast answers each
 * time and stall the batches it shares for up to FAST_LANE_BUDGET_MS on every cycle. So each move
 * out of the fast lane (a POST cut off by the budget, or an answer slower than SLOW_LANE_AFTER_MS)
 * doubles the run of fast answers the way back takes, up to LANE_EXIT_MAX_SUCCESSES; each
 * LANE_EXIT_DECAY_SECONDS the endpoint then spends in the fast lane without another move forgives
 * one of them (the run halves). The count lives on the endpoint item (`laneDemotions`) and is
 * written only with the move itself: the decay is worked out from `laneSince` when the next move is
 * made, so no success writes anything more than before.
 */

/** How the way back from the slow lane grows with repeated moves out of the fast lane and shrinks with quiet time in it. */
export interface LaneExitRule {
  /** Fast 2xx answers in a row that bring back an endpoint with no recent move out of the fast lane (LANE_EXIT_SUCCESSES). */
  exitSuccesses: number;
  /** The cap of the doubling (LANE_EXIT_MAX_SUCCESSES; equal to exitSuccesses, the way back never grows). */
  maxExitSuccesses: number;
  /** Time in the fast lane without a move out that forgives one recorded move (LANE_EXIT_DECAY_SECONDS). */
  exitDecaySeconds: number;
}

/** The rule of a configuration. */
export function laneExitRule(settings: Pick<Config, "laneExitSuccesses" | "laneExitMaxSuccesses" | "laneExitDecaySeconds">): LaneExitRule {
  return {
    exitSuccesses: settings.laneExitSuccesses,
    maxExitSuccesses: Math.max(settings.laneExitMaxSuccesses, settings.laneExitSuccesses),
    exitDecaySeconds: settings.laneExitDecaySeconds,
  };
}

/** The fewest recorded moves at which the way back reaches its cap; more would only slow the decay. */
export function demotionCap(rule: LaneExitRule): number {
  let level = 0;
  while (rule.exitSuccesses * 2 ** level < rule.maxExitSuccesses) level++;
  return level;
}

/** Fast 2xx answers in a row that bring an endpoint with `demotions` recorded moves back: exitSuccesses × 2^demotions, capped. */
export function exitSuccessesNeeded(rule: LaneExitRule, demotions: number): number {
  const level = Math.min(Math.max(0, Math.floor(demotions)), demotionCap(rule));
  return Math.min(rule.exitSuccesses * 2 ** level, rule.maxExitSuccesses);
}

/** The recorded moves still counted after `quietMs` in the fast lane without one: one forgiven per full decay period. */
export function decayedDemotions(rule: LaneExitRule, demotions: number, quietMs: number): number {
  const periods = Math.floor(Math.max(0, quietMs) / (rule.exitDecaySeconds * 1000));
  return Math.max(0, demotions - periods);
}

/** What the endpoint's recorded moves come to at `now`: decayed by its time in the fast lane, as recorded otherwise. */
export function demotionsNow(rule: LaneExitRule, endpoint: Pick<Endpoint, "lane" | "laneSince" | "laneDemotions">, now: Date): number {
  const recorded = endpoint.laneDemotions ?? 0;
  if ((endpoint.lane ?? "fast") !== "fast") return recorded;
  // In the fast lane since before lanes (no laneSince): quiet for as long as anyone can tell.
  const since = endpoint.laneSince === undefined ? Number.NEGATIVE_INFINITY : Date.parse(endpoint.laneSince);
  return decayedDemotions(rule, recorded, now.getTime() - since);
}

/** The count a move out of the fast lane at `now` records: what is left after the decay, plus this move (never past the cap). */
export function demotionsAfterMove(
  rule: LaneExitRule,
  endpoint: Pick<Endpoint, "lane" | "laneSince" | "laneDemotions">,
  now: Date,
): number {
  return Math.min(demotionsNow(rule, endpoint, now) + 1, demotionCap(rule));
}

/**
 * The run of fast answers the endpoint's way back takes, as the API shows it: in the slow or
 * probation lane what it needs now, in the fast lane what a move out of it now would set.
 */
export function exitSuccessesShown(
  rule: LaneExitRule,
  endpoint: Pick<Endpoint, "lane" | "laneSince" | "laneDemotions">,
  now: Date,
): number {
  const inFast = (endpoint.lane ?? "fast") === "fast";
  return exitSuccessesNeeded(rule, inFast ? demotionsAfterMove(rule, endpoint, now) : (endpoint.laneDemotions ?? 0));
}
