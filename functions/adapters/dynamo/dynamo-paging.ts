import type { DynamoDBDocumentClient, QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type ApiError, DependencyError, invalidField } from "../../core/kernel/errors.ts";
import type { Page } from "../../core/kernel/ports.ts";
import { mergeNewestFirst, type ShardRead } from "./sharded-paging.ts";

type Item = Record<string, unknown>;

/** Runs a DynamoDB call and turns any failure into a DependencyError. */
export async function dynamo<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new DependencyError("dynamodb", `DynamoDB ${what} failed`, { cause });
  }
}

/**
 * A write with a condition: true when it was made, false when its condition did not hold (another
 * writer got there first); any other failure is a DependencyError, as with `dynamo`.
 */
export async function conditionalWrite(what: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await dynamo(what, call);
    return true;
  } catch (error) {
    if (((error as Error).cause as Error | undefined)?.name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/**
 * One page of a query, `limit` items at most, reading further pages when a filter thins them out.
 * The cursor is the key of the last item returned, so no item is skipped or shown twice.
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  keyNames: readonly string[],
  limit: number,
  cursor?: string,
): Promise<Page<Item>> {
  const items: Item[] = [];
  const partition = keyNames[0] as string;
  let startKey = cursor === undefined ? undefined : decodeCursor(cursor, keyNames);
  if (startKey && startKey[partition] !== input.ExpressionAttributeValues?.[":pk"]) throw invalidCursor();
  let more = true;
  for (let reads = 0; reads < 10 && more && items.length < limit; reads++) {
    const out = await dynamo("query", () =>
      client.send(
        new QueryCommand({
          ...input,
          Limit: input.FilterExpression ? Math.max(limit, 100) : limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...((out.Items as Item[] | undefined) ?? []));
    startKey = out.LastEvaluatedKey;
    more = startKey !== undefined;
  }
  const page = items.slice(0, limit);
  const tail = page.at(-1);
  const hasMore = items.length > limit || more;
  return {
    items: page,
    nextCursor: hasMore && tail ? encodeCursor(Object.fromEntries(keyNames.map((k) => [k, tail[k]]))) : undefined,
  };
}

/** One request of a BatchWriteItem: a put or a delete. */
export type WriteRequest = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]["RequestItems"]>[string][number];

/** Writes the requests, 25 per BatchWriteItem, retrying what DynamoDB leaves unprocessed (a few times, backing off). */
export async function writeBatches(
  client: DynamoDBDocumentClient,
  table: string,
  what: string,
  all: readonly WriteRequest[],
): Promise<void> {
  for (let i = 0; i < all.length; i += 25) {
    let requests: WriteRequest[] | undefined = all.slice(i, i + 25);
    for (let tries = 0; requests && requests.length > 0; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
      if (tries > 6) throw new DependencyError("dynamodb", `DynamoDB left writes unprocessed (${what})`);
      const batch: WriteRequest[] = requests;
      const out = await dynamo(what, () => client.send(new BatchWriteCommand({ RequestItems: { [table]: batch } })));
      requests = out.UnprocessedItems?.[table];
    }
  }
}

/** Every item a query returns, all pages. */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo("query", () => client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
    items.push(...((out.Items as Item[] | undefined) ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A list spread over several partitions of an index (see table-design.ts), plus the unsharded list it replaced. */
export interface ShardedList {
  index: string | undefined;
  partitionKey: string;
  sortKey: string;
  /** The partition key of each shard, the unsharded list last; a partition read elsewhere (another index, the table) names where. */
  partitions: readonly (string | ListPartition)[];
}

/** A shard kept under other key names than its list's (the list moved from an index to the table): its sort keys are read as the list's. */
export interface ListPartition {
  pk: string;
  index: string | undefined;
  partitionKey: string;
  sortKey: string;
}

/** What a sharded read keeps: a range of sort keys and a filter on the items. */
export interface ShardedQuery {
  /** The page starts below this sort key when there is no cursor. */
  firstBound?: string;
  /** Sort keys from this one on only. */
  since?: string;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  /** Queries one shard read may make while a filter thins it out (default 10): with the refills, the page's bound. */
  readsPerShard?: number;
}

/**
 * One page of a sharded list, newest first, merged from one query per shard. The cursor names the
 * list and the sort key the next page starts below; a cursor of another list is refused, and so
 * is a cursor given out before the shards when it names another list.
 */
export async function querySharded(
  client: DynamoDBDocumentClient,
  table: string,
  list: ShardedList,
  limit: number,
  cursor: string | undefined,
  query: ShardedQuery,
): Promise<Page<Item>> {
  const where = list.partitions.map((p) =>
    typeof p === "string" ? { pk: p, index: list.index, partitionKey: list.partitionKey, sortKey: list.sortKey } : p,
  );
  const name = (where.at(-1) as ListPartition).pk;
  const before = cursor === undefined ? query.firstBound : cursorBound(cursor, list, name);
  const page = await mergeNewestFirst(
    where.length,
    async (shard, bound, want) => {
      const at = where[shard] as ListPartition;
      const read = await readShard(client, table, at, bound, want, query);
      if (at.sortKey !== list.sortKey) for (const item of read.items) item[list.sortKey] = item[at.sortKey];
      return read;
    },
    (item) => item[list.sortKey] as string,
    limit,
    before,
  );
  return {
    items: page.items,
    nextCursor: page.next === undefined ? undefined : encodeCursor({ [list.partitionKey]: name, [list.sortKey]: page.next }),
  };
}

/** One shard's newest items below `before`, reading on (`readsPerShard` reads, 10 by default) while a filter thins them out. */
async function readShard(
  client: DynamoDBDocumentClient,
  table: string,
  { pk, ...list }: ListPartition,
  before: string | undefined,
  want: number,
  { since, filter, readsPerShard = 10 }: ShardedQuery,
): Promise<ShardRead> {
  const sk = list.sortKey;
  // BETWEEN includes its upper end: the item at `before` (the last one shown) is dropped below.
  const range =
    since !== undefined
      ? { condition: ` AND ${sk} BETWEEN :since AND :before`, values: { ":since": since, ":before": before ?? "\uffff" } }
      : before !== undefined
        ? { condition: ` AND ${sk} < :before`, values: { ":before": before } }
        : { condition: "", values: {} };
  const input: QueryCommandInput = {
    TableName: table,
    ...(list.index !== undefined && { IndexName: list.index }),
    KeyConditionExpression: `${list.partitionKey} = :pk${range.condition}`,
    ExpressionAttributeValues: { ":pk": pk, ...range.values, ...filter?.values },
    ...(filter && { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names }),
    ScanIndexForward: false,
  };
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (let reads = 0; reads < readsPerShard && items.length < want; reads++) {
    const out = await dynamo("query", () =>
      client.send(new QueryCommand({ ...input, Limit: filter ? Math.max(want, 100) : want - items.length, ExclusiveStartKey: startKey })),
    );
    items.push(...((out.Items ?? []) as Item[]).filter((item) => item[sk] !== before));
    startKey = out.LastEvaluatedKey;
    if (startKey === undefined) return { items };
  }
  return { items, frontier: startKey?.[sk] as string };
}

/** The sort-key bound a cursor holds for this list; cursors from before the shards named their last item's four keys. */
export function cursorBound(cursor: string, list: Pick<ShardedList, "partitionKey" | "sortKey">, name: string): string {
  let key: Item;
  try {
    key = decodeCursor(cursor, [list.partitionKey, list.sortKey]);
  } catch {
    key = decodeCursor(cursor, [list.partitionKey, list.sortKey, "pk", "sk"]);
  }
  if (key[list.partitionKey] !== name) throw invalidCursor();
  return key[list.sortKey] as string;
}

/** A cursor naming a key: base64url JSON. */
export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeCursor(cursor: string, keyNames: readonly string[]): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString()) as Item;
    const names = Object.keys(key).sort();
    const valid =
      names.length === keyNames.length &&
      [...keyNames].sort().every((k, i) => names[i] === k && typeof key[k] === "string" && (key[k] as string).length <= 1024);
    if (valid) return key;
  } catch {
    // fall through to the error
  }
  throw invalidCursor();
}

/** The 400 of a cursor this API did not give out. */
export function invalidCursor(): ApiError {
  return invalidField("cursor", "is not one this API gave out");
}

/** A key condition from `since` (inclusive) to below `top`; BETWEEN includes `top`, whose item the reader drops. */
export function sortRange(partitionKey: string, sortKey: string, pk: string, top: string | undefined, since: string | undefined) {
  const names = { "#pk": partitionKey, "#sk": sortKey };
  if (since !== undefined)
    return {
      KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :since AND :top",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":pk": pk, ":since": since, ":top": top ?? "\uffff" },
    };
  if (top !== undefined)
    return {
      KeyConditionExpression: "#pk = :pk AND #sk < :top",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":pk": pk, ":top": top },
    };
  return {
    KeyConditionExpression: "#pk = :pk",
    ExpressionAttributeNames: { "#pk": partitionKey },
    ExpressionAttributeValues: { ":pk": pk },
  };
}
