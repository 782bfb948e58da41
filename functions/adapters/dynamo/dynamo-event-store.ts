import { deflateRawSync, inflateRawSync } from "node:zlib";
import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapWithConcurrency } from "../../core/kernel/concurrency.ts";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { EventRecord } from "../../core/kernel/model.ts";
import type { EventListFilter, EventStore, Page } from "../../core/kernel/ports.ts";
import { conditionalWrite, dynamo, querySharded, type ShardedList } from "./dynamo-paging.ts";
import { shardOf } from "./sharded-paging.ts";
import { keys, TABLE_DESIGN, TENANT_EVENT_SHARDS } from "./table-design.ts";

const EVENT_FIELDS = [
  "id",
  "tenantId",
  "messageId",
  "type",
  "body",
  "createdAt",
  "requestHash",
  "endpointIds",
  "unsent",
  "deliverAt",
  "expungedAt",
  "expiresAt",
] as const;

/**
 * Events in the DynamoDB table, beside their attempts, keyed by tenant and id. Items from before the
 * tenant joined the key (sk `EVENT`) are read for the tenant they name until their TTL removes them.
 */
export class DynamoEventStore implements EventStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async get(tenantId: string, id: string): Promise<EventRecord | undefined> {
    return (await this.getMany(tenantId, [id])).get(id);
  }

  async getMany(tenantId: string, ids: string[]): Promise<Map<string, EventRecord>> {
    const found = new Map<string, EventRecord>();
    const legacy = new Map<string, EventRecord>();
    const unique = [...new Set(ids)];
    // Two keys per id (the tenant's, the legacy one) in one round trip: 100 keys per BatchGetItem.
    for (let i = 0; i < unique.length; i += 50) {
      const wanted = unique.slice(i, i + 50).flatMap((id) => [keys.event(tenantId, id), keys.legacyEvent(id)]);
      for (const item of await this.batchGet(wanted)) {
        if (item.sk === keys.event(tenantId, item.id as string).sk) found.set(item.id as string, toEvent(item));
        // A legacy item is one tenant's: it answers only for that tenant.
        else if (item.tenantId === tenantId) legacy.set(item.id as string, toEvent(item));
      }
    }
    for (const [id, event] of legacy) if (!found.has(id)) found.set(id, event);
    return found;
  }

  private async batchGet(wanted: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [this.table]: { Keys: wanted, ConsistentRead: true },
    };
    for (let tries = 0; request && Object.keys(request).length > 0; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
      if (tries > 5) throw new DependencyError("dynamodb", "DynamoDB left keys unprocessed");
      const out = await dynamo("batch get events", () => this.client.send(new BatchGetCommand({ RequestItems: request })));
      items.push(...(out.Responses?.[this.table] ?? []));
      request = out.UnprocessedKeys as typeof request;
    }
    return items;
  }

  async putNew(events: EventRecord[]): Promise<void> {
    await mapWithConcurrency(events, 16, async (event) => {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            // A half-sent event is also listed on gsi1 under UNSENT (a sparse index) for the sweeper.
            Item: {
              ...keys.event(event.tenantId, event.id),
              ...(event.unsent && unsentIndex(event)),
              ...tenantIndex(event),
              ...storedBody(event),
            },
            // An event past its retention that TTL has not deleted yet is gone for readers: its id may be taken again.
            ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :created",
            ExpressionAttributeValues: { ":created": Math.floor(Date.parse(event.createdAt) / 1000) },
          }),
        );
      } catch (error) {
        // A concurrent request with the same key recorded it first: the first result stands.
        if ((error as Error).name === "ConditionalCheckFailedException") return;
        throw new DependencyError("dynamodb", "DynamoDB put event failed", { cause: error });
      }
    });
  }

  /** Marks every message of the event as sent: drops it from the UNSENT list. */
  async markSent(tenantId: string, id: string): Promise<void> {
    const update = (Key: Record<string, unknown>, condition: string, values?: Record<string, unknown>) =>
      conditionalWrite("mark event sent", () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: "REMOVE unsent, gsi1pk, gsi1sk",
            // An update of a missing key would create an item: the condition keeps it to an existing event.
            ConditionExpression: condition,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    if (await update(keys.event(tenantId, id), "attribute_exists(pk)")) return;
    await update(keys.legacyEvent(id), "tenantId = :tenant", { ":tenant": tenantId });
  }

  /**
   * Merged from the tenant's shards (querySharded). A filter (type, endpoints) is applied by DynamoDB
   * to the items it reads, so a page costs the read units of every event evaluated, not only of those
   * shown, and no write or index more. A filtered page reads at most one query per shard read: 17
   * partitions and at most 34 refills, so at most 51 queries of at most max(limit + 1, 100) events
   * (and 1 MB) each, whatever the filter matches; a sparse filter gets short pages and a cursor.
   */
  async listByTenant(tenantId: string, filter: EventListFilter, limit: number, cursor?: string): Promise<Page<EventRecord>> {
    if (filter.endpointIds?.length === 0) return { items: [] };
    const filtered = filter.type !== undefined || filter.endpointIds !== undefined;
    const page = await querySharded(this.client, this.table, tenantEventList(tenantId), limit, cursor, {
      ...(filter.before && { firstBound: filter.before }),
      ...(filtered && { filter: listFilter(filter), readsPerShard: 1 }),
    });
    return { items: page.items.map(toEvent), nextCursor: page.nextCursor };
  }

  /** Appends the endpoint to the event's list unless it is there (a condition, so two replays cannot both append it). */
  async addEndpoint(tenantId: string, id: string, endpointId: string): Promise<void> {
    const append = (Key: Record<string, unknown>, condition: string, values: Record<string, unknown> = {}) =>
      conditionalWrite("add an endpoint to an event", () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: "SET endpointIds = list_append(endpointIds, :one)",
            ConditionExpression: `${condition} AND NOT contains(endpointIds, :id)`,
            ExpressionAttributeValues: { ":one": [endpointId], ":id": endpointId, ...values },
          }),
        ),
      );
    if (await append(keys.event(tenantId, id), "attribute_exists(pk)")) return;
    await append(keys.legacyEvent(id), "tenantId = :tenant", { ":tenant": tenantId });
  }

  /** Sets body to "null" and drops its deflated copy: the gsi2 copy follows, as every index copies the item. */
  async expunge(tenantId: string, id: string, at: string): Promise<boolean> {
    const erase = (Key: Record<string, unknown>, condition: string, values: Record<string, unknown> = {}) =>
      conditionalWrite("expunge an event's payload", () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: "SET body = :null, expungedAt = if_not_exists(expungedAt, :at) REMOVE bodyZ",
            ConditionExpression: condition,
            ExpressionAttributeValues: { ":null": "null", ":at": at, ...values },
          }),
        ),
      );
    if (await erase(keys.event(tenantId, id), "attribute_exists(pk)")) return true;
    return erase(keys.legacyEvent(id), "tenantId = :tenant", { ":tenant": tenantId });
  }

  async listUnsent(createdBefore: string, limit: number): Promise<EventRecord[]> {
    const out = await dynamo("list unsent events", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE_DESIGN.indexes[0].name,
          KeyConditionExpression: "gsi1pk = :pk AND gsi1sk < :before",
          ExpressionAttributeValues: { ":pk": keys.unsentEvents, ":before": createdBefore },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map(toEvent);
  }
}

