/*
 * What the Svix face remembers beyond the core's records: the answer to a request made with an
 * `idempotency-key`, and the event a message id (`msg_…`) names. Each entry is written once, read
 * by its scope and name, and dropped at its TTL.
 */

/** Entries by scope and name; the first write of a name stands. */
export interface SvixMemo {
  /** Stores `value` under (scope, name) unless something is there; returns what is stored now. */
  remember(scope: string, name: string, value: string, expiresAt: number): Promise<string>;
  /** What is stored under (scope, name), if anything; an entry past its TTL may linger (DynamoDB removes it within days). */
  recall(scope: string, name: string): Promise<MemoEntry | undefined>;
}

/** A stored entry and when it expires (unix seconds). */
export interface MemoEntry {
  value: string;
  expiresAt: number;
}

/** The entry's value while it is live at `now`. */
export function live(entry: MemoEntry | undefined, now: Date): string | undefined {
  return entry && entry.expiresAt * 1000 > now.getTime() ? entry.value : undefined;
}

/** How long an idempotency key's answer is kept: Svix keeps keys 12 hours. */
export const IDEMPOTENCY_SECONDS = 12 * 3600;
