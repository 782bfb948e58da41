import type { Clock } from "../kernel/clock.ts";

/*
 * The feed's ports and settings: a leaf that the append, read and long-poll modules import. A feed
 * is a numbered list of slots per polling endpoint: a writer takes the next number from a counter,
 * then fills that slot; a reader walks the numbers in order (see read.ts for why none is skipped).
 */

/** What one append carries: the delivery as a webhook POST would send it, less the signature. */
export interface FeedEntry {
  /** Unique per append: a redelivered or replayed event is a new entry with the same event id. */
  id: string;
  eventId: string;
  /** The event's message id, its `webhook-id`; absent for an event from before message ids. */
  messageId?: string;
  eventType: string;
  /** When the event was accepted (RFC 3339). */
  timestamp: string;
  /** The exact JSON text a webhook POST would carry. */
  body: string;
}

/** One numbered slot: an entry, or (no entry) a tombstone a reader wrote over a number its writer never filled. */
export interface FeedSlot {
  seq: number;
  /**
   * Read by the writer's clock just after its number was allocated (an upper bound of the allocation
   * time), or by the reader's clock when it closed the slot.
   */
  allocatedAt: string;
  entry?: FeedEntry;
  /** The slot's TTL (unix seconds), as read: past it, the entry is hidden though TTL has not deleted it yet. */
  expiresAt?: number;
}

/** The feed's counter item: the last number allocated (0: none yet) and the key its cursors are signed with. */
export interface FeedHead {
  seq: number;
  /** Random bytes (base64), made with the counter, never shown: cursors of this feed are HMACs under it. */
  cursorKey: string;
}

/** What the delivery worker needs to append. */
export interface FeedAppender {
  /** Allocates the next number of the endpoint's feed (an atomic counter). */
  allocate(endpointId: string): Promise<number>;
  /** Writes the slot unless it holds something already (an entry or a tombstone); false when it does. */
  fill(endpointId: string, slot: FeedSlot, expiresAt: number): Promise<boolean>;
  /** One slot, read consistently. */
  slot(endpointId: string, seq: number): Promise<FeedSlot | undefined>;
}

/** Removes an event's payload from a feed: its entries keep their place and ids, their body becomes "null". */
export interface FeedExpunger {
  /** Expunges the event's entries in the endpoint's feed; returns how many it changed. */
  expunge(endpointId: string, eventId: string): Promise<number>;
}

/** What a feed reader needs: the counter, slots in number order, and the right to close a hole. */
export interface FeedReader extends FeedAppender {
  /** The counter item, created (with its key) if the feed has none yet; read consistently. */
  head(endpointId: string): Promise<FeedHead>;
  /** Slots numbered `from` to `to` (inclusive) in ascending order, at most `limit` of them; read consistently. */
  slots(endpointId: string, from: number, to: number, limit: number): Promise<FeedSlot[]>;
  /** The lowest-numbered slot allocated at `since` or later, if any. */
  oldestSince(endpointId: string, since: string): Promise<FeedSlot | undefined>;
}

/** Whose long polls a lease counts against: one endpoint's, or every endpoint's of one tenant. */
export interface PollScope {
  kind: "endpoint" | "tenant";
  id: string;
}

/** A long poll's hold on one numbered slot of a scope, until `untilMs` (then anyone may take the slot over). */
export interface PollLease {
  slot: number;
  /** Unique per poll: only its holder releases it. */
  id: string;
  untilMs: number;
}

/**
 * Leases of long polls, shared by every container: each scope has numbered slots, and a slot is held
 * by at most one lease that has not expired. A container serves one request at a time, so only a
 * count kept outside it bounds the fleet; a lease rather than a counter, so that a poll killed
 * before it released its slot frees it by expiring.
 */
export interface PollLeaseStore {
  /** The scope's leases, expired and released ones included; read consistently. */
  leases(scope: PollScope): Promise<PollLease[]>;
  /** Writes the lease into its slot unless a lease still live at `nowMs` holds it; false when one does. */
  take(scope: PollScope, lease: PollLease, nowMs: number): Promise<boolean>;
  /** Ends the lease now, if it still holds its slot. */
  release(scope: PollScope, lease: PollLease): Promise<void>;
}

/** MAX_POLLS_PER_ENDPOINT and MAX_POLLS_PER_TENANT: long polls held at once, across the fleet. */
export interface PollLimits {
  perEndpoint: number;
  perTenant: number;
}

/** Waits; injected so tests drive long polls with a fake clock. */
export type Sleep = (ms: number) => Promise<void>;

/** The feed's settings. */
export interface FeedSettings {
  /** LOG_RETENTION_DAYS: entries are kept this long, and a cursor that fell further behind is expired. */
  logRetentionDays: number;
  /** How long a reader waits for a writer to fill a number it allocated before it closes the slot. */
  holeGraceMs: number;
}

/** A reader's dependencies. */
export interface FeedReadDeps {
  feed: FeedReader;
  clock: Clock;
  settings: FeedSettings;
}

/** The longest `wait` a request may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 20;

/** A writer that dies between its two writes holds readers back this long (SQS redelivers, which appends again). */
export const HOLE_GRACE_MS = 30_000;
/** Entries outlive the retention by a day, so that a cursor still within the retention never meets a deleted entry. */
export const ENTRY_SLACK_DAYS = 1;

/** What the API adds for the feed route. */
export interface FeedApiDeps {
  /** Read by the feed route; expunged by DELETE /v1/events/{id}/payload. */
  feed: FeedReader & FeedExpunger;
  /** Where long polls take their leases. */
  pollLeases: PollLeaseStore;
  pollLimits: PollLimits;
  /** Pauses a long poll between two looks. */
  sleep: Sleep;
  /** Milliseconds the invocation may still spend (Infinity without a deadline): a long poll answers before it ends. */
  timeLeftMs: () => number;
}