/** The filter of a tenant's event list: the type, and a delivery to any of the endpoints (at most 50, so 99 operators of DynamoDB's 300). */
function listFilter({ type, endpointIds }: EventListFilter) {
  const any = endpointIds?.map((_, i) => `contains(#endpoints, :endpoint${i})`).join(" OR ");
  return {
    expression: [type && "#type = :type", any && `(${any})`].filter(Boolean).join(" AND "),
    names: { ...(type && { "#type": "type" }), ...(any && { "#endpoints": "endpointIds" }) },
    values: {
      ...(type && { ":type": type }),
      ...Object.fromEntries((endpointIds ?? []).map((id, i) => [`:endpoint${i}`, id])),
    },
  };
}

function tenantIndex(event: EventRecord) {
  const sort = `${event.createdAt}#${event.id}`;
  return { gsi2pk: keys.tenantEvents(event.tenantId, shardOf(sort, TENANT_EVENT_SHARDS)), gsi2sk: sort };
}

/** A tenant's events on gsi2, spread like an endpoint's attempts (see table-design.ts), then the unsharded list. */
function tenantEventList(tenantId: string): ShardedList {
  const shards = Array.from({ length: TENANT_EVENT_SHARDS }, (_, shard) => keys.tenantEvents(tenantId, shard));
  return {
    index: TABLE_DESIGN.indexes[1].name,
    partitionKey: "gsi2pk",
    sortKey: "gsi2sk",
    partitions: [...shards, keys.legacyTenantEvents(tenantId)],
  };
}

function unsentIndex(event: EventRecord) {
  return { gsi1pk: keys.unsentEvents, gsi1sk: `${event.createdAt}#${event.id}` };
}

/**
 * The event as stored: its body deflated into the binary attribute `bodyZ` when that is smaller.
 * DynamoDB bills a write unit per started kilobyte of item, and a typical 1 KB JSON event with its
 * metadata is just over one; deflated (about half the size for JSON) it fits one unit. Items
 * written before, with a plain `body`, read as they always did.
 */
function storedBody(event: EventRecord): Record<string, unknown> {
  const deflated = deflateRawSync(event.body);
  if (deflated.length >= Buffer.byteLength(event.body)) return { ...event };
  const { body: _body, ...rest } = event;
  return { ...rest, bodyZ: deflated };
}

function toEvent(item: Record<string, unknown>): EventRecord {
  const event = Object.fromEntries(EVENT_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
  if (event.body === undefined && item.bodyZ instanceof Uint8Array) event.body = inflateRawSync(item.bodyZ).toString("utf8");
  return event as unknown as EventRecord;
}
