import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { DependencyError } from "../core/errors.ts";
import type { EventRecord } from "../core/model.ts";
import type { EventStore } from "../core/ports.ts";
import { dynamo } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

const EVENT_FIELDS = ["id", "tenantId", "type", "body", "createdAt", "requestHash", "endpointIds", "expiresAt"] as const;

/** Events in the DynamoDB table, beside their attempts. */
export class DynamoEventStore implements EventStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async get(id: string): Promise<EventRecord | undefined> {
    const out = await dynamo("get event", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.event(id), ConsistentRead: true })),
    );
    return out.Item ? toEvent(out.Item) : undefined;
  }

  async getMany(ids: string[]): Promise<Map<string, EventRecord>> {
    const found = new Map<string, EventRecord>();
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: ids.slice(i, i + 100).map((id) => keys.event(id)), ConsistentRead: true },
      };
      for (let tries = 0; request && Object.keys(request).length > 0; tries++) {
        if (tries > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
        if (tries > 5) throw new DependencyError("dynamodb", "DynamoDB left keys unprocessed");
        const out = await dynamo("batch get events", () => this.client.send(new BatchGetCommand({ RequestItems: request })));
        for (const item of out.Responses?.[this.table] ?? []) found.set(item.id as string, toEvent(item));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async putNew(events: EventRecord[]): Promise<void> {
    await mapWithConcurrency(events, 16, async (event) => {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.event(event.id), ...event },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
      } catch (error) {
        // A concurrent request with the same key recorded it first: the first result stands.
        if ((error as Error).name === "ConditionalCheckFailedException") return;
        throw new DependencyError("dynamodb", "DynamoDB put event failed", { cause: error });
      }
    });
  }
}

function toEvent(item: Record<string, unknown>): EventRecord {
  return Object.fromEntries(EVENT_FIELDS.map((f) => [f, item[f]])) as unknown as EventRecord;
}
