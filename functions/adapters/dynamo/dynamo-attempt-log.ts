import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { AttemptRecord, AttemptStatus, AttemptSummary } from "../../core/kernel/model.ts";
import type { AttemptLog, Page } from "../../core/kernel/ports.ts";
import { type PersistenceTime, persistently } from "../lambda/persistent-call.ts";
import {
  attemptItemKey,
  attemptKey,
  type ChunkRead,
  itemBoundFor,
  listItemSort,
  listItems,
  mergeChunks,
  summariesOf,
} from "./attempt-list.ts";
import { cursorBound, dynamo, encodeCursor, invalidCursor, queryAll, sortRange } from "./dynamo-paging.ts";
import { shardOf } from "./sharded-paging.ts";
import { ATTEMPT_SHARDS, keys, TABLE_DESIGN } from "./table-design.ts";

type Item = Record<string, unknown>;
const KEY_ATTRIBUTES = new Set(["pk", "sk", "gsi1pk", "gsi1sk"]);
/** Fits in the delivery function's 15 s of headroom over the HTTP timeout. */
export const RECORD_BUDGET_MS = 5_000;
/** How the list is named in cursors: as before the per-batch list, so a cursor given out then still works. */
const CURSOR_KEYS = { partitionKey: "gsi1pk", sortKey: "gsi1sk" } as const;

/** An entry of a merged page: its key, and the record (full from a gsi1 item, a summary from a list item). */
interface Listed {
  key: string;
  record: AttemptSummary | AttemptRecord;
  full: boolean;
}

/** What one read of the endpoint's list keeps. */
interface Range {
  bound?: string;
  since?: string;
  status?: AttemptStatus;
}

/**
 * The delivery log: one item per attempt in its event's partition (no index keys: one write unit),
 * and the endpoint's attempt list (attempt-list.ts) on ATTEMPT_SHARDS base-table partitions. With
 * `listPerBatch` (the delivery and dead-letter functions) a record is listed at the next
 * `flushLists()`, which the function calls once per batch; otherwise each record is listed as it is written.
 */
export class DynamoAttemptLog implements AttemptLog {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly time: PersistenceTime & { remainingMs(): number };
  private readonly listPerBatch: boolean;
  /** Recorded, not yet listed: this container's, since its last flush. */
  private pending: AttemptRecord[] = [];

  /** `time.remainingMs` caps the record's budget by what the invocation has left. */
  constructor(
    client: DynamoDBDocumentClient,
    table: string,
    time: PersistenceTime & { remainingMs(): number },
    options: { listPerBatch?: boolean } = {},
  ) {
    this.client = client;
    this.table = table;
    this.time = time;
    this.listPerBatch = options.listPerBatch ?? false;
  }

  async record(attempt: AttemptRecord): Promise<void> {
    const { eventId, endpointId, chain, attempt: n } = attempt;
    const item = {
      ...(chain === undefined ? keys.attempt(eventId, endpointId, n) : keys.manualAttempt(eventId, endpointId, chain, n)),
      ...attempt,
    };
    // The attempt usually follows a POST that reached the receiver: losing this write means a duplicate.
    await this.persistently(() => dynamo("record attempt", () => this.client.send(new PutCommand({ TableName: this.table, Item: item }))));
    if (this.listPerBatch) this.pending.push(attempt);
    else await this.persistently(() => this.writeList([attempt]));
  }

  /**
   * Lists what was recorded since the last flush: one item per endpoint (more when its attempts
   * exceed one write unit). On failure the records stay pending for the next flush.
   */
  async flushLists(): Promise<void> {
    const taken = this.pending.splice(0);
    if (taken.length === 0) return;
    try {
      await this.persistently(() => this.writeList(taken));
    } catch (error) {
      this.pending.unshift(...taken);
      throw error;
    }
  }

  listAgain(attempt: AttemptRecord): void {
    if (this.listPerBatch) this.pending.push(attempt);
  }

