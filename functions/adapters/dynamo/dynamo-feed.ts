import { randomBytes } from "node:crypto";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FeedExpunger, FeedReader, FeedSlot } from "../../core/feed/deps.ts";
import { conditionalWrite, dynamo } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

type Item = Record<string, unknown>;

/**
 * Polling endpoints' feeds in the DynamoDB table: a counter item per feed (UpdateItem ADD) and one
 * item per slot in the feed's own partition, written only if absent. Every read is strongly
 * consistent: a reader deciding whether a number is a hole must see every write that landed.
 */
export class DynamoFeed implements FeedReader, FeedExpunger {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async allocate(endpointId: string): Promise<number> {
    const out = await dynamo("allocate a feed number", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.feedHead(endpointId),
          UpdateExpression: "ADD #seq :one SET cursorKey = if_not_exists(cursorKey, :key)",
          ExpressionAttributeNames: { "#seq": "seq" },
          ExpressionAttributeValues: { ":one": 1, ":key": newKey() },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return Number(out.Attributes?.seq);
  }

  async fill(endpointId: string, slot: FeedSlot, expiresAt: number): Promise<boolean> {
    const { entry } = slot;
    const item = {
      pk: keys.feedSlots(endpointId),
      sk: keys.feedSlotSort(slot.seq),
      seq: slot.seq,
      allocatedAt: slot.allocatedAt,
      expiresAt,
      ...(entry && { entryId: entry.id, eventId: entry.eventId, eventType: entry.eventType, timestamp: entry.timestamp, body: entry.body }),
      ...(entry?.messageId !== undefined && { messageId: entry.messageId }),
    };
    return conditionalWrite("fill a feed slot", () =>
      this.client.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(pk)" })),
    );
  }

  async slot(endpointId: string, seq: number): Promise<FeedSlot | undefined> {
    const out = await dynamo("read a feed slot", () =>
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: keys.feedSlots(endpointId), sk: keys.feedSlotSort(seq) },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? toSlot(out.Item) : undefined;
  }

  async head(endpointId: string) {
    const out = await dynamo("read a feed counter", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.feedHead(endpointId), ConsistentRead: true })),
    );
    let item = out.Item;
    if (typeof item?.cursorKey !== "string") {
      // A feed nothing was appended to yet: its counter is made now, so that its first cursor has a key.
      const made = await dynamo("start a feed counter", () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.feedHead(endpointId),
            UpdateExpression: "SET cursorKey = if_not_exists(cursorKey, :key), #seq = if_not_exists(#seq, :zero)",
            ExpressionAttributeNames: { "#seq": "seq" },
            ExpressionAttributeValues: { ":key": newKey(), ":zero": 0 },
            ReturnValues: "ALL_NEW",
          }),
        ),
      );
      item = made.Attributes;
    }
    return { seq: Number(item?.seq ?? 0), cursorKey: String(item?.cursorKey) };
  }

  async slots(endpointId: string, from: number, to: number, limit: number): Promise<FeedSlot[]> {
    const slots: FeedSlot[] = [];
    let startKey: Item | undefined;
    // A query page stops at 1 MB: read on until `limit` slots or the range's end, or a short answer would look like a hole.
    do {
      const out = await this.query({
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": keys.feedSlots(endpointId), ":from": keys.feedSlotSort(from), ":to": keys.feedSlotSort(to) },
        Limit: limit - slots.length,
        ExclusiveStartKey: startKey,
      });
      slots.push(...out.items.map(toSlot));
      startKey = out.lastKey;
    } while (startKey && slots.length < limit);
    return slots;
  }

  async oldestSince(endpointId: string, since: string): Promise<FeedSlot | undefined> {
    let startKey: Item | undefined;
    // Entries past their retention wait for TTL's deletion for a day or two: they are read through, oldest first.
    do {
      const out = await this.query({
        KeyConditionExpression: "pk = :pk",
        FilterExpression: "allocatedAt >= :since",
        ExpressionAttributeValues: { ":pk": keys.feedSlots(endpointId), ":since": since },
        Limit: 500,
        ExclusiveStartKey: startKey,
      });
      const found = out.items[0];
      if (found) return toSlot(found);
      startKey = out.lastKey;
    } while (startKey);
    return undefined;
  }

  /**
   * Finds the event's entries by a filtered read of the whole feed (expunging is rare; the read costs
   * what the feed's retained slots weigh, a read unit per 8 KB), then erases each one's body.
   */
  async expunge(endpointId: string, eventId: string): Promise<number> {
    let changed = 0;
    let startKey: Item | undefined;
    do {
      const out = await this.query({
        KeyConditionExpression: "pk = :pk",
        FilterExpression: "eventId = :event",
        ExpressionAttributeValues: { ":pk": keys.feedSlots(endpointId), ":event": eventId },
        ProjectionExpression: "pk, sk",
        ExclusiveStartKey: startKey,
      });
      for (const item of out.items) {
        const erased = await conditionalWrite("expunge a feed entry", () =>
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: "SET body = :null",
              ConditionExpression: "attribute_exists(pk)",
              ExpressionAttributeValues: { ":null": "null" },
            }),
          ),
        );
        if (erased) changed++;
      }
      startKey = out.lastKey;
    } while (startKey);
    return changed;
  }

  private async query(input: Omit<ConstructorParameters<typeof QueryCommand>[0], "TableName">) {
    const out = await dynamo("read a feed", () =>
      this.client.send(new QueryCommand({ TableName: this.table, ConsistentRead: true, ...input })),
    );
    return { items: (out.Items as Item[] | undefined) ?? [], lastKey: out.LastEvaluatedKey };
  }
}

/** 32 random bytes: the key a feed's cursors are signed with. */
function newKey(): string {
  return randomBytes(32).toString("base64");
}

function toSlot(item: Item): FeedSlot {
  const slot: FeedSlot = {
    seq: Number(item.seq),
    allocatedAt: String(item.allocatedAt),
    ...(typeof item.expiresAt === "number" && { expiresAt: item.expiresAt }),
  };
  if (typeof item.entryId === "string") {
    slot.entry = {
      id: item.entryId,
      eventId: String(item.eventId),
      eventType: String(item.eventType),
      timestamp: String(item.timestamp),
      body: String(item.body),
      // Entries appended before message ids have none: their webhook-id stays the event id.
      ...(typeof item.messageId === "string" && { messageId: item.messageId }),
    };
  }
  return slot;
}
