import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { TenantEraser } from "../../core/lifecycle/tenant-deletion.ts";
import { attemptItemKey, summariesOf } from "./attempt-list.ts";
import { dynamo, writeBatches } from "./dynamo-paging.ts";
import { ATTEMPT_SHARDS, keys, RATE_SHARDS, TABLE_DESIGN, TENANT_EVENT_SHARDS } from "./table-design.ts";

type Item = Record<string, unknown>;
type Key = { pk: unknown; sk: unknown };

/** Items removed per page: a page is a few BatchWriteItem calls, well inside a sweeper run. */
const PAGE = 200;
const [GSI1, GSI2] = [TABLE_DESIGN.indexes[0].name, TABLE_DESIGN.indexes[1].name];

/** The eraser's steps, in order: what the API names as a new job's first step without loading the eraser. */
export const TENANT_ERASE_STEPS = ["events", "endpoints", "keys", "scheduled", "tenant"] as const;

/**
 * Removes a tenant's items from the table, by the key patterns of table-design.ts: its events, their
 * lookup items and attempts (found on its event list, and on the gsi2 list of events from before it;
 * another tenant's event of the same id in the same partition is left), then per endpoint (found on its gsi1 endpoint list) the endpoint's attempt
 * copies (gsi1) and attempt list items (and the attempts they name), recoveries, rate windows, feed counter and slots and poll leases, then the endpoint item;
 * then its API keys, then its held scheduled messages (found on its gsi2 schedule list; one sent,
 * cancelled or dropped is removed beside its event), then its partition (record, endpoint count,
 * scheduled count, tenant poll leases). The
 * deletion item (the tombstone) stays. Plain deletes (BatchWriteItem): no transactions, so the same
 * code runs on the local emulator.
 */
/** Endpoints an eraser remembers having looked at; past it, one may be looked at again (a Query that finds nothing). */
const MAX_REMEMBERED_ENDPOINTS = 10_000;

export class DynamoTenantEraser implements TenantEraser {
  readonly steps = TENANT_ERASE_STEPS;
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  /** Endpoints this eraser has looked at for leftovers: an endpoint named by many events is looked at once. */
  private readonly erasedEndpoints = new Set<string>();

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async erase(tenantId: string, step: string, cursor: string | undefined): Promise<{ removed: number; cursor?: string; done: boolean }> {
    if (step === "events") return this.events(tenantId, Number(cursor ?? 0));
    if (step === "endpoints") return this.endpoints(tenantId);
    if (step === "keys") return this.apiKeys(tenantId, cursor);
    if (step === "scheduled") return this.scheduled(tenantId);
    if (step === "tenant") return this.partition(tenantId);
    throw new DependencyError("dynamodb", `Unknown deletion step ${step}`);
  }