  async ofDelivery(eventId: string, endpointId: string): Promise<AttemptRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :delivery)",
      ExpressionAttributeValues: { ":pk": keys.eventPartition(eventId), ":delivery": keys.deliveryAttempts(endpointId) },
      ConsistentRead: true,
    });
    return items.map(toAttempt);
  }

  async allOfEvent(tenantId: string, eventId: string): Promise<AttemptRecord[]> {
    // The partition holds the attempts of every tenant's event of this id: keep the tenant's.
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :at)",
      FilterExpression: "tenantId = :tenant",
      ExpressionAttributeValues: { ":pk": keys.eventPartition(eventId), ":at": "AT#", ":tenant": tenantId },
      ConsistentRead: true,
    });
    return items.map(toAttempt);
  }

  /** The page's records in full: a list item's summaries are read from their attempt items (BatchGet). */
  async byEndpoint(endpointId: string, limit: number, cursor?: string, status?: AttemptStatus): Promise<Page<AttemptRecord>> {
    const bound = cursor === undefined ? undefined : boundOf(cursor, endpointId);
    let page = await this.readList(endpointId, limit, { ...(bound !== undefined && { bound }), ...(status && { status }) });
    // The worker's own unlisted records count for the breaker's read of the newest attempts.
    const mine = cursor === undefined ? this.pending.filter((a) => a.endpointId === endpointId && (!status || a.status === status)) : [];
    if (mine.length > 0) page = withPending(page, mine, limit);
    const full = await this.inFull(page.items);
    return { items: full, nextCursor: page.next === undefined ? undefined : cursorOf(endpointId, page.next) };
  }

  /** The newest summaries with this container's unlisted records: the breaker's count, no BatchGet. */
  async recentOfEndpoint(endpointId: string, limit: number): Promise<AttemptSummary[]> {
    const page = await this.readList(endpointId, limit, {});
    const mine = this.pending.filter((a) => a.endpointId === endpointId);
    return (mine.length > 0 ? withPending(page, mine, limit) : page).items.map((l) => l.record);
  }

  /** Summaries (no url, response or error message): what stats and recovery read. */
  async byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string): Promise<Page<AttemptSummary>> {
    const bound = cursor === undefined ? until : boundOf(cursor, endpointId);
    const page = await this.readList(endpointId, limit, { bound, since });
    return { items: page.items.map((l) => l.record), nextCursor: page.next === undefined ? undefined : cursorOf(endpointId, page.next) };
  }

  /** A page of the list: the per-batch shards, then gsi1's shards and its unsharded list (read until their TTL). */
  private readList(endpointId: string, limit: number, range: Range): Promise<{ items: Listed[]; next?: string }> {
    const lists = Array.from({ length: ATTEMPT_SHARDS }, (_, s) => keys.endpointAttemptList(endpointId, s));
    const before = [
      ...Array.from({ length: ATTEMPT_SHARDS }, (_, s) => keys.endpointAttempts(endpointId, s)),
      keys.legacyEndpointAttempts(endpointId),
    ];
    return mergeChunks<Listed>(
      lists.length + before.length,
      (shard, from, want) =>
        shard < lists.length
          ? this.readListShard(lists[shard] as string, from, want, range)
          : this.readIndexShard(before[shard - lists.length] as string, from, want, range),
      (l) => l.key,
      limit,
      range.bound,
    );
  }

  private async readListShard(pk: string, from: string | undefined, want: number, range: Range): Promise<ChunkRead<Listed>> {
    const top = from ?? (range.bound === undefined ? undefined : itemBoundFor(range.bound));
    const out = await this.query({
      TableName: this.table,
      ...sortRange("pk", "sk", pk, top, range.since),
      ScanIndexForward: false,
      Limit: Math.min(100, Math.max(2, Math.ceil(want / 4))),
    });
    const entries = out.items
      .filter((item) => item.sk !== from)
      .flatMap((item) => summariesOf(item as never))
      .map((record) => ({ key: attemptKey(record), record, full: false }))
      .filter((l) => kept(l, range));
    return { entries, ...(out.last !== undefined && { frontier: out.last.sk as string }) };
  }

  private async readIndexShard(gsi1pk: string, from: string | undefined, want: number, range: Range): Promise<ChunkRead<Listed>> {
    const out = await this.query({
      TableName: this.table,
      IndexName: TABLE_DESIGN.indexes[0].name,
      ...sortRange("gsi1pk", "gsi1sk", gsi1pk, from ?? range.bound, range.since),
      ScanIndexForward: false,
      Limit: Math.max(want, range.status ? 100 : 1),
    });
    const entries = out.items
      .filter((item) => item.gsi1sk !== (from ?? range.bound))
      .map((item) => ({ key: item.gsi1sk as string, record: toAttempt(item), full: true }))
      .filter((l) => kept(l, range));
    return { entries, ...(out.last !== undefined && { frontier: out.last.gsi1sk as string }) };
  }

  private async query(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<{ items: Item[]; last?: Item }> {
    const out = await dynamo("query", () => this.client.send(new QueryCommand(input)));
    return { items: (out.Items ?? []) as Item[], ...(out.LastEvaluatedKey !== undefined && { last: out.LastEvaluatedKey }) };
  }

  /** Writes the list items of these records: per endpoint, newest first, one write unit each. */
  private async writeList(records: readonly AttemptRecord[]): Promise<void> {
    const flushId = Math.floor(this.time.clock.random() * 36 ** 6).toString(36);
    const byEndpoint = Map.groupBy(records, (a) => a.endpointId);
    const items = [...byEndpoint].flatMap(([endpointId, own]) =>
      listItems(own).map((draft) => {
        const sk = listItemSort(draft, flushId);
        return { pk: keys.endpointAttemptList(endpointId, shardOf(sk, ATTEMPT_SHARDS)), sk, ...draft.body };
      }),
    );
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let tries = 0; requests.length > 0; tries++) {
        if (tries > 3) throw new DependencyError("dynamodb", "DynamoDB left attempt list items unprocessed");
        const out = await dynamo("list attempts", () =>
          this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } })),
        );
        requests = (out.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      }
    }
  }

  /** The records of a page in full, in its order; a summary whose attempt item is gone (its TTL) is left out. */
  private async inFull(page: Listed[]): Promise<AttemptRecord[]> {
    const wanted = page.filter((l) => !l.full).map((l) => attemptItemKey(l.record));
    const found = new Map<string, AttemptRecord>();
    for (let i = 0; i < wanted.length; i += 100) {
      let keysLeft: Item[] = wanted.slice(i, i + 100);
      for (let tries = 0; keysLeft.length > 0; tries++) {
        if (tries > 3) throw new DependencyError("dynamodb", "DynamoDB left attempt reads unprocessed");
        const out = await dynamo("read attempts", () =>
          this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keysLeft } } })),
        );
        for (const item of out.Responses?.[this.table] ?? []) found.set(`${item.pk}\n${item.sk}`, toAttempt(item));
        keysLeft = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
      }
    }
    return page.flatMap((l) => {
      if (l.full) return [l.record as AttemptRecord];
      const key = attemptItemKey(l.record);
      const record = found.get(`${key.pk}\n${key.sk}`);
      return record ? [record] : [];
    });
  }

  private persistently<T>(call: () => Promise<T>): Promise<T> {
    return persistently(call, Math.min(RECORD_BUDGET_MS, this.time.remainingMs()), this.time);
  }
}

