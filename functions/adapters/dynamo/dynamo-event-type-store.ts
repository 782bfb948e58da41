import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { EventTypeRecord, EventTypeStore } from "../../core/event-types/event-types.ts";
import { DependencyError } from "../../core/kernel/errors.ts";
import type { Page } from "../../core/kernel/ports.ts";
import { conditionalWrite, dynamo, queryPage } from "./dynamo-paging.ts";
import { keys, TABLE_DESIGN } from "./table-design.ts";

/**
 * The global event-type catalog in the DynamoDB table. The schema and the examples are kept as JSON
 * strings: they may nest deeper than DynamoDB's 32 levels of maps and hold keys it refuses (an empty one).
 */
export class DynamoEventTypeStore implements EventTypeStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  create(type: EventTypeRecord): Promise<boolean> {
    return conditionalWrite("create event type", () =>
      this.client.send(new PutCommand({ TableName: this.table, Item: item(type), ConditionExpression: "attribute_not_exists(pk)" })),
    );
  }

  replace(type: EventTypeRecord): Promise<boolean> {
    return conditionalWrite("replace event type", () =>
      this.client.send(new PutCommand({ TableName: this.table, Item: item(type), ConditionExpression: "attribute_exists(pk)" })),
    );
  }

  async get(name: string): Promise<EventTypeRecord | undefined> {
    const out = await dynamo("get event type", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.eventType(name), ConsistentRead: true })),
    );
    return out.Item ? record(out.Item) : undefined;
  }

  async getMany(names: string[]): Promise<Map<string, EventTypeRecord>> {
    const found = new Map<string, EventTypeRecord>();
    // A batch names at most 100 events, so at most 100 types: one BatchGetItem.
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined =
      names.length > 0 ? { [this.table]: { Keys: names.map(keys.eventType) } } : undefined;
    for (let tries = 0; request && Object.keys(request).length > 0; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
      if (tries > 5) throw new DependencyError("dynamodb", "DynamoDB left keys unprocessed");
      const out = await dynamo("batch get event types", () => this.client.send(new BatchGetCommand({ RequestItems: request })));
      for (const i of out.Responses?.[this.table] ?? []) found.set(String(i.name), record(i));
      request = out.UnprocessedKeys as typeof request;
    }
    return found;
  }

  async delete(name: string): Promise<boolean> {
    const out = await dynamo("delete event type", () =>
      this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.eventType(name), ReturnValues: "ALL_OLD" })),
    );
    return out.Attributes !== undefined;
  }

  async list(limit: number, cursor?: string): Promise<Page<EventTypeRecord>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: TABLE_DESIGN.indexes[0].name,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.eventTypeList },
      },
      ["gsi1pk", "gsi1sk", "pk", "sk"],
      limit,
      cursor,
    );
    return { items: page.items.map(record), nextCursor: page.nextCursor };
  }
}

function item(type: EventTypeRecord): Record<string, unknown> {
  const { schema, examples, ...rest } = type;
  return {
    ...keys.eventType(type.name),
    gsi1pk: keys.eventTypeList,
    gsi1sk: type.name,
    ...rest,
    ...(schema !== undefined && { schemaJson: JSON.stringify(schema) }),
    ...(examples !== undefined && { examplesJson: JSON.stringify(examples) }),
  };
}

function record(i: Record<string, unknown>): EventTypeRecord {
  return {
    name: String(i.name),
    description: String(i.description),
    ...(typeof i.schemaJson === "string" && { schema: JSON.parse(i.schemaJson) as Record<string, unknown> }),
    ...(typeof i.examplesJson === "string" && { examples: JSON.parse(i.examplesJson) as unknown[] }),
    archived: i.archived === true,
    createdAt: String(i.createdAt),
    updatedAt: String(i.updatedAt),
  };
}
