import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoEventStore } from "../../functions/adapters/dynamo/dynamo-event-store.ts";
import { keys, TENANT_EVENT_SHARDS } from "../../functions/adapters/dynamo/table-design.ts";
import { createDocumentClient } from "../../functions/adapters/lambda/aws-clients.ts";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { newId } from "../../functions/core/kernel/ids.ts";
import type { EventRecord } from "../../functions/core/kernel/model.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { endpointFixture } from "../support/fakes.ts";
import { leaks } from "../support/portal-probe.ts";

/*
 * A session limited to an endpoint that got few of its tenant's many events, on the DynamoDB adapter
 * (dynalite): the filtered read of the tenant's 16-shard list stops at its bound and answers a short
 * or empty page with a cursor, the cursor carries on from there, every event of the session's
 * endpoint comes in order, and no page or cursor names another endpoint's event.
 */

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
/** Gaps between the session's events wider than one filtered page may read: 16 shards read and 66 refills, 100 items a query (the older lists are empty here). */
const OTHERS = 1000 * TENANT_EVENT_SHARDS;
/** Where the session's endpoint's events fall among them (0 = oldest). */
const MINE_AT = [0, 1, 3000, 6000, OTHERS - 1];
/**
 * The most DynamoDB queries one filtered page may make: 33 partitions read (the list's shards on the
 * table, the gsi2 shards of events from before it, the unsharded list), 2 × 33 refills, one query each.
 */
const MAX_QUERIES = 3 * (2 * TENANT_EVENT_SHARDS + 1);

let dynamo: Emulator;
let client: DynamoDBDocumentClient;
const counted = { queries: 0, scanned: 0 };

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", dynamo.url);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  await ensureTable(new DynamoDBClient({}), "sparse");
  client = createDocumentClient();
  // Counts the queries and the items DynamoDB evaluated, to hold a page to its bound.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === "QueryCommand") {
        counted.queries++;
        counted.scanned += (out.output as { ScannedCount?: number }).ScannedCount ?? 0;
      }
      return out;
    },
    { step: "initialize" },
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await dynamo?.stop();
});

describe("a limited session's event list over a tenant's many events", () => {
  it("pages short within its bound, in order, to the end, naming none of the other events", async () => {
    const events = new DynamoEventStore(client, "sparse");
    const deps = { ...memoryApiDeps(), events };
    await deps.endpoints.put(endpointFixture({ id: "ep_mine", tenantId: "t" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_other", tenantId: "t" }));
    const all: EventRecord[] = Array.from({ length: OTHERS }, (_, i) => ({
      id: newId("evt", Date.UTC(2026, 11, 1) + i * 1000),
      tenantId: "t",
      type: "order.paid",
      body: `{"n":${i}}`,
      createdAt: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
      requestHash: "h",
      endpointIds: MINE_AT.includes(i) ? ["ep_other", "ep_mine"] : ["ep_other"],
      expiresAt: 1_900_000_000,
    }));
    // Written as putNew writes them (same keys and index attributes), 25 to a request, to be quick.
    for (let i = 0; i < all.length; i += 25) {
      const items = all.slice(i, i + 25).map((e) => ({ ...keys.listedEvent(e.tenantId, e.createdAt, e.id), ...e }));
      await client.send(new BatchWriteCommand({ RequestItems: { sparse: items.map((Item) => ({ PutRequest: { Item } })) } }));
    }
    expect((await events.get("t", (all[3000] as EventRecord).id))?.endpointIds).toEqual(["ep_other", "ep_mine"]);
    const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
    const session = JSON.parse(
      (await handler(apiEvent("POST", "/v1/portal-sessions", { body: { tenantId: "t", endpointIds: ["ep_mine"] } }), {} as Context))
        .body as string,
    ).token as string;

    const mine = all.filter((e) => e.endpointIds.includes("ep_mine")).map((e) => e.id);
    const forbidden = all.map((e) => e.id).filter((id) => !mine.includes(id));
    const seen: string[] = [];
    const pages: { items: number; queries: number; scanned: number; ms: number }[] = [];
    let cursor: string | undefined;
    do {
      const before = { ...counted, at: performance.now() };
      const path = `/v1/events?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const reply = await handler(apiEvent("GET", path, { headers: { authorization: `Portal ${session}` } }), {} as Context);
      expect(reply.statusCode).toBe(200);
      const page = JSON.parse(reply.body as string) as { items: { id: string }[]; nextCursor: string | null };
      expect(leaks(reply.body as string, forbidden)).toEqual([]);
      seen.push(...page.items.map((e) => e.id));
      const ms = performance.now() - before.at;
      pages.push({ items: page.items.length, queries: counted.queries - before.queries, scanned: counted.scanned - before.scanned, ms });
      cursor = page.nextCursor ?? undefined;
      expect(pages.length).toBeLessThan(100);
    } while (cursor !== undefined);

    expect(seen).toEqual([...mine].reverse());
    // Some pages came back short with a cursor: the bound was reached, and the cursor carried on.
    expect(pages.slice(0, -1).some((p) => p.items < 2)).toBe(true);
    for (const p of pages) expect(p.queries).toBeLessThanOrEqual(MAX_QUERIES);
    console.info(
      `limited event list over ${OTHERS} events, ${mine.length} of them its own: ${pages.length} pages of limit 2; per page ` +
        `at most ${Math.max(...pages.map((p) => p.queries))} queries and ${Math.max(...pages.map((p) => p.scanned))} items evaluated ` +
        `(slowest page ${Math.round(Math.max(...pages.map((p) => p.ms)))} ms on dynalite)`,
    );
  });
});
