import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoSvixMemo } from "../../functions/adapters/dynamo/dynamo-svix-memo.ts";
import { live, type SvixMemo } from "../../functions/core/svix/memo.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { MemorySvixMemo } from "../support/memory-tenants.ts";

/*
 * The Svix face's memo on the DynamoDB emulator and in memory: the same scenarios, so the fake the
 * unit tests use behaves as the table does.
 */
const TABLE = "svix-memo";
let dynamo: Emulator;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

describe.each([
  ["the DynamoDB table", () => new DynamoSvixMemo(client, TABLE) as SvixMemo],
  ["the in-memory fake", () => new MemorySvixMemo() as SvixMemo],
])("the Svix memo in %s", (_name, makeMemo) => {
  it("keeps the first value of a name, per scope, and answers it to every later writer", async () => {
    const memo = makeMemo();
    const name = fc.stringMatching(/^[A-Za-z0-9#_ /.-]{1,40}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.constantFrom("admin", "tenant#a", "b"), name), { minLength: 1, maxLength: 5 }),
        async (entries) => {
          const tag = Math.random().toString(36).slice(2);
          for (const [scope, n] of entries) {
            expect(await memo.remember(scope, `${tag}${n}`, `first ${scope}`, 2_000_000_000)).toBe(`first ${scope}`);
            expect(await memo.remember(scope, `${tag}${n}`, "second", 2_000_000_000)).toBe(`first ${scope}`);
          }
          for (const [scope, n] of entries) expect((await memo.recall(scope, `${tag}${n}`))?.value).toBe(`first ${scope}`);
          expect(await memo.recall("other", `${tag}${entries[0]?.[1]}`)).toBeUndefined();
        },
      ),
      { numRuns: 10 },
    );
  });

  it("reads an entry past its expiry as gone", async () => {
    const memo = makeMemo();
    await memo.remember("s", "old", "v", 1_000);
    expect(live(await memo.recall("s", "old"), new Date(1_001_000))).toBeUndefined();
    expect(live(await memo.recall("s", "old"), new Date(999_000))).toBe("v");
  });
});
