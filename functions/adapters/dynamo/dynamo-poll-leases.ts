import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PollLease, PollLeaseStore, PollScope } from "../../core/feed/deps.ts";
import { conditionalWrite, dynamo } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

/** A slot item outlives its last lease by an hour before TTL removes it (a busy slot is rewritten long before). */
const SLOT_TTL_AFTER_SECONDS = 3_600;

/**
 * Long-poll leases in the DynamoDB table: one item per slot in its scope's partition. A take is a
 * PutItem with the condition "no item, or its lease ended before now", so two polls never hold one
 * slot; a release is an UpdateItem that ends the lease only if this poll still holds it. Each is one
 * write unit (items of about 120 bytes); a read of a scope is one strongly consistent Query. Plain
 * conditional writes, no transaction and no reliance on TTL: the same calls run on DynamoDB and on
 * dynalite, and an expired lease is free by its `leaseUntil`, whenever TTL gets to the item.
 */
export class DynamoPollLeases implements PollLeaseStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async leases(scope: PollScope): Promise<PollLease[]> {
    const leases: PollLease[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await dynamo("read long-poll leases", () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": keys.pollLeases(scope.kind, scope.id) },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        leases.push({ slot: Number(item.slot), id: String(item.leaseId ?? ""), untilMs: Number(item.leaseUntil ?? 0) });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return leases;
  }

  async take(scope: PollScope, lease: PollLease, nowMs: number): Promise<boolean> {
    return conditionalWrite("take a long-poll lease", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: keys.pollLeases(scope.kind, scope.id),
            sk: keys.pollLeaseSort(lease.slot),
            slot: lease.slot,
            leaseId: lease.id,
            leaseUntil: lease.untilMs,
            expiresAt: Math.ceil(lease.untilMs / 1000) + SLOT_TTL_AFTER_SECONDS,
          },
          ConditionExpression: "attribute_not_exists(pk) OR leaseUntil < :now",
          ExpressionAttributeValues: { ":now": nowMs },
        }),
      ),
    );
  }

  async release(scope: PollScope, lease: PollLease): Promise<void> {
    // An update rather than a delete: the feed function's role has no DeleteItem on the table.
    await conditionalWrite("release a long-poll lease", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.pollLeases(scope.kind, scope.id), sk: keys.pollLeaseSort(lease.slot) },
          UpdateExpression: "SET leaseUntil = :ended",
          ConditionExpression: "leaseId = :id",
          ExpressionAttributeValues: { ":ended": 0, ":id": lease.id },
        }),
      ),
    );
  }
}
