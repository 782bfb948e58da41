import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../functions/adapters/dynamo/table-design.ts";
import { eventIdForKey, requestHash } from "../../functions/core/kernel/ids.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";
import { type Answer, normalize, type TenantCall } from "../support/tenant-scenario.ts";

/*
 * On the running local stack (DynamoDB and SQS emulators, the real worker, a real receiver): tenant
 * "b" squats tenant "a"'s ids and keys, then "a" runs a sequence of calls; a tenant nobody touched
 * ("c") runs the same sequence. Their answers must be the same but for generated ids and times.
 */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 204 }));
  // The sweeper runs often here, to finish a half-sent event written in the old key format.
  stack = await startStack({ env: { LOCAL_SWEEP_INTERVAL_MS: "500", UNSENT_SWEEP_AFTER_SECONDS: "1" } });
});

afterAll(async () => {
  await receiver.close();
  await stack.stop();
});

/** A tenant with a key of its own and one catch-all endpoint at `path` of the receiver. */
async function tenant(tenantId: string, path: string): Promise<TenantCall> {
  const created = await stack.api("POST", "/v1/api-keys", { tenantId, name: tenantId });
  expect(created.status).toBe(201);
  const call: TenantCall = async (method, route, body, headers = {}) => {
    const response = await stack.api(method, route, body, { authorization: `Bearer ${created.json.key}`, ...headers });
    return { status: response.status, json: response.json, replayed: response.headers.get("idempotent-replayed") === "true" };
  };
  expect((await call("POST", "/v1/endpoints", { url: `${receiver.url}${path}` })).status).toBe(201);
  return call;
}

/** Waits until every delivery of each event has succeeded. */
async function delivered(call: TenantCall, ids: string[]): Promise<void> {
  for (const id of ids) {
    await eventually(async () => {
      const view = (await call("GET", `/v1/events/${id}`)).json as { deliveries?: { status: string }[] };
      return view.deliveries?.length && view.deliveries.every((d) => d.status === "succeeded");
    });
  }
}

/** The calls "a" and "c" make: keyed repeats and conflicts, chosen ids, a batch, reads and a replay. */
async function sequence(call: TenantCall): Promise<Answer[]> {
  const answers: Answer[] = [];
  const ask = async (...args: Parameters<TenantCall>) => {
    const answer = await call(...args);
    answers.push(answer);
    return answer;
  };
  const keyed = { "idempotency-key": "k1" };
  const first = await ask("POST", "/v1/events", { type: "order.paid", payload: { n: 1 } }, keyed);
  await ask("POST", "/v1/events", { type: "order.paid", payload: { n: 1 } }, keyed);
  await ask("POST", "/v1/events", { type: "order.paid", payload: { n: 2 } }, keyed);
  await ask("POST", "/v1/events", { id: "order-1", type: "order.paid", payload: { n: 1 } });
  await ask("POST", "/v1/events", { id: "order-1", type: "order.paid", payload: { n: 3 } });
  await ask("POST", "/v1/events/batch", { events: [{ id: "order-2", type: "order.sent", payload: { n: 4 } }] });
  // A fresh tenant's answers: the key's first use, its repeat, its conflict; a chosen id and its conflict; a batch.
  expect(answers.map((x) => x.status)).toEqual([202, 202, 409, 202, 409, 202]);
  const ids = [(first.json as { id: string }).id, "order-1", "order-2"];
  await delivered(call, ids);
  for (const id of ids) {
    await ask("GET", `/v1/events/${id}`);
    await ask("GET", `/v1/events/${id}/attempts`);
  }
  await ask("POST", "/v1/events/order-1/replay", {});
  await ask("GET", "/v1/events/order-3");
  return answers;
}

