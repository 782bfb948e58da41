import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateCounter } from "../../core/delivery/deps.ts";
import { rateShards, windowPlace } from "../../core/policy/rate-limit.ts";
import { dynamo } from "./dynamo-paging.ts";
import { keys, RATE_SHARDS } from "./table-design.ts";

/** Window items expire a minute after their second (TTL deletes are free). */
const WINDOW_TTL_SECONDS = 60;

/**
 * A fixed one-second window per endpoint, counted with an atomic ADD: every worker, in every
 * concurrent Lambda, increments the same items, so a window never admits more than the limit.
 * One UpdateItem (one write unit) per delivery to a rate-limited endpoint, nothing for the others.
 * The window is spread over up to RATE_SHARDS items (see rateShards), taken in turn, so a busy
 * endpoint's counting is not one hot partition key.
 */
export class DynamoRateCounter implements RateCounter {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  /** Takes rotate over the shards; workers start apart because each has taken a different number. */
  private turn = 0;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async take(endpointId: string, second: number, limit: number): Promise<number> {
    const shards = rateShards(limit, RATE_SHARDS);
    const shard = this.turn++ % shards;
    const out = await dynamo("count rate window", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.rateWindow(endpointId, shard, second),
          UpdateExpression: "ADD #count :one SET expiresAt = if_not_exists(expiresAt, :ttl)",
          ExpressionAttributeNames: { "#count": "count" },
          ExpressionAttributeValues: { ":one": 1, ":ttl": second + WINDOW_TTL_SECONDS },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return windowPlace(Number(out.Attributes?.count ?? 1), shard, shards);
  }
}
