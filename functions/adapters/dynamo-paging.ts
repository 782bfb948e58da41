import type { DynamoDBDocumentClient, QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ApiError, DependencyError } from "../core/errors.ts";
import type { Page } from "../core/ports.ts";

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

/** A cursor for the key attributes of the last item a page showed (opaque to the caller). */
export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The key a cursor holds, if it has exactly these string attributes; an invalid_request ApiError otherwise. */
export function decodeCursor(cursor: string, keyNames: readonly string[]): Item {
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

/** The error for a cursor this API did not give out. */
export function invalidCursor(): ApiError {
  return new ApiError("invalid_request", "cursor is not one this API gave out", { parameter: "cursor" });
}
