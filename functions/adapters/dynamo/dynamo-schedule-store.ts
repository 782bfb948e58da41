import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Page } from "../../core/kernel/ports.ts";
import type { HoldResult, ScheduledItem, ScheduleStore } from "../../core/scheduling/schedule.ts";
import { conditionalWrite, dynamo, queryPage } from "./dynamo-paging.ts";
import { shardOf } from "./sharded-paging.ts";
import { keys, SCHEDULE_SHARDS, TABLE_DESIGN } from "./table-design.ts";

const ITEM_FIELDS = [
  "tenantId",
  "eventId",
  "type",
  "deliverAt",
  "endpointIds",
  "createdAt",
  "state",
  "claimedAt",
  "endedAt",
  "expiresAt",
] as const;

/**
 * Scheduled messages in the DynamoDB table (table-design.ts): one item each, on the due index while
 * held, and a counter per tenant. As with endpoints, the count and the item are two writes (the local
 * emulator has no transactions), ordered so that a failure between them leaves the count high, never
 * low: a tenant may be refused early, never let past its cap.
 */
export class DynamoScheduleStore implements ScheduleStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async hold(item: ScheduledItem, max: number): Promise<HoldResult> {
    if (!(await this.takePlace(item.tenantId, max))) return "full";
    // A message dropped because its intake failed before recording the event is held again if the
    // caller's repeat still finds it beyond the lead (clocks of the API and the scheduler disagree).
    const put = () =>
      conditionalWrite("hold a scheduled message", () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.scheduled(item.tenantId, item.eventId), ...indexed(item), ...stored(item) },
            ConditionExpression: "attribute_not_exists(pk) OR #state = :dropped",
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: { ":dropped": "dropped" },
          }),
        ),
      );
    let written: boolean;
    try {
      written = await put();
    } catch (error) {
      // A put can fail after writing: the place is given back only when the item is surely not there.
      const there = await this.get(item.tenantId, item.eventId).catch(() => item);
      if (!there) await this.givePlaceBack(item.tenantId).catch(() => undefined);
      throw error;
    }
    if (written) return "held";
    // A repeat of the call found it held: its place was taken once already.
    await this.givePlaceBack(item.tenantId);
    return "exists";
  }

  async get(tenantId: string, eventId: string): Promise<ScheduledItem | undefined> {
    const out = await dynamo("read a scheduled message", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.scheduled(tenantId, eventId), ConsistentRead: true })),
    );
    return out.Item ? toItem(out.Item) : undefined;
  }

  async listByTenant(tenantId: string, limit: number, cursor?: string): Promise<Page<ScheduledItem>> {
    const index = TABLE_DESIGN.indexes[1];
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: index.name,
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.tenantScheduled(tenantId) },
      },
      [index.partitionKey, index.sortKey, "pk", "sk"],
      limit,
      cursor,
    );
    return { items: page.items.map(toItem), nextCursor: page.nextCursor };
  }

  /** One query per shard of the due index, merged soonest first; `next` is the last sort key returned when the page is full. */
  async due(dueBy: string, limit: number, after?: string): Promise<{ items: ScheduledItem[]; next?: string }> {
    const shards = await Promise.all(
      Array.from({ length: SCHEDULE_SHARDS }, (_, shard) =>
        dynamo("read due scheduled messages", () =>
          this.client.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: TABLE_DESIGN.indexes[0].name,
              // `~` sorts after `#`: every sort key of a due time at or before dueBy. Keys hold no character
              // below `!`, so `{after} ` is the least key after the last page's (DynamoDB takes one range).
              KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :bound",
              ExpressionAttributeValues: { ":pk": keys.scheduleDue(shard), ":from": `${after ?? ""} `, ":bound": `${dueBy}~` },
              Limit: limit,
            }),
          ),
        ),
      ),
    );
    const raw = shards
      .flatMap((out) => out.Items ?? [])
      .sort((a, b) => String(a.gsi1sk).localeCompare(String(b.gsi1sk)))
      .slice(0, limit);
    const last = raw.at(-1);
    return { items: raw.map(toItem), ...(raw.length === limit && last && { next: String(last.gsi1sk) }) };
  }

  async claim(item: ScheduledItem, at: string): Promise<boolean> {
    // An ended message is off the due index and stays ended.
    if (item.state !== "waiting" && item.state !== "moving") return false;
    return conditionalWrite("claim a scheduled message", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.scheduled(item.tenantId, item.eventId),
          UpdateExpression: "SET #state = :moving, claimedAt = :at",
          ConditionExpression: `#state = :seen AND ${item.claimedAt === undefined ? "attribute_not_exists(claimedAt)" : "claimedAt = :claim"}`,
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: {
            ":moving": "moving",
            ":at": at,
            ":seen": item.state,
            ...(item.claimedAt !== undefined && { ":claim": item.claimedAt }),
          },
        }),
      ),
    );
  }

  async end(item: ScheduledItem, state: "sent" | "cancelled" | "dropped", at: string): Promise<boolean> {
    // A cancel ends a waiting message; a move ends the claim it holds, and no other.
    const fromClaim = state !== "cancelled";
    const ended = await conditionalWrite(`end a scheduled message (${state})`, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.scheduled(item.tenantId, item.eventId),
          UpdateExpression: "SET #state = :state, endedAt = :at REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk",
          ConditionExpression: fromClaim ? "#state = :moving AND claimedAt = :claim" : "#state = :waiting",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: {
            ":state": state,
            ":at": at,
            ...(fromClaim ? { ":moving": "moving", ":claim": item.claimedAt ?? "" } : { ":waiting": "waiting" }),
          },
        }),
      ),
    );
    if (ended) await this.givePlaceBack(item.tenantId);
    return ended;
  }

  /** Counts one more waiting message of the tenant unless it has `max`. */
  private takePlace(tenantId: string, max: number): Promise<boolean> {
    return conditionalWrite("count a scheduled message", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.scheduledCount(tenantId),
          UpdateExpression: "ADD scheduled :one",
          ConditionExpression: "attribute_not_exists(scheduled) OR scheduled < :max",
          ExpressionAttributeValues: { ":one": 1, ":max": max },
        }),
      ),
    );
  }

  private async givePlaceBack(tenantId: string): Promise<void> {
    await conditionalWrite("uncount a scheduled message", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.scheduledCount(tenantId),
          UpdateExpression: "ADD scheduled :minus",
          ConditionExpression: "scheduled > :zero",
          ExpressionAttributeValues: { ":minus": -1, ":zero": 0 },
        }),
      ),
    );
  }
}

/** The index entries of a held message: the due index (sharded by tenant and event) and the tenant's list. */
function indexed(item: ScheduledItem) {
  const due = keys.scheduleDueSort(item.deliverAt, item.tenantId, item.eventId);
  return {
    gsi1pk: keys.scheduleDue(shardOf(`${item.tenantId}#${item.eventId}`, SCHEDULE_SHARDS)),
    gsi1sk: due,
    gsi2pk: keys.tenantScheduled(item.tenantId),
    gsi2sk: keys.tenantScheduledSort(item.deliverAt, item.eventId),
  };
}

function stored(item: ScheduledItem): Record<string, unknown> {
  return Object.fromEntries(ITEM_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
}

function toItem(raw: Record<string, unknown>): ScheduledItem {
  return Object.fromEntries(ITEM_FIELDS.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]])) as unknown as ScheduledItem;
}
