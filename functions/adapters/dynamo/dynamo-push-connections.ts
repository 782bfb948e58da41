import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PushConnection, PushConnectionStore, PushPosition } from "../../core/push/deps.ts";
import { conditionalWrite, dynamo, queryAll } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

const CONN = "CONN";
const POS = "POS";

/**
 * WebSocket connections in the table (table-design.ts): a record per connection, listed on gsi2
 * (all, and a tenant's) and on gsi1 (an endpoint's) once subscribed, and a position item that each
 * push rewrites over the version it read. Lists come from the indexes, so caps count within the
 * index's lag (under a second); the position is always read consistently. TTL removes what a lost
 * $disconnect leaves behind.
 */
export class DynamoPushConnections implements PushConnectionStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async open(connection: PushConnection, expiresAt: number): Promise<void> {
    await this.putConnection(connection, expiresAt);
  }

  async get(id: string): Promise<{ connection: PushConnection; position?: PushPosition } | undefined> {
    const out = await dynamo("read a push connection", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.pushConnection(id) },
          ConsistentRead: true,
        }),
      ),
    );
    const items = out.Items ?? [];
    const conn = items.find((item) => item.sk === CONN);
    if (!conn) return undefined;
    const pos = items.find((item) => item.sk === POS);
    return { connection: connectionOf(conn), ...(pos && { position: positionOf(pos) }) };
  }

  async subscribe(connection: PushConnection, position: PushPosition, expiresAt: number): Promise<void> {
    await dynamo("write a push position", () =>
      this.client.send(
        new PutCommand({ TableName: this.table, Item: { pk: keys.pushConnection(connection.id), sk: POS, ...position, expiresAt } }),
      ),
    );
    await this.putConnection(connection, expiresAt);
  }

  async move(id: string, position: PushPosition, expectedVersion: number): Promise<boolean> {
    return conditionalWrite("move a push position", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.pushConnection(id), sk: POS },
          UpdateExpression:
            "SET #next = :next, floorMs = :floor, pushed = :pushed, windowSinceMs = :since, checkedAtMs = :checked, leaseUntilMs = :lease, version = :version",
          ConditionExpression: "version = :expected",
          ExpressionAttributeNames: { "#next": "next" },
          ExpressionAttributeValues: {
            ":next": position.next,
            ":floor": position.floorMs,
            ":pushed": position.pushed,
            ":since": position.windowSinceMs,
            ":checked": position.checkedAtMs,
            ":lease": position.leaseUntilMs,
            ":version": position.version,
            ":expected": expectedVersion,
          },
        }),
      ),
    );
  }

  async poke(id: string): Promise<void> {
    await conditionalWrite("poke a push position", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.pushConnection(id), sk: POS },
          UpdateExpression: "ADD pokes :one",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":one": 1 },
        }),
      ),
    );
  }

  async ack(id: string, next: number, atMs: number): Promise<void> {
    // Refused when an ack as far or further came first: acks only move up.
    await conditionalWrite("ack a push position", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.pushConnection(id), sk: POS },
          UpdateExpression: "SET ackedNext = :next, ackedAtMs = :at",
          ConditionExpression: "ackedNext < :next",
          ExpressionAttributeValues: { ":next": next, ":at": atMs },
        }),
      ),
    );
  }

  async remove(id: string): Promise<void> {
    await Promise.all(
      [CONN, POS].map((sk) =>
        dynamo("remove a push connection", () =>
          this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: keys.pushConnection(id), sk } })),
        ),
      ),
    );
  }

  async ofEndpoint(endpointId: string): Promise<PushConnection[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.pushEndpoint(endpointId) },
    });
    return items.map(connectionOf);
  }

  async ofTenant(tenantId: string): Promise<PushConnection[]> {
    return this.listed(`T#${tenantId}#`);
  }

  async all(): Promise<PushConnection[]> {
    return this.listed("");
  }

  private async listed(prefix: string): Promise<PushConnection[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: "gsi2",
      KeyConditionExpression: prefix === "" ? "gsi2pk = :pk" : "gsi2pk = :pk AND begins_with(gsi2sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.pushConnections, ...(prefix !== "" && { ":prefix": prefix }) },
    });
    return items.map(connectionOf);
  }

  private async putConnection(connection: PushConnection, expiresAt: number): Promise<void> {
    const { subscription } = connection;
    const listed = subscription
      ? { gsi1pk: keys.pushEndpoint(subscription.endpointId), gsi1sk: connection.id, gsi2sk: `T#${subscription.tenantId}#${connection.id}` }
      : { gsi2sk: `P#${connection.id}` };
    await dynamo("write a push connection", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: keys.pushConnection(connection.id), sk: CONN, ...connection, gsi2pk: keys.pushConnections, ...listed, expiresAt },
        }),
      ),
    );
  }
}

function connectionOf(item: Record<string, unknown>): PushConnection {
  const { id, connectedAtMs, subscription } = item as unknown as PushConnection;
  return { id, connectedAtMs: Number(connectedAtMs), ...(subscription && { subscription }) };
}

function positionOf(item: Record<string, unknown>): PushPosition {
  const n = (name: string) => Number(item[name] ?? 0);
  return {
    next: n("next"),
    floorMs: n("floorMs"),
    pushed: ((item.pushed as number[] | undefined) ?? []).map(Number),
    ackedNext: n("ackedNext"),
    ackedAtMs: n("ackedAtMs"),
    windowSinceMs: n("windowSinceMs"),
    checkedAtMs: n("checkedAtMs"),
    leaseUntilMs: n("leaseUntilMs"),
    version: n("version"),
    pokes: n("pokes"),
  };
}
