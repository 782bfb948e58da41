import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { RecoveryRecord } from "../core/model.ts";
import type { RecoveryStore } from "../core/ports.ts";
import { dynamo } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

const FIELDS = [
  "id",
  "endpointId",
  "tenantId",
  "since",
  "until",
  "status",
  "resent",
  "scanned",
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

  async get(endpointId: string, id: string): Promise<RecoveryRecord | undefined> {
    const out = await dynamo("get recovery", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.recovery(endpointId, id), ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    const item = out.Item;
    return Object.fromEntries(FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as unknown as RecoveryRecord;
  }
}
