import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { TenantDeletion, TenantRecord } from "../../core/kernel/model.ts";
import type { Page, TenantStore } from "../../core/kernel/ports.ts";
import type { TenantDeletionStore } from "../../core/lifecycle/tenant-deletion.ts";
import { conditionalWrite, dynamo, queryPage } from "./dynamo-paging.ts";
import { keys, TABLE_DESIGN } from "./table-design.ts";

const FIELDS = ["id", "name", "metadata", "createdAt", "updatedAt", "settings", "revision"] as const;

/**
 * Tenant records in the DynamoDB table, listed oldest first on gsi1 under one partition: tenants are
 * created far below the partition's thousand writes a second, and a change does not move the record.
 */
export class DynamoTenantStore implements TenantStore, TenantDeletionStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  create(tenant: TenantRecord): Promise<boolean> {
    return conditionalWrite("create tenant", () =>
      this.client.send(new PutCommand({ TableName: this.table, Item: item(tenant, 0), ConditionExpression: "attribute_not_exists(pk)" })),
    );
  }

  replace(tenant: TenantRecord): Promise<boolean> {
    return conditionalWrite("replace tenant", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item(tenant, tenant.revision + 1),
          ConditionExpression: "revision = :seen",
          ExpressionAttributeValues: { ":seen": tenant.revision },
        }),
      ),
    );
  }

  async get(id: string): Promise<TenantRecord | undefined> {
    const out = await dynamo("get tenant", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.tenant(id), ConsistentRead: true })),
    );
    return out.Item ? pick(out.Item) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const out = await dynamo("delete tenant", () =>
      this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.tenant(id), ReturnValues: "ALL_OLD" })),
    );
    return out.Attributes !== undefined;
  }

  async status(id: string): Promise<{ record?: TenantRecord; deletion?: TenantDeletion }> {
    // One Query over the tenant's partition (record, endpoint count, deletion: three small items, one read unit).
    const out = await dynamo("read tenant status", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.tenantPartition(id) },
          ConsistentRead: true,
        }),
      ),
    );
    const items = out.Items ?? [];
    const record = items.find((i) => i.sk === keys.tenant(id).sk);
    const deletion = items.find((i) => i.sk === keys.tenantDeletion(id).sk);
    return { ...(record && { record: pick(record) }), ...(deletion && { deletion: deletionOf(deletion) }) };
  }

  async startDeletion(deletion: TenantDeletion): Promise<TenantDeletion> {
    const written = await conditionalWrite("write a tenant's tombstone", () =>
      this.client.send(
        new PutCommand({ TableName: this.table, Item: deletionItem(deletion), ConditionExpression: "attribute_not_exists(pk)" }),
      ),
    );
    if (written) return deletion;
    return (await this.status(deletion.tenantId)).deletion ?? deletion;
  }

  saveDeletion(deletion: TenantDeletion, seen: string): Promise<boolean> {
    return conditionalWrite("save a tenant deletion's progress", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: deletionItem(deletion),
          ConditionExpression: "updatedAt = :seen",
          ExpressionAttributeValues: { ":seen": seen },
        }),
      ),
    );
  }

  async pendingDeletions(limit: number): Promise<TenantDeletion[]> {
    const out = await dynamo("list pending tenant deletions", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE_DESIGN.indexes[0].name,
          KeyConditionExpression: "gsi1pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.tenantDeletionList },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map(deletionOf);
  }

  async list(limit: number, cursor?: string): Promise<Page<TenantRecord>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: TABLE_DESIGN.indexes[0].name,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.tenantList },
      },
      ["gsi1pk", "gsi1sk", "pk", "sk"],
      limit,
      cursor,
    );
    return { items: page.items.map(pick), nextCursor: page.nextCursor };
  }
}

function item(tenant: TenantRecord, revision: number): Record<string, unknown> {
  return { ...keys.tenant(tenant.id), gsi1pk: keys.tenantList, gsi1sk: `${tenant.createdAt}#${tenant.id}`, ...tenant, revision };
}

function pick(item: Record<string, unknown>): TenantRecord {
  const record = Object.fromEntries(FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
  return { metadata: {}, revision: 0, ...record } as TenantRecord;
}

/** A deletion listed on gsi1 while unfinished (a sparse list: a finished one leaves it). */
function deletionItem(deletion: TenantDeletion): Record<string, unknown> {
  const listed = deletion.state === "removing" && {
    gsi1pk: keys.tenantDeletionList,
    gsi1sk: `${deletion.requestedAt}#${deletion.tenantId}`,
  };
  return { ...keys.tenantDeletion(deletion.tenantId), ...listed, ...deletion };
}

/** The deletion item without its keys. */
export function deletionOf(item: Record<string, unknown>): TenantDeletion {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...deletion } = item;
  return deletion as unknown as TenantDeletion;
}
