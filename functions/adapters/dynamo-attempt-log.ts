import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AttemptRecord, AttemptStatus } from "../core/model.ts";
import type { AttemptLog, Page } from "../core/ports.ts";
import { dynamo, queryAll, queryPage } from "./dynamo-paging.ts";
import { type PersistenceTime, persistently } from "./persistent-call.ts";
import { keys, TABLE_DESIGN } from "./table-design.ts";

const KEY_ATTRIBUTES = new Set(["pk", "sk", "gsi1pk", "gsi1sk"]);
/** Fits in the delivery function's 15 s of headroom over the HTTP timeout. */
export const RECORD_BUDGET_MS = 5_000;

/** The delivery log: one item per attempt, in its event's partition and on its endpoint's gsi1 list. */
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
    const item = {
      ...(chain === undefined ? keys.attempt(eventId, endpointId, n) : keys.manualAttempt(eventId, endpointId, chain, n)),
      gsi1pk: keys.endpointAttempts(endpointId),
      gsi1sk: chain === undefined ? keys.endpointAttemptSort(at, eventId, n) : keys.manualAttemptSort(at, eventId, chain, n),
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
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: TABLE_DESIGN.indexes[0].name,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.endpointAttempts(endpointId), ...(status && { ":status": status }) },
        ...(status && { FilterExpression: "#status = :status", ExpressionAttributeNames: { "#status": "status" } }),
        ScanIndexForward: false,
      },
      ["gsi1pk", "gsi1sk", "pk", "sk"],
      limit,
      cursor,
    );
    return { items: page.items.map(toAttempt), nextCursor: page.nextCursor };
  }

  async byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string): Promise<Page<AttemptRecord>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: TABLE_DESIGN.indexes[0].name,
        // gsi1sk starts with the attempt's ISO time: "#" sorts before any later character of a time.
        KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :since AND :until",
        ExpressionAttributeValues: { ":pk": keys.endpointAttempts(endpointId), ":since": since, ":until": `${until}#` },
        ScanIndexForward: false,
      },
      ["gsi1pk", "gsi1sk", "pk", "sk"],
      limit,
      cursor,
    );
    return { items: page.items.map(toAttempt).filter((a) => a.at < until), nextCursor: page.nextCursor };
  }
}

function toAttempt(item: Record<string, unknown>): AttemptRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as unknown as AttemptRecord;
}