  /** A page of the tenant's events from its list's partition `from` on; the cursor is the partition reached. */
  private async events(tenantId: string, from: number) {
    const shards = Array.from({ length: TENANT_EVENT_SHARDS }, (_, s) => s);
    // The list on the table, then the gsi2 lists of events written before it (table-design.ts).
    const lists = [
      ...shards.map((s) => ({ pk: keys.tenantEventShard(tenantId, s) })),
      ...shards.map((s) => ({ pk: keys.tenantEvents(tenantId, s), index: GSI2 })),
      { pk: keys.legacyTenantEvents(tenantId), index: GSI2 },
    ];
    for (let i = from; i < lists.length; i++) {
      const list = lists[i] as { pk: string; index?: string };
      const listed = await this.query({
        ...(list.index !== undefined && { IndexName: list.index }),
        KeyConditionExpression: `${list.index === undefined ? "pk" : "gsi2pk"} = :pk`,
        ExpressionAttributeValues: { ":pk": list.pk },
        Limit: 25,
      });
      if (listed.length === 0) continue;
      // A deleted endpoint is on no list the endpoints step reads: its partitions go with the events that name it.
      const removedWithEndpoints = await this.deletedEndpointsOf(listed);
      // An event in the table's list goes itself, last: it is what finds the rest of it (lookup item,
      // attempts, in its id's partition), so a run cut off between batches leaves nothing unfound.
      const mine: Key[] = [];
      for (const id of new Set(listed.map((e) => String(e.id)))) {
        const partition = await this.query(
          { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.eventPartition(id) } },
          true,
        );
        // The lookup item or event under the tenant's key, a legacy event naming the tenant, and the tenant's attempts (each names its tenant).
        mine.push(...partition.filter((item) => item.sk === keys.event(tenantId, id).sk || item.tenantId === tenantId).map(keyOf));
        // Its scheduled message, if it had one (deleting a key that is not there is a no-op).
        mine.push(keys.scheduled(tenantId, id));
      }
      if (list.index === undefined) mine.push(...listed.map(keyOf));
      await this.remove(mine);
      return { removed: removedWithEndpoints + mine.length, cursor: String(i), done: false };
    }
    return { removed: 0, done: true };
  }

  /** Removes up to a page of the tenant's first endpoint's items; the endpoint item itself once nothing else of it is left. */
  private async endpoints(tenantId: string) {
    const [endpoint] = await this.query({
      IndexName: GSI1,
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.tenantEndpoints(tenantId) },
      Limit: 1,
    });
    if (!endpoint) return { removed: 0, done: true };
    const id = String(endpoint.id);
    const found = await this.endpointItems(id);
    if (found.length === 0) {
      await this.remove([keys.endpoint(id)]);
      return { removed: 1, done: false };
    }
    await this.remove(found);
    return { removed: found.length, done: false };
  }

  /**
   * Up to about a page of an endpoint's items other than the endpoint item: its gsi1 attempt copies,
   * attempt list items (each after the attempts it names, which it alone finds once the events step
   * has passed their event), recoveries, rate windows, feed counter and slots and poll leases.
   */
  private async endpointItems(id: string): Promise<Key[]> {
    const found: Key[] = [];
    const attemptLists = [
      ...Array.from({ length: ATTEMPT_SHARDS }, (_, s) => keys.endpointAttempts(id, s)),
      keys.legacyEndpointAttempts(id),
    ];
    for (const list of attemptLists) {
      if (found.length >= PAGE) break;
      const items = await this.query({
        IndexName: GSI1,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": list },
        Limit: PAGE,
      });
      found.push(...items.map(keyOf));
    }
    const partitions = [
      keys.endpoint(id).pk,
      ...Array.from({ length: ATTEMPT_SHARDS }, (_, s) => keys.endpointAttemptList(id, s)),
      ...Array.from({ length: RATE_SHARDS }, (_, s) => keys.rateWindow(id, s, 0).pk),
      keys.feedHead(id).pk,
      keys.feedSlots(id),
      keys.pollLeases("endpoint", id),
    ];
    for (const pk of partitions) {
      if (found.length >= PAGE) break;
      const items = await this.query({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, Limit: PAGE }, true);
      if (pk.includes("#AL#")) found.push(...items.flatMap((item) => summariesOf(item as never).map(attemptItemKey)));
      // The endpoint item goes last (endpoints step): it is what lists the endpoint as the tenant's.
      found.push(...items.filter((item) => item.sk !== keys.endpoint(id).sk).map(keyOf));
    }
    return found;
  }

  /**
   * Removes every item of each endpoint the listed events name whose endpoint item is gone (deleted
   * before the tenant): its list items, feed and recoveries outlive it until their TTL, and no list
   * the endpoints step reads finds them. Returns how many items went.
   */
  private async deletedEndpointsOf(listed: Item[]): Promise<number> {
    const named = [...new Set(listed.flatMap((e) => (Array.isArray(e.endpointIds) ? e.endpointIds.map(String) : [])))];
    let removed = 0;
    for (const id of named) {
      if (this.erasedEndpoints.has(id)) continue;
      const [live] = await this.query(
        {
          KeyConditionExpression: "pk = :pk AND sk = :sk",
          ExpressionAttributeValues: { ":pk": keys.endpoint(id).pk, ":sk": keys.endpoint(id).sk },
        },
        true,
      );
      if (!live) {
        for (let page = await this.endpointItems(id); page.length > 0; page = await this.endpointItems(id)) {
          await this.remove(page);
          removed += page.length;
        }
      }
      // A container erases many tenants over its life: the memory of what it looked at stays bounded.
      if (this.erasedEndpoints.size >= MAX_REMEMBERED_ENDPOINTS) this.erasedEndpoints.clear();
      this.erasedEndpoints.add(id);
    }
    return removed;
  }

  /** The tenant's API keys, from the list of every key (filtered by tenant); the cursor is where the list was left. */
  private async apiKeys(tenantId: string, cursor: string | undefined) {
    const out = await dynamo("list a tenant's API keys", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: GSI1,
          KeyConditionExpression: "gsi1pk = :pk",
          FilterExpression: "tenantId = :tenant",
          ExpressionAttributeValues: { ":pk": keys.apiKeyList, ":tenant": tenantId },
          Limit: PAGE,
          ...(cursor !== undefined && { ExclusiveStartKey: JSON.parse(cursor) as Item }),
        }),
      ),
    );
    const found = (out.Items ?? []).map(keyOf);
    await this.remove(found);
    const next = out.LastEvaluatedKey;
    return { removed: found.length, ...(next !== undefined && { cursor: JSON.stringify(next) }), done: next === undefined };
  }

  /** A page of the tenant's held scheduled messages, from its schedule list (gsi2): their events were removed by the events step or never recorded. */
  private async scheduled(tenantId: string) {
    const held = await this.query({
      IndexName: GSI2,
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.tenantScheduled(tenantId) },
      Limit: PAGE,
    });
    const found = held.map(keyOf);
    await this.remove(found);
    return { removed: found.length, done: found.length === 0 };
  }

  /** The tenant's own partition but its tombstone (record, endpoint count), and its poll leases. */
  private async partition(tenantId: string) {
    const found: Key[] = [];
    for (const pk of [keys.tenantPartition(tenantId), keys.pollLeases("tenant", tenantId)]) {
      const items = await this.query({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk } }, true);
      found.push(...items.filter((item) => item.sk !== keys.tenantDeletion(tenantId).sk).map(keyOf));
    }
    await this.remove(found);
    return { removed: found.length, done: true };
  }

  private async query(input: Omit<QueryCommandInput, "TableName">, consistent = false): Promise<Item[]> {
    const out = await dynamo("read a tenant's items", () =>
      this.client.send(new QueryCommand({ TableName: this.table, ...(consistent && { ConsistentRead: true }), ...input })),
    );
    return (out.Items as Item[] | undefined) ?? [];
  }

  /** Deletes the keys, 25 per BatchWriteItem, until none is left unprocessed. */
  private async remove(found: Key[]): Promise<void> {
    const unique = [...new Map(found.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    await writeBatches(
      this.client,
      this.table,
      "delete a tenant's items",
      unique.map((Key) => ({ DeleteRequest: { Key } })),
    );
  }
}

function keyOf(item: Item): Key {
  return { pk: item.pk, sk: item.sk };
}
