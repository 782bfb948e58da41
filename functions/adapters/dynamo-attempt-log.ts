import { type DynamoDBDocumentClient, PutCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { AttemptRecord, AttemptStatus } from "../core/model.ts";
import type { AttemptLog, Page } from "../core/ports.ts";
import { decodeCursor, dynamo, encodeCursor, invalidCursor, queryAll } from "./dynamo-paging.ts";
import { type PersistenceTime, persistently } from "./persistent-call.ts";
import { mergeNewestFirst, type ShardRead, shardOf } from "./sharded-paging.ts";
import { ATTEMPT_SHARDS, keys, TABLE_DESIGN } from "./table-design.ts";

const KEY_ATTRIBUTES = new Set(["pk", "sk", "gsi1pk", "gsi1sk"]);
/** Fits in the delivery function's 15 s of headroom over the HTTP timeout. */
export const RECORD_BUDGET_MS = 5_000;

/**
 * The delivery log: one item per attempt, in its event's partition and on one of its endpoint's
 * gsi1 shards (see table-design.ts), so a hot endpoint's writes spread over ATTEMPT_SHARDS keys.
 */
export class DynamoAttemptLog implements AttemptLog {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly time: PersistenceTime & { remainingMs(): number };

  /** `time.remainingMs` caps the record's budget by what the invocation has left. */
  constructor(client: DynamoDBDocumentClient, table: string, time: PersistenceTime & { remainingMs(): number }) {
    this.client = client;
    this.table = table;
    this.time = time;
  }

  async record(attempt: AttemptRecord): Promise<void> {
    const { eventId, endpointId, chain, at, attempt: n } = attempt;
    const sort = chain === undefined ? keys.endpointAttemptSort(at, eventId, n) : keys.manualAttemptSort(at, eventId, chain, n);
    const item = {
      ...(chain === undefined ? keys.attempt(eventId, endpointId, n) : keys.manualAttempt(eventId, endpointId, chain, n)),
      gsi1pk: keys.endpointAttempts(endpointId, shardOf(sort, ATTEMPT_SHARDS)),
      gsi1sk: sort,
      ...attempt,
    };
    // The attempt usually follows a POST that reached the receiver: losing this write means a duplicate.
    await persistently(
      () => dynamo("record attempt", () => this.client.send(new PutCommand({ TableName: this.table, Item: item }))),
      Math.min(RECORD_BUDGET_MS, this.time.remainingMs()),
      this.time,
    );
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

  async byEndpoint(endpointId: string, limit: number, cursor?: string, status?: AttemptStatus): Promise<Page<AttemptRecord>> {
    const page = await this.merged(endpointId, limit, cursor, { since: undefined, status });
    return { items: page.items, nextCursor: page.nextCursor };
  }

  async byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string): Promise<Page<AttemptRecord>> {
    // gsi1sk starts with the attempt's ISO time: "#" sorts before any later character of a time.
    const bound = cursor === undefined ? `${until}#` : undefined;
    const page = await this.merged(endpointId, limit, cursor, { since, status: undefined }, bound);
    return { items: page.items.filter((a) => a.at < until), nextCursor: page.nextCursor };
  }

  /**
   * One page of an endpoint's attempts merged from its gsi1 shards and the unsharded list written
   * before them (read as one more shard until its items' TTL). Each page is ATTEMPT_SHARDS + 1 queries.
   */
  private async merged(
    endpointId: string,
    limit: number,
    cursor: string | undefined,
    only: { since: string | undefined; status: AttemptStatus | undefined } | undefined,
    firstBound?: string,
  ): Promise<Page<AttemptRecord>> {
    const list = keys.legacyEndpointAttempts(endpointId);
    const before = cursor === undefined ? firstBound : cursorBound(cursor, list);
    const partition = (shard: number) => (shard === ATTEMPT_SHARDS ? list : keys.endpointAttempts(endpointId, shard));
    const page = await mergeNewestFirst(
      ATTEMPT_SHARDS + 1,
      (shard, bound, want) => this.readShard(partition(shard), bound, want, only),
      (item) => item.gsi1sk as string,
      limit,
      before,
    );
    return {
      items: page.items.map(toAttempt),
      nextCursor: page.next === undefined ? undefined : encodeCursor({ gsi1pk: list, gsi1sk: page.next }),
    };
  }

  /** One shard's newest attempts below `before`, reading on (10 reads at most) while a filter thins them out. */
  private async readShard(
    pk: string,
    before: string | undefined,
    want: number,
    only: { since: string | undefined; status: AttemptStatus | undefined } | undefined,
  ): Promise<ShardRead> {
    const since = only?.since;
    const status = only?.status;
    // BETWEEN includes its upper end: the item at `before` (the last one shown) is dropped below.
    const range =
      since !== undefined
        ? { condition: " AND gsi1sk BETWEEN :since AND :before", values: { ":since": since, ":before": before ?? "\uffff" } }
        : before !== undefined
          ? { condition: " AND gsi1sk < :before", values: { ":before": before } }
          : { condition: "", values: {} };
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: TABLE_DESIGN.indexes[0].name,
      KeyConditionExpression: `gsi1pk = :pk${range.condition}`,
      ExpressionAttributeValues: { ":pk": pk, ...range.values, ...(status && { ":status": status }) },
      ...(status && { FilterExpression: "#status = :status", ExpressionAttributeNames: { "#status": "status" } }),
      ScanIndexForward: false,
    };
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let reads = 0; reads < 10 && items.length < want; reads++) {
      const out = await dynamo("query", () =>
        this.client.send(
          new QueryCommand({ ...input, Limit: status ? Math.max(want, 100) : want - items.length, ExclusiveStartKey: startKey }),
        ),
      );
      items.push(...((out.Items ?? []) as Record<string, unknown>[]).filter((item) => item.gsi1sk !== before));
      startKey = out.LastEvaluatedKey;
      if (startKey === undefined) return { items };
    }
    return { items, frontier: startKey?.gsi1sk as string };
  }
}

/** The sort-key bound a cursor holds, for this endpoint's list only; cursors from before the shards name their last item's keys. */
function cursorBound(cursor: string, list: string): string {
  let key: Record<string, unknown>;
  try {
    key = decodeCursor(cursor, ["gsi1pk", "gsi1sk"]);
  } catch {
    key = decodeCursor(cursor, ["gsi1pk", "gsi1sk", "pk", "sk"]);
  }
  if (key.gsi1pk !== list) throw invalidCursor();
  return key.gsi1sk as string;
}

function toAttempt(item: Record<string, unknown>): AttemptRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as unknown as AttemptRecord;
}
