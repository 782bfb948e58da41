import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RecoveryRecord, StashedDelivery } from "../../core/kernel/model.ts";
import type { Page, RecoveryStore } from "../../core/kernel/ports.ts";
import { conditionalWrite, dynamo, queryPage, writeBatches } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

const FIELDS = [
  "id",
  "endpointId",
  "tenantId",
  "since",
  "until",
  "status",
  "steps",
  "cursor",
  "error",
  "resent",
  "scanned",
  "ordered",
  "phase",
  "createdAt",
  "updatedAt",
  "completedAt",
  "expiresAt",
] as const;

/** Recoveries in the endpoint's partition, kept until their TTL like the log they resend from. */
export class DynamoRecoveryStore implements RecoveryStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async put(recovery: RecoveryRecord): Promise<void> {
    const item = { ...keys.recovery(recovery.endpointId, recovery.id), ...recovery };
    await dynamo("put recovery", () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  async advance(recovery: RecoveryRecord, seenSteps: number): Promise<boolean> {
    const item = { ...keys.recovery(recovery.endpointId, recovery.id), ...recovery };
    return conditionalWrite("advance recovery", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          // A record written before steps were counted has none: it is at step 0.
          ConditionExpression: `${seenSteps === 0 ? "(attribute_not_exists(steps) OR steps = :seen)" : "steps = :seen"} AND #status = :running`,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":seen": seenSteps, ":running": "running" },
        }),
      ),
    );
  }

  async fail(endpointId: string, id: string, at: string, error: string): Promise<void> {
    // False: it was not running any more (completed, or failed already), which is as good.
    await conditionalWrite("fail recovery", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.recovery(endpointId, id),
          UpdateExpression: "SET #status = :failed, #error = :error, updatedAt = :at",
          ConditionExpression: "#status = :running",
          ExpressionAttributeNames: { "#status": "status", "#error": "error" },
          ExpressionAttributeValues: { ":failed": "failed", ":running": "running", ":error": error, ":at": at },
        }),
      ),
    );
  }

  async stash(recovery: Pick<RecoveryRecord, "endpointId" | "id" | "expiresAt">, entries: readonly StashedDelivery[]): Promise<void> {
    const items = entries.map(({ key, eventId }) => ({
      PutRequest: { Item: { ...keys.recoveryStash(recovery.endpointId, recovery.id, key), eventId, expiresAt: recovery.expiresAt } },
    }));
    await writeBatches(this.client, this.table, "stash a recovery's deliveries", items);
  }

  async stashed(endpointId: string, id: string, limit: number, cursor?: string): Promise<Page<StashedDelivery>> {
    const prefix = keys.recoveryStashPrefix(id);
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.recovery(endpointId, id).pk, ":prefix": prefix },
        ConsistentRead: true,
      },
      ["pk", "sk"],
      limit,
      cursor,
    );
    return {
      items: page.items.map((item) => ({ key: String(item.sk).slice(prefix.length), eventId: String(item.eventId) })),
      nextCursor: page.nextCursor,
    };
  }

  async get(endpointId: string, id: string): Promise<RecoveryRecord | undefined> {
    const out = await dynamo("get recovery", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.recovery(endpointId, id), ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    const item = out.Item;
    return Object.fromEntries(FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as unknown as RecoveryRecord;
  }
}