describe("tenant privacy of event ids and idempotency keys, on the local stack", () => {
  it("gives a tenant whose ids and keys another tenant used first the answers of an untouched tenant", async () => {
    const b = await tenant("b", "/b");
    const squatted = [eventIdForKey("a", "k1"), "order-1", "order-2"];
    const squat = { type: "order.paid", payload: { by: "b" } };
    expect((await b("POST", "/v1/events", { ...squat, id: squatted[0] }, { "idempotency-key": "k1" })).status).toBe(202);
    expect((await b("POST", "/v1/events", { ...squat, id: "order-1" })).status).toBe(202);
    expect((await b("POST", "/v1/events/batch", { events: [{ ...squat, id: "order-2" }] })).status).toBe(202);
    await delivered(b, squatted);
    expect((await b("POST", "/v1/events/order-1/replay", {})).status).toBe(202);

    const a = await tenant("a", "/hook");
    const afterSquat = await sequence(a);
    expect(afterSquat.map((x) => x.status)).toEqual([202, 202, 409, 202, 409, 202, 200, 200, 200, 200, 200, 200, 202, 404]);
    const c = await tenant("c", "/hook");
    // A 404 names the caller's own tenant: "c" where "a" reads "a".
    const untouched = JSON.parse(
      JSON.stringify(await sequence(c))
        .replaceAll('"tenantId":"c"', '"tenantId":"a"')
        .replaceAll("in tenant c ", "in tenant a "),
    );
    expect(normalize(afterSquat)).toEqual(normalize(untouched));

    // "b" reads its own events of those ids, never "a"'s; the admin reads "a"'s by naming the tenant.
    const aKeyed = (afterSquat[0]?.json as { id: string }).id;
    expect(aKeyed).toBe(eventIdForKey("a", "k1"));
    for (const id of [aKeyed, "order-1"]) {
      expect((await b("GET", `/v1/events/${id}`)).json).toMatchObject({ tenantId: "b", payload: { by: "b" } });
      const attempts = ((await b("GET", `/v1/events/${id}/attempts`)).json as { items: { tenantId: string }[] }).items;
      expect(attempts.length).toBeGreaterThan(0);
      expect(attempts.every((i) => i.tenantId === "b")).toBe(true);
      expect((await stack.api("GET", `/v1/events/${id}?tenantId=a`)).json).toMatchObject({ tenantId: "a" });
    }
    // Each tenant's receiver got its own event, under a webhook-id of that tenant's: the same event id
    // names two messages.
    const messageOf = async (tenantId: string) => (await stack.api("GET", `/v1/events/order-1?tenantId=${tenantId}`)).json.messageId;
    const [ofA, ofB] = [await messageOf("a"), await messageOf("b")];
    expect(ofA).not.toBe(ofB);
    const bodiesWith = (id: string, path: string) =>
      receiver.requests.filter((r) => r.headers["webhook-id"] === id && r.path === path).map((r) => JSON.parse(r.body));
    expect(bodiesWith(ofB, "/b")).toContainEqual({ by: "b" });
    expect(bodiesWith(ofA, "/hook")).toContainEqual({ n: 1 });
    expect(receiver.requests.some((r) => r.headers["webhook-id"] === "order-1")).toBe(false);
  });

  it("reads events written in the old key format for their own tenant only, and finishes one left half-sent", async () => {
    const ready = JSON.parse(/^READY (.*)$/m.exec(stack.output())?.[1] ?? "{}") as { dynamoUrl: string };
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: ready.dynamoUrl, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } }),
    );
    const ep = (await stack.api("POST", "/v1/endpoints", { url: `${receiver.url}/old`, tenantId: "t-old" })).json;
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    // As an older version wrote them: sk "EVENT", the tenant only in an attribute.
    const old = (id: string, extra: Record<string, unknown> = {}) => ({
      ...keys.legacyEvent(id),
      id,
      tenantId: "t-old",
      type: "a",
      body: '{"n":1}',
      createdAt,
      requestHash: requestHash("t-old", "a", '{"n":1}'),
      endpointIds: [ep.id],
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      ...extra,
    });
    await documents.send(new PutCommand({ TableName: RESOURCE_NAMES.table, Item: old("old-1") }));
    // Stored before message ids: its id stays its webhook-id, on a replay too.
    expect((await stack.api("GET", "/v1/events/old-1?tenantId=t-old")).json).toMatchObject({
      id: "old-1",
      messageId: "old-1",
      payload: { n: 1 },
    });
    expect((await stack.api("GET", "/v1/events/old-1?tenantId=t-new")).status).toBe(404);
    const repeat = await stack.api("POST", "/v1/events", { id: "old-1", type: "a", payload: { n: 1 }, tenantId: "t-old" });
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect((await stack.api("POST", "/v1/events", { id: "old-1", type: "a", payload: { n: 2 }, tenantId: "t-old" })).status).toBe(409);
    const elsewhere = await stack.api("POST", "/v1/events", { id: "old-1", type: "a", payload: { n: 2 }, tenantId: "t-new" });
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.headers.get("idempotent-replayed")).toBeNull();
    expect(elsewhere.json.messageId).toMatch(/^msg_[A-Za-z0-9]{27}$/);
    expect((await stack.api("POST", "/v1/events/old-1/replay", { tenantId: "t-old" })).status).toBe(202);
    const replayed = await eventually(async () => receiver.requests.find((r) => r.path === "/old" && r.headers["webhook-id"] === "old-1"));
    expect(new Webhook(ep.secret).verify(replayed.body, replayed.headers)).toEqual({ n: 1 });

    const halfSent = old("old-2", { unsent: [ep.id], gsi1pk: keys.unsentEvents, gsi1sk: `${createdAt}#old-2` });
    await documents.send(new PutCommand({ TableName: RESOURCE_NAMES.table, Item: halfSent }));
    // The sweeper sends it with its id as webhook-id, as the version that accepted it would have.
    await eventually(async () => receiver.requests.some((r) => r.headers["webhook-id"] === "old-2"));
    // Marked sent where it is kept: off the sweeper's list, with no new-format copy beside it.
    await eventually(async () => {
      const item = (await documents.send(new GetCommand({ TableName: RESOURCE_NAMES.table, Key: keys.legacyEvent("old-2") }))).Item;
      return item && item.unsent === undefined && item.gsi1pk === undefined;
    });
    const copy = await documents.send(new GetCommand({ TableName: RESOURCE_NAMES.table, Key: keys.event("t-old", "old-2") }));
    expect(copy.Item).toBeUndefined();
  });

  // Last: it ends the stack the tests above share.
  it("stops gracefully on SIGTERM after all of the above (exit code 0)", async () => {
    expect(await stack.stop("SIGTERM")).toBe(0);
  });
});
