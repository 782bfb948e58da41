import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Subscription, TenantSubscriptions } from "../../core/endpoints/subscriptions.ts";
import type { Endpoint } from "../../core/kernel/model.ts";
import type { EndpointStore, Page } from "../../core/kernel/ports.ts";
import { conditionalWrite, dynamo, queryAll, queryPage } from "./dynamo-paging.ts";
import { keys, TABLE_DESIGN } from "./table-design.ts";

const GSI = TABLE_DESIGN.indexes[0];
const ENDPOINT_FIELDS = [
  "id",
  "tenantId",
  "kind",
  "url",
  "eventTypes",
  "description",
  "enabled",
  "headers",
  "secret",
  "createdAt",
  "updatedAt",
  "uid",
  "metadata",
  "previousSecrets",
  "retrySchedule",
  "rateLimitPerSecond",
  "signatureHeaders",
  "disabledReason",
  "disabledAt",
  "failingSince",
  "circuit",
  "lane",
  "laneSince",
  "laneFastSuccesses",
  "laneDemotions",
  "revision",
  "ordering",
  "destination",
] as const;

/**
 * Endpoints in the DynamoDB table; a tenant's endpoints are listed through gsi1. A counter item per
 * tenant holds how many it has: a create first takes a place with a conditional increment (so two
 * concurrent creates cannot both take the last one), a delete gives its place back. The two writes
 * are not one transaction (the local emulator has none), so each failure between them leaves the
 * count high, never low: a tenant may be refused early, never let past its limit.
 */
export class DynamoEndpointStore implements EndpointStore, TenantSubscriptions {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async put(endpoint: Endpoint): Promise<void> {
    const item = {
      ...keys.endpoint(endpoint.id),
      gsi1pk: keys.tenantEndpoints(endpoint.tenantId),
      gsi1sk: `${endpoint.createdAt}#${endpoint.id}`,
      ...endpoint,
    };
    await dynamo("put endpoint", () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  async create(endpoint: Endpoint, maxPerTenant: number): Promise<boolean> {
    if (!(await this.takePlace(endpoint.tenantId, maxPerTenant))) return false;
    try {
      await this.put(endpoint);
    } catch (error) {
      // Give the place back only when the endpoint is surely not there (a put can fail after writing).
      const written = await this.get(endpoint.id).catch(() => endpoint);
      if (!written) await this.givePlaceBack(endpoint.tenantId).catch(() => undefined);
      throw error;
    }
    return true;
  }

  /** Counts one more endpoint of the tenant unless it has `max`; a tenant never counted is counted first. */
  private async takePlace(tenantId: string, max: number): Promise<boolean> {
    const take = () =>
      conditionalWrite("count endpoint", () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.endpointCount(tenantId),
            UpdateExpression: "ADD endpoints :one",
            ConditionExpression: "endpoints < :max",
            ExpressionAttributeValues: { ":one": 1, ":max": max },
          }),
        ),
      );
    if (await take()) return true;
    // Refused: the tenant is full, or it had no counter yet (a new tenant, or endpoints that predate
    // counting). Once the counter exists, whoever wrote it, the increment decides: concurrent first
    // creates of a new tenant must not read one another's counter as a full tenant.
    await this.startCount(tenantId);
    return take();
  }

  /**
   * Creates the tenant's counter from the endpoints it holds, unless it exists. Two creates racing
   * here both count, one writes; either way the next increment is checked.
   */
  private async startCount(tenantId: string): Promise<void> {
    const existing = await dynamo("read endpoint count", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.endpointCount(tenantId), ConsistentRead: true })),
    );
    if (existing.Item) return;
    const endpoints = (await this.subscriptionsOf(tenantId)).length;
    await conditionalWrite("start endpoint count", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.endpointCount(tenantId), endpoints },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
  }

  private async givePlaceBack(tenantId: string): Promise<void> {
    // An endpoint that predates counting has no place to give back: the counter never goes below 0.
    await conditionalWrite("uncount endpoint", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.endpointCount(tenantId),
          UpdateExpression: "ADD endpoints :minus",
          ConditionExpression: "endpoints > :zero",
          ExpressionAttributeValues: { ":minus": -1, ":zero": 0 },
        }),
      ),
    );
  }

  async replace(endpoint: Endpoint): Promise<boolean> {
    const seen = endpoint.revision ?? 0;
    const item = {
      ...keys.endpoint(endpoint.id),
      gsi1pk: keys.tenantEndpoints(endpoint.tenantId),
      gsi1sk: `${endpoint.createdAt}#${endpoint.id}`,
      ...endpoint,
      revision: seen + 1,
    };
    return conditionalWrite("replace endpoint", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: seen === 0 ? "attribute_exists(pk) AND attribute_not_exists(revision)" : "revision = :seen",
          ...(seen !== 0 && { ExpressionAttributeValues: { ":seen": seen } }),
        }),
      ),
    );
  }

  async get(id: string): Promise<Endpoint | undefined> {
    const out = await dynamo("get endpoint", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.endpoint(id), ConsistentRead: true })),
    );
    return out.Item ? toEndpoint(out.Item) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const out = await dynamo("delete endpoint", () =>
      this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.endpoint(id), ReturnValues: "ALL_OLD" })),
    );
    if (out.Attributes === undefined) return false;
    await this.givePlaceBack(out.Attributes.tenantId as string);
    return true;
  }

  async listByTenant(tenantId: string, limit: number, cursor?: string): Promise<Page<Endpoint>> {
    const page = await queryPage(this.client, this.tenantQuery(tenantId), ["gsi1pk", "gsi1sk", "pk", "sk"], limit, cursor);
    return { items: page.items.map(toEndpoint), nextCursor: page.nextCursor };
  }

  /** Every endpoint of the tenant as intake routes to it, each as stored (a disabled one shows as disabled). */
  async subscriptionsOf(tenantId: string): Promise<Subscription[]> {
    return (await queryAll(this.client, this.tenantQuery(tenantId))).map((item) => {
      const { id, enabled, eventTypes, disabledReason, lane } = toEndpoint(item);
      return {
        id,
        enabled,
        ...(eventTypes !== undefined && { eventTypes }),
        ...(disabledReason !== undefined && { disabledReason }),
        ...(lane !== undefined && { lane }),
      };
    });
  }

  private tenantQuery(tenantId: string) {
    return {
      TableName: this.table,
      IndexName: GSI.name,
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.tenantEndpoints(tenantId) },
    };
  }
}

function toEndpoint(item: Record<string, unknown>): Endpoint {
  const endpoint = Object.fromEntries(ENDPOINT_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
  return endpoint as unknown as Endpoint;
}
