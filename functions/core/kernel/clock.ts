/** Time and randomness, injected so that schedules and logs can be tested without waiting. */
export interface Clock {
  now(): Date;
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date(), random: Math.random };

/** Unix seconds of `days` after `from`: the DynamoDB TTL attribute. */
export function expiresAt(from: Date, days: number): number {
  return Math.floor(from.getTime() / 1000) + days * 86_400;
}
