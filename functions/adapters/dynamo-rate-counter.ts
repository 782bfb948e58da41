import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateCounter } from "../core/delivery/deps.ts";
import { dynamo } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

/** Window items expire a minute after their second (TTL deletes are free). */
const WINDOW_TTL_SECONDS = 60;

/**
 * A fixed one-second window per endpoint, counted with an atomic ADD: every worker, in every
 * concurrent Lambda, increments the same item, so a window never admits more than the limit.
 * One UpdateItem (one write unit) per delivery to a rate-limited endpoint, nothing for the others.
 */
export class DynamoRateCounter implements RateCounter {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async take(endpointId: string, second: number): Promise<number> {
    const out = await dynamo("count rate window", () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.rateWindow(endpointId, second),
          UpdateExpression: "ADD #count :one SET expiresAt = if_not_exists(expiresAt, :ttl)",
          ExpressionAttributeNames: { "#count": "count" },
          ExpressionAttributeValues: { ":one": 1, ":ttl": second + WINDOW_TTL_SECONDS },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return Number(out.Attributes?.count ?? 1);
  }
}
