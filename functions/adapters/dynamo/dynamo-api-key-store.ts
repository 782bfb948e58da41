import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { ApiKeyRecord } from "../../core/kernel/model.ts";
import type { ApiKeyStore, Page } from "../../core/kernel/ports.ts";
import { dynamo, queryPage } from "./dynamo-paging.ts";
import { keys, TABLE_DESIGN } from "./table-design.ts";

const FIELDS = ["id", "tenantId", "name", "keyHash", "createdAt"] as const;

/** Tenant API keys in the DynamoDB table, listed through gsi1. */
export class DynamoApiKeyStore implements ApiKeyStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async put(key: ApiKeyRecord): Promise<void> {
    const item = { ...keys.apiKey(key.id), gsi1pk: keys.apiKeyList, gsi1sk: `${key.createdAt}#${key.id}`, ...key };
    await dynamo("put API key", () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const out = await dynamo("get API key", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.apiKey(id), ConsistentRead: true })),
    );
    return out.Item ? pick(out.Item) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const out = await dynamo("delete API key", () =>
      this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.apiKey(id), ReturnValues: "ALL_OLD" })),
    );
    return out.Attributes !== undefined;
  }

  async list(limit: number, cursor?: string): Promise<Page<ApiKeyRecord>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: TABLE_DESIGN.indexes[0].name,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.apiKeyList },
      },
      ["gsi1pk", "gsi1sk", "pk", "sk"],
      limit,
      cursor,
    );
    return { items: page.items.map(pick), nextCursor: page.nextCursor };
  }
}

function pick(item: Record<string, unknown>): ApiKeyRecord {
  return Object.fromEntries(FIELDS.map((f) => [f, item[f]])) as unknown as ApiKeyRecord;
}
