import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { MemoEntry, SvixMemo } from "../../core/svix/memo.ts";
import { conditionalWrite, dynamo } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

/** The Svix face's memo in the DynamoDB table: one item per entry, written once, removed by its TTL. */
export class DynamoSvixMemo implements SvixMemo {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async remember(scope: string, name: string, value: string, expiresAt: number): Promise<string> {
    const written = await conditionalWrite("remember", () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.svixMemo(scope, name), value, expiresAt },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
    return written ? value : ((await this.recall(scope, name))?.value ?? value);
  }

  async recall(scope: string, name: string): Promise<MemoEntry | undefined> {
    const out = await dynamo("recall", () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: keys.svixMemo(scope, name), ConsistentRead: true })),
    );
    return out.Item && { value: out.Item.value as string, expiresAt: out.Item.expiresAt as number };
  }
}
