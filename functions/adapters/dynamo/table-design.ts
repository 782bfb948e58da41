/**
 * The single DynamoDB table's key design, shared by the adapters, the CDK construct and the local
 * stack so that all three create and read the same table.
 *
 * | item     | pk            | sk                      | gsi1pk               | gsi1sk                     |
 * |----------|---------------|-------------------------|----------------------|----------------------------|
 * | endpoint | EP#{id}       | ENDPOINT                | TENANT#{tenant}#EP   | {createdAt}#{id}           |
 * | event    | TENANT#{tenant}#EVENTS#{shard} | {createdAt}#{id} | UNSENT (half-sent) | {createdAt}#{id}     |
 * | event lookup (id not time-ordered) | EV#{id} | EVENT#{tenant} |             |                            |
 * | attempt  | EV#{eventId}  | AT#{endpointId}#{n:06}  | EP#{endpointId}#AT#{shard} | {at}#{eventId}#{n:06} |
 * | API key  | KEY#{id}      | APIKEY                  | APIKEYS              | {createdAt}#{id}           |
 * | manual attempt | EV#{eventId} | AT#{endpointId}#M#{chain}#{n:06} | EP#{endpointId}#AT#{shard} | {at}#{eventId}#M#{chain}#{n:06} |
 * | attempt list | EP#{endpointId}#AL#{shard} | {newest attempt's gsi1sk}#{flush id} |        |                            |
 * | rate window | EP#{id}#R{shard} | RATE#{unix second} |                      |                            |
 * | recovery | EP#{endpointId} | RECOVERY#{id}         |                      |                            |
 * | ordered recovery's resend | EP#{endpointId} | RECOVERY#{id}#Q#{emission key} |  |                      |
 * | endpoint count | TENANT#{tenant} | ENDPOINTS         |                      |                            |
 * | tenant   | TENANT#{tenant} | RECORD                | TENANTS              | {createdAt}#{tenant}       |
 * | tenant deletion | TENANT#{tenant} | DELETION       | DELETIONS            | {requestedAt}#{tenant}     |
 * | event type | ETYPE#{name} | EVENTTYPE              | EVENTTYPES           | {name}                     |
 * | feed counter | FEED#{endpointId} | HEAD              |                      |                            |
 * | feed slot | FEED#{endpointId}#SLOTS | {seq:012}      |                      |                            |
 * | poll lease | POLLS#EP#{endpointId} or POLLS#TENANT#{tenant} | SLOT#{n:04} |     |                            |
 * | Svix memo | SVIX#["{scope}","{name}"] | MEMO        |                      |                            |
 * | scheduled message | SCHED#{eventId} | TENANT#{tenant} | SCHED#DUE#{shard} (held) | {deliverAt}#{tenant}#{eventId} |
 * | scheduled count | TENANT#{tenant} | SCHEDULED        |                      |                            |
 * | push connection | WS#{connectionId} | CONN          | WSEP#{endpointId} (subscribed) | {connectionId}      |
 * | push position | WS#{connectionId} | POS             |                      |                            |
 *
 * A held scheduled message (docs/scheduling.md) is also on gsi2 under `SCHED#TENANT#{tenant}`, sort
 * key `{deliverAt}#{eventId}`: the tenant's list, soonest first. Both index entries are removed when
 * it is sent, cancelled or dropped; the item stays, with its state, until its TTL. The scheduler reads
 * the due index by sort key (`<= {now + lead}~`), so a run that was missed finds everything overdue
 * without walking time buckets; SCHEDULE_SHARDS partitions spread the writes of one busy due time.
 *
 * Scheduled attempt numbers are digits, so `AT#{endpointId}#0` to `AT#{endpointId}#9~` holds the
 * scheduled chain only, and a manual chain (`M#…`) never collides with it nor with another chain.
 * An event's attempts share a partition (`EV#{eventId}`); an endpoint's attempts are read newest first on gsi1.
 * An event is named by its tenant and id. The table itself is the tenant's event list, newest first:
 * an event is kept under `TENANT#{tenant}#EVENTS#{shard}` sorted by `{createdAt}#{id}` (the shard a
 * hash of that sort key), so listing it costs no index copy: one write unit an event, not two. An id
 * made by `newId` spells its creation time (ids.ts `idTime`), so its key follows from tenant and id
 * alone. Any other id (one an Idempotency-Key stands for, one the caller chose, a time-ordered-looking
 * id whose time is not the event's) gets a lookup item `EV#{id}` / `EVENT#{tenant}` holding only its
 * creation time, written first with the condition that makes the id the tenant's once (one more write
 * unit for those events only). The same id in two tenants is two items. Attempts stay in `EV#{eventId}`.
 * Before this, the event itself was the `EV#{id}` / `EVENT#{tenant}` item with a gsi2 copy (gsi2pk
 * `TENANT#{tenant}#EV#{shard}`, gsi2sk `{createdAt}#{id}`), and before that sk `EVENT` (tenant in the
 * item): both are read, for their own tenant only, until their TTL, and the list merges their gsi2 shards.
 * No time bucket in the list's key: without a local secondary index an item collection has no size
 * limit, the shards spread the writes, and a list read newest first needs no walk over empty buckets.
 *
 * Attempts are now written without gsi1 keys (the gsi1 columns above are read until their TTL):
 * the worker lists an endpoint's attempts once per batch, one `attempt list` item per (batch,
 * endpoint) holding their summaries (attempt-list.ts), so an attempt costs one write unit plus its
 * share of a list item.
 * Hot endpoints: DynamoDB takes about 1,000 writes a second on one partition key, and a gsi1 that
 * falls behind throttles the table's writes for every tenant. So an endpoint's per-attempt keys are
 * spread over ATTEMPT_SHARDS gsi1 partitions (`EP#{id}#AT#{0..15}`, chosen by a hash of the
 * attempt's sort key) and its rate window over up to RATE_SHARDS items; readers merge the shards.
 * 10,000 deliveries a second to one endpoint put about 625 on each. Attempts written before the
 * shards, under `EP#{id}#AT`, are read as one more shard until their TTL removes them.
 * A tenant's event list is spread the same way over TENANT_EVENT_SHARDS (`TENANT#{t}#EVENTS#{shard}`),
 * with the old gsi2 shards (`TENANT#{t}#EV#{shard}`) and `TENANT#{t}#EV` read after them.
 * Long-poll leases: one partition per endpoint and per tenant, one item per slot (at most
 * MAX_POLLS_PER_TENANT, 100, items): a poll reads the partition in one strongly consistent Query and
 * writes one slot. A held poll lasts 250 ms at least and writes its slot twice (take, release), so a
 * tenant's partition takes at most 8 writes a second per slot, 800 at 100 slots: under the hot-key
 * limit without shards. Push connections are listed on gsi2 under WSCONNS (sort `P#{id}` before
 * subscribe, `T#{tenant}#{id}` after): one key written at connect, subscribe and disconnect only,
 * while each push rewrites the position item, which no index holds. The shard counts are part of the key format, not
 * settings: changing one needs the old keys read as well.
 */