/** The worker's unlisted records merged into a first page; one pushed past the page's end moves its cursor up. */
function withPending(page: { items: Listed[]; next?: string }, mine: AttemptRecord[], limit: number): { items: Listed[]; next?: string } {
  const all = new Map(page.items.map((l) => [l.key, l]));
  for (const record of mine) all.set(attemptKey(record), { key: attemptKey(record), record, full: true });
  const merged = [...all.values()].sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  if (merged.length <= limit) return { items: merged, ...(page.next !== undefined && { next: page.next }) };
  const items = merged.slice(0, limit);
  return { items, next: (items.at(-1) as Listed).key };
}

function kept(l: Listed, range: Range): boolean {
  return (
    (range.bound === undefined || l.key < range.bound) &&
    (range.since === undefined || l.record.at >= range.since) &&
    (range.status === undefined || l.record.status === range.status)
  );
}

function cursorOf(endpointId: string, next: string): string {
  return encodeCursor({ gsi1pk: keys.legacyEndpointAttempts(endpointId), gsi1sk: next });
}

/** The bound a cursor of this endpoint's list holds; it starts with a time, as every bound this list gives out does. */
function boundOf(cursor: string, endpointId: string): string {
  const bound = cursorBound(cursor, CURSOR_KEYS, keys.legacyEndpointAttempts(endpointId));
  if (itemBoundFor(bound) === undefined) throw invalidCursor();
  return bound;
}

function toAttempt(item: Record<string, unknown>): AttemptRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as unknown as AttemptRecord;
}
