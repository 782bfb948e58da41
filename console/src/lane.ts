import type { Endpoint } from "./types.ts";

/**
 * The endpoint's lane, since when (`when` formats the time), and its way back: the run of fast
 * answers it has, of the run it needs, after its recent moves out of the fast lane.
 */
export function laneFact(e: Endpoint, when: (iso: string) => string): string {
  const since = e.laneSince ? ` since ${when(e.laneSince)}` : "";
  const moves = e.laneDemotions === 1 ? "1 recent move out of the fast lane" : `${e.laneDemotions} recent moves out of the fast lane`;
  if (e.lane === "fast") return `fast${since}${e.laneDemotions > 0 ? `; ${moves}` : ""}`;
  return `${e.lane}${since}, ${e.laneFastSuccesses} of ${e.laneFastSuccessesNeeded} fast answers in a row to return${e.laneDemotions > 0 ? ` (${moves})` : ""}`;
}
