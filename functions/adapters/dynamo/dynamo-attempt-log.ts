import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AttemptRecord, AttemptStatus } from "../../core/kernel/model.ts";
import type { AttemptLog, Page } from "../../core/kernel/ports.ts";
import { type PersistenceTime, persistently } from "../lambda/persistent-call.ts";
import { dynamo, queryAll, querySharded, type ShardedList } from "./dynamo-paging.ts";
import { shardOf } from "./sharded-paging.ts";
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
    const filter = status && { expression: "#status = :status", names: { "#status": "status" }, values: { ":status": status } };
    const page = await querySharded(this.client, this.table, attemptList(endpointId), limit, cursor, { ...(filter && { filter }) });
    return { items: page.items.map(toAttempt), nextCursor: page.nextCursor };
  }

  async byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string): Promise<Page<AttemptRecord>> {
    // gsi1sk starts with the attempt's ISO time: "#" sorts before any later character of a time.
    const page = await querySharded(this.client, this.table, attemptList(endpointId), limit, cursor, { since, firstBound: `${until}#` });
    return { items: page.items.map(toAttempt).filter((a) => a.at < until), nextCursor: page.nextCursor };
  }
}

/**
 * An endpoint's attempts on gsi1: its shards, then the unsharded list written before them (read
 * until its items' TTL). Each page costs ATTEMPT_SHARDS + 1 queries.
 */
function attemptList(endpointId: string): ShardedList {
  return {
    index: TABLE_DESIGN.indexes[0].name,
    partitionKey: "gsi1pk",
    sortKey: "gsi1sk",
    partitions: [
      ...Array.from({ length: ATTEMPT_SHARDS }, (_, shard) => keys.endpointAttempts(endpointId, shard)),
      keys.legacyEndpointAttempts(endpointId),
    ],
  };
}

function toAttempt(item: Record<string, unknown>): AttemptRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as unknown as AttemptRecord;
}
