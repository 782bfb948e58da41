import { deflateRawSync, inflateRawSync } from "node:zlib";
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapWithConcurrency } from "../../core/kernel/concurrency.ts";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { EventRecord } from "../../core/kernel/model.ts";
import type { EventListFilter, EventStore, Page } from "../../core/kernel/ports.ts";
import { conditionalWrite, dynamo, querySharded, type ShardedList } from "./dynamo-paging.ts";
import { candidateKeys, kindOf, lookupItem, needsLookup } from "./event-keys.ts";
import { keys, TABLE_DESIGN, TENANT_EVENT_SHARDS } from "./table-design.ts";

type Item = Record<string, unknown>;

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
 * Events in the DynamoDB table, in their tenant's list (table-design.ts): one item an event, with a
 * lookup item beside it only when its id is not time-ordered. Events from before the list (the
 * `EVENT#{tenant}` item and its gsi2 copy) and from before the tenant joined the key (sk `EVENT`)
 * are read for the tenant they name until their TTL removes them.
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
    const items = await this.find(tenantId, ids);
    return new Map([...items].map(([id, item]) => [id, toEvent(item)]));
  }

  /**
   * The tenant's stored events among `ids`, as items (with their keys). Every key an id may be kept
   * under in one round trip (the timed key, the lookup or older item, the oldest format), then the
   * events the lookup items point to in a second. Where one id names two events (one past its
   * retention, its id taken again, see `reusable`), the newer stands.
   */
  private async find(tenantId: string, ids: string[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    // Newer first, and at one time the list's item before an older format's.
    const rank = (item: Item) => `${item.createdAt}#${kindOf(item, tenantId) === "listed" ? 2 : kindOf(item, tenantId) === "old" ? 1 : 0}`;
    const keep = (item: Item) => {
      const held = found.get(String(item.id));
      if (held === undefined || rank(item) > rank(held)) found.set(String(item.id), item);
    };
    const pointers: Item[] = [];
    for (const item of await this.batchGet([...new Set(ids)].flatMap((id) => candidateKeys(tenantId, id)))) {
      const kind = kindOf(item, tenantId);
      if (kind === "lookup") pointers.push(item);
      // A legacy item is one tenant's: it answers only for that tenant.
      else if (kind !== "other") keep(item);
    }
    const missing = pointers.filter((p) => found.get(String(p.id))?.createdAt !== p.createdAt);
    for (const item of await this.batchGet(missing.map((p) => keys.listedEvent(tenantId, String(p.createdAt), String(p.id))))) keep(item);
    return found;
  }

  /** Reads the keys, 100 per BatchGetItem, consistently, until none is left unprocessed. */
  private async batchGet(wanted: Record<string, unknown>[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < wanted.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: wanted.slice(i, i + 100), ConsistentRead: true },
      };
      for (let tries = 0; request && Object.keys(request).length > 0; tries++) {
        if (tries > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
        if (tries > 5) throw new DependencyError("dynamodb", "DynamoDB left keys unprocessed");
        const out = await dynamo("batch get events", () => this.client.send(new BatchGetCommand({ RequestItems: request })));
        items.push(...((out.Responses?.[this.table] ?? []) as Item[]));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return items;
  }

  async putNew(events: EventRecord[]): Promise<void> {
    await mapWithConcurrency(events, 16, async (event) => {
      const place = needsLookup(event) ? await this.claim(event) : event;
      if (place === undefined) return;
      await conditionalWrite("put event", () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            // A half-sent event is also listed on gsi1 under UNSENT (a sparse index) for the sweeper.
            Item: {
              ...keys.listedEvent(place.tenantId, place.createdAt, place.id),
              ...(place.unsent && unsentIndex(place)),
              ...storedBody(place),
            },
            // A concurrent request with the same key recorded it first: the first result stands.
            ...reusable(place),
          }),
        ),
      );
    });
  }

  /**
   * Takes the event's id for its tenant by writing its lookup item, with the condition that gave
   * idempotency when the event itself was that item. The event to write, or undefined when the id is
   * taken by an event already written. A lookup item whose event is missing (a request that stopped
   * between the two writes, or one still writing) is finished at its place: the first key stands.
   */
  private async claim(event: EventRecord): Promise<EventRecord | undefined> {
    const item = lookupItem(event);
    const put = () => this.client.send(new PutCommand({ TableName: this.table, Item: item, ...reusable(event) }));
    if (await conditionalWrite("put event lookup", put)) return event;
    const held = await dynamo("get event lookup", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.event(event.tenantId, event.id), ConsistentRead: true })),
    );
    // An event from before the list holds the id itself: the first result stands.
    if (held.Item === undefined || kindOf(held.Item, event.tenantId) !== "lookup") return undefined;
    return { ...event, createdAt: String(held.Item.createdAt) };
  }

  /** Marks every message of the event as sent: drops it from the UNSENT list. */
  async markSent(tenantId: string, id: string): Promise<void> {
    await this.update("mark event sent", tenantId, id, { UpdateExpression: "REMOVE unsent, gsi1pk, gsi1sk" });
  }

  /** Updates the tenant's event where it is kept; false when it has none of that id. */
  private async update(
    what: string,
    tenantId: string,
    id: string,
    change: { UpdateExpression: string; condition?: string; values?: Record<string, unknown> },
  ): Promise<boolean> {
    const item = (await this.find(tenantId, [id])).get(id);
    if (item === undefined) return false;
    return conditionalWrite(what, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: change.UpdateExpression,
          // An update of a missing key would create an item: the condition keeps it to the event read (TTL may remove it).
          ConditionExpression: `attribute_exists(pk)${change.condition ? ` AND ${change.condition}` : ""}`,
          ...(change.values && { ExpressionAttributeValues: change.values }),
        }),
      ),
    );
  }

  /**
   * Merged from the tenant's shards (querySharded). A filter (type, endpoints) is applied by DynamoDB
   * to the items it reads, so a page costs the read units of every event evaluated, not only of those
   * shown, and no write or index more. A filtered page reads at most one query per shard read: 33
   * partitions (16 on the table, 16 gsi2 shards of older events, the unsharded list) and at most 66
   * refills, so at most 99 queries of at most max(limit + 1, 100) events
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
    await this.update("add an endpoint to an event", tenantId, id, {
      UpdateExpression: "SET endpointIds = list_append(endpointIds, :one)",
      condition: "NOT contains(endpointIds, :id)",
      values: { ":one": [endpointId], ":id": endpointId },
    });
  }

  /** Sets body to "null" and drops its deflated copy (an older event's gsi2 copy follows, as every index copies the item). */
  async expunge(tenantId: string, id: string, at: string): Promise<boolean> {
    return this.update("expunge an event's payload", tenantId, id, {
      UpdateExpression: "SET body = :null, expungedAt = if_not_exists(expungedAt, :at) REMOVE bodyZ",
      values: { ":null": "null", ":at": at },
    });
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

/** The condition of a new event's writes: its key is free, or holds an event past its retention that TTL has not deleted yet (gone for readers, so its id may be taken again). */
function reusable(event: EventRecord) {
  return {
    ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :created",
    ExpressionAttributeValues: { ":created": Math.floor(Date.parse(event.createdAt) / 1000) },
  };
}

/**
 * A tenant's events: the list's shards on the table, then the gsi2 shards events were listed on
 * before (see table-design.ts), then the unsharded list. The cursor keeps naming the last (gsi2
 * keys), so cursors given out before still read on.
 */
function tenantEventList(tenantId: string): ShardedList {
  const shards = Array.from({ length: TENANT_EVENT_SHARDS }, (_, shard) => shard);
  const onTable = shards.map((shard) => ({
    pk: keys.tenantEventShard(tenantId, shard),
    index: undefined,
    partitionKey: "pk",
    sortKey: "sk",
  }));
  return {
    index: TABLE_DESIGN.indexes[1].name,
    partitionKey: "gsi2pk",
    sortKey: "gsi2sk",
    partitions: [...onTable, ...shards.map((shard) => keys.tenantEvents(tenantId, shard)), keys.legacyTenantEvents(tenantId)],
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