import { shardOf } from "./sharded-paging.ts";

/** gsi1 partitions an endpoint's attempt list is spread over. */
export const ATTEMPT_SHARDS = 16;
/** Partitions a tenant's event list is spread over: one endpoint's 10,000 deliveries a second are as many events of its tenant. */
export const TENANT_EVENT_SHARDS = 16;
/** gsi1 partitions the scheduled messages' due index is spread over: 8,000 holds a second before one falls behind. */
export const SCHEDULE_SHARDS = 8;
/** Items an endpoint's rate window is counted on, at most (never more than its limit per second). */
export const RATE_SHARDS = 16;

export const TABLE_DESIGN = {
  partitionKey: "pk",
  sortKey: "sk",
  ttlAttribute: "expiresAt",
  indexes: [
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  ],
} as const;

export const keys = {
  endpoint: (id: string) => ({ pk: `EP#${id}`, sk: "ENDPOINT" }),
  tenantEndpoints: (tenantId: string) => `TENANT#${tenantId}#EP`,
  /** An event's lookup item when its id is not time-ordered; before the table became the event list, the event itself. */
  event: (tenantId: string, id: string) => ({ pk: `EV#${id}`, sk: `EVENT#${tenantId}` }),
  /** An event in its tenant's list: the shard follows from the sort key, so (tenant, createdAt, id) names one key. */
  listedEvent: (tenantId: string, createdAt: string, id: string) => {
    const sk = `${createdAt}#${id}`;
    return { pk: `TENANT#${tenantId}#EVENTS#${shardOf(sk, TENANT_EVENT_SHARDS)}`, sk };
  },
  /** One shard of a tenant's event list on the table. */
  tenantEventShard: (tenantId: string, shard: number) => `TENANT#${tenantId}#EVENTS#${shard}`,
  /** Where an event was kept before its key named the tenant; the item's `tenantId` says whose it is. */
  legacyEvent: (id: string) => ({ pk: `EV#${id}`, sk: "EVENT" }),
  /** The partition of an event id: its events (one per tenant that used the id) and their attempts. */
  eventPartition: (id: string) => `EV#${id}`,
  unsentEvents: "UNSENT",
  /** The gsi2 partition of one shard of a tenant's events, written before the table became the list; read until their TTL. */
  tenantEvents: (tenantId: string, shard: number) => `TENANT#${tenantId}#EV#${shard}`,
  /** Where a tenant's events were listed before the shards; read until their TTL. */
  legacyTenantEvents: (tenantId: string) => `TENANT#${tenantId}#EV`,
  attemptChain: (endpointId: string) => `AT#${endpointId}#`,
  attempt: (eventId: string, endpointId: string, n: number) => ({
    pk: `EV#${eventId}`,
    sk: `AT#${endpointId}#${String(n).padStart(6, "0")}`,
  }),
  /** The gsi1 partition of one shard of an endpoint's attempts. */
  endpointAttempts: (endpointId: string, shard: number) => `EP#${endpointId}#AT#${shard}`,
  /** Where an endpoint's attempts were listed before the shards; read until their TTL. */
  legacyEndpointAttempts: (endpointId: string) => `EP#${endpointId}#AT`,
  /** One shard of an endpoint's attempt list written per batch (attempt-list.ts): base-table items, no index copy. */
  endpointAttemptList: (endpointId: string, shard: number) => `EP#${endpointId}#AL#${shard}`,
  endpointAttemptSort: (at: string, eventId: string, n: number) => `${at}#${eventId}#${String(n).padStart(6, "0")}`,
  apiKey: (id: string) => ({ pk: `KEY#${id}`, sk: "APIKEY" }),
  apiKeyList: "APIKEYS",
  /** Every chain of one delivery: the trailing # keeps ep_1 from matching ep_10. */
  deliveryAttempts: (endpointId: string) => `AT#${endpointId}#`,
  manualAttempt: (eventId: string, endpointId: string, chain: string, n: number) => ({
    pk: `EV#${eventId}`,
    sk: `AT#${endpointId}#M#${chain}#${String(n).padStart(6, "0")}`,
  }),
  manualAttemptSort: (at: string, eventId: string, chain: string, n: number) => `${at}#${eventId}#M#${chain}#${String(n).padStart(6, "0")}`,
  rateWindow: (endpointId: string, shard: number, second: number) => ({ pk: `EP#${endpointId}#R${shard}`, sk: `RATE#${second}` }),
  recovery: (endpointId: string, id: string) => ({ pk: `EP#${endpointId}`, sk: `RECOVERY#${id}` }),
  /** A delivery an ordered recovery will resend, sorted by its emission key beside the recovery (the endpoint's partition, erased with it). */
  recoveryStash: (endpointId: string, id: string, key: string) => ({ pk: `EP#${endpointId}`, sk: `RECOVERY#${id}#Q#${key}` }),
  recoveryStashPrefix: (id: string) => `RECOVERY#${id}#Q#`,
  /** How many endpoints a tenant holds: what MAX_ENDPOINTS_PER_TENANT is checked against. */
  endpointCount: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: "ENDPOINTS" }),
  /** A tenant's record: its name, metadata and when it was first seen. */
  tenant: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: "RECORD" }),
  tenantList: "TENANTS",
  /**
   * An entry of the Svix face's memo (an idempotency key's answer, a message id's event), kept until
   * its TTL: each entry its own partition, so one tenant's messages never make a hot key; the pair
   * is JSON, so no scope and name can spell another pair's key.
   */
  svixMemo: (scope: string, name: string) => ({ pk: `SVIX#${JSON.stringify([scope, name])}`, sk: "MEMO" }),
  /** A tenant's tombstone and deletion job, beside its record; listed on gsi1 so the sweeper finds unfinished jobs. */
  tenantDeletion: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: "DELETION" }),
  tenantDeletionList: "DELETIONS",
  /** The partition holding a tenant's record, endpoint count and deletion. */
  tenantPartition: (tenantId: string) => `TENANT#${tenantId}`,
  /** The catalog is global: one item per type name, listed by name on gsi1. */
  eventType: (name: string) => ({ pk: `ETYPE#${name}`, sk: "EVENTTYPE" }),
  eventTypeList: "EVENTTYPES",
  /** A polling endpoint's feed counter: the last number allocated and the key its cursors are signed with. */
  feedHead: (endpointId: string) => ({ pk: `FEED#${endpointId}`, sk: "HEAD" }),
  /** The partition of a feed's slots, apart from its counter: each item is its own hot key (about 1,000 writes/s). */
  feedSlots: (endpointId: string) => `FEED#${endpointId}#SLOTS`,
  feedSlotSort: (seq: number) => String(seq).padStart(12, "0"),
  /** The partition of one scope's long-poll leases: an endpoint's, or a tenant's over all its endpoints. */
  pollLeases: (kind: "endpoint" | "tenant", id: string) => (kind === "endpoint" ? `POLLS#EP#${id}` : `POLLS#TENANT#${id}`),
  pollLeaseSort: (slot: number) => `SLOT#${String(slot).padStart(4, "0")}`,
  /** A scheduled message: one item per (tenant, event), its own partition. */
  scheduled: (tenantId: string, eventId: string) => ({ pk: `SCHED#${eventId}`, sk: `TENANT#${tenantId}` }),
  /** One shard of the due index (gsi1) the scheduler reads. */
  scheduleDue: (shard: number) => `SCHED#DUE#${shard}`,
  scheduleDueSort: (deliverAt: string, tenantId: string, eventId: string) => `${deliverAt}#${tenantId}#${eventId}`,
  /** A tenant's held messages (gsi2), soonest first. */
  tenantScheduled: (tenantId: string) => `SCHED#TENANT#${tenantId}`,
  tenantScheduledSort: (deliverAt: string, eventId: string) => `${deliverAt}#${eventId}`,
  /** How many messages a tenant has waiting: what MAX_SCHEDULED_PER_TENANT is checked against. */
  scheduledCount: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: "SCHEDULED" }),
  /** A WebSocket connection's partition: its record (CONN) and its position in the feed (POS). */
  pushConnection: (connectionId: string) => `WS#${connectionId}`,
  /** The gsi1 partition of an endpoint's subscribed connections. */
  pushEndpoint: (endpointId: string) => `WSEP#${endpointId}`,
  /** The gsi2 partition that lists every connection; sort `P#{id}` (not subscribed) or `T#{tenant}#{id}`. */
  pushConnections: "WSCONNS",
} as const;

/** The endpoint whose feed slot a partition key names (`FEED#{endpointId}#SLOTS`), or undefined for any other item: what the table's stream tells the push function. */
export function feedSlotsEndpoint(pk: string): string | undefined {
  const match = /^FEED#(.+)#SLOTS$/.exec(pk);
  return match?.[1];
}
