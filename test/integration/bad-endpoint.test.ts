import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoEndpointStore } from "../../functions/adapters/dynamo/dynamo-endpoint-store.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * An endpoint stored before today's header rules (written straight to the table, as an older
 * version would have accepted it) holds a header Node's client throws on. Its deliveries must fail
 * as attempts while the same stack keeps delivering to everyone else.
 */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 204 }));
  stack = await startStack({ env: { RETRY_SCHEDULE: "1,1" } });
});
afterAll(async () => {
  await stack.stop("SIGKILL");
  await receiver.close();
});

describe("a bad stored endpoint", () => {
  it("fails its own attempts as request_invalid and crashes nothing", async () => {
    const bad = (await stack.api("POST", "/v1/endpoints", { url: `${receiver.url}/bad`, tenantId: "t-bad" })).json;
    const good = (await stack.api("POST", "/v1/endpoints", { url: `${receiver.url}/good`, tenantId: "t-good" })).json;
    const ready = JSON.parse(/^READY (.*)$/m.exec(stack.output())?.[1] ?? "{}") as { dynamoUrl: string };
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: ready.dynamoUrl, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } }),
    );
    const store = new DynamoEndpointStore(documents, RESOURCE_NAMES.table);
    const stored = await store.get(bad.id);
    expect(stored).toBeDefined();
    await store.put({ ...(stored as NonNullable<typeof stored>), headers: { Trailer: "x", "x-bad": "a\r\nb" } });

    const badEvents = await Promise.all(
      Array.from({ length: 5 }, (_, i) => stack.api("POST", "/v1/events", { type: "a", payload: i, tenantId: "t-bad" })),
    );
    const goodEvent = (await stack.api("POST", "/v1/events", { type: "a", payload: "ok", tenantId: "t-good" })).json;
    await eventually(async () => receiver.requests.some((r) => r.path === "/good"));
    const attempts = await eventually(async () => {
      const page = (await stack.api("GET", `/v1/endpoints/${bad.id}/attempts`)).json;
      return page.items.length >= 5 ? page.items : undefined;
    });
    for (const attempt of attempts) expect(attempt).toMatchObject({ status: "failed", error: "request_invalid" });
    expect(receiver.requests.some((r) => r.path === "/bad")).toBe(false);
    expect(badEvents.every((e) => e.status === 202)).toBe(true);
    const view = (await stack.api("GET", `/v1/events/${goodEvent.id}?tenantId=t-good`)).json;
    expect(view.deliveries).toEqual([expect.objectContaining({ endpointId: good.id, status: "succeeded" })]);
    expect(stack.child.exitCode).toBeNull();
    expect((await stack.api("GET", "/v1/health")).status).toBe(200);
  });
});
