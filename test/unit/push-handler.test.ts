import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feedSlotsEndpoint, keys } from "../../functions/adapters/dynamo/table-design.ts";
import { createApiKey } from "../../functions/core/access/api-keys.ts";
import { createPushHandler, type PushEvent } from "../../functions/push/handler.ts";
import { memoryPushDeps } from "../support/push-deps.ts";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function route(routeKey: string, connectionId: string, body?: string): PushEvent {
  return { requestContext: { routeKey, connectionId }, body, isBase64Encoded: false } as unknown as PushEvent;
}

describe("the push function's handler", () => {
  it("reads the endpoint of any feed slot's key (endpoint ids as they are made) from the stream, and of no other item", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), (endpointId) => {
        expect(feedSlotsEndpoint(keys.feedSlots(endpointId))).toBe(endpointId);
        expect(feedSlotsEndpoint(keys.feedHead(endpointId).pk)).toBeUndefined();
        expect(feedSlotsEndpoint(keys.endpoint(endpointId).pk)).toBeUndefined();
      }),
    );
  });

  it("runs $connect, $default and $disconnect, and pushes an endpoint's connections on a stream batch naming its slots", async () => {
    const t = memoryPushDeps();
    await t.init();
    const { key } = await createApiKey(t.deps, "acme", "push");
    const handler = createPushHandler(t.deps, silent);
    expect(await handler(route("$connect", "c1"))).toEqual({ statusCode: 200 });
    await handler(route("$default", "c1", JSON.stringify({ action: "subscribe", endpointId: "ep_1", authorization: `Bearer ${key}` })));
    const appended = [await t.append(), await t.append()];
    const records = [keys.feedSlots("ep_1"), keys.feedHead("ep_1").pk, keys.feedSlots("ep_1")].map((pk) => ({
      dynamodb: { Keys: { pk: { S: pk } } },
    }));
    await handler({ Records: records } as unknown as PushEvent);
    const items = (t.deps.channel.of("c1") as { type: string; item?: { id: string } }[]).filter((f) => f.type === "item");
    expect(items.map((f) => f.item?.id)).toEqual(appended);
    await handler(route("$disconnect", "c1"));
    expect(t.deps.connections.items.size).toBe(0);
  });

  it("closes on a deadline message a connection that has not subscribed, drops a message that is no deadline, and returns only a failed one", async () => {
    const t = memoryPushDeps();
    await t.init();
    const { key } = await createApiKey(t.deps, "acme", "push");
    const handler = createPushHandler(t.deps, silent);
    for (const id of ["silent", "subscribed", "broken"]) await handler(route("$connect", id));
    await handler(
      route("$default", "subscribed", JSON.stringify({ action: "subscribe", endpointId: "ep_1", authorization: `Bearer ${key}` })),
    );
    expect(t.deps.deadlines.scheduled.map((d) => d.connectionId)).toEqual(["silent", "subscribed", "broken"]);
    const get = t.deps.connections.get.bind(t.deps.connections);
    t.deps.connections.get = async (id: string) => {
      if (id === "broken") throw new Error("the table is unreachable");
      return get(id);
    };
    const bodies = fc.sample(
      fc.oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.constant(JSON.stringify({ v: 2, connectionId: "silent" })),
      ),
      20,
    );
    const records = [
      ...["silent", "subscribed", "broken", "gone"].map((id) => JSON.stringify({ v: 1, connectionId: id })),
      ...bodies.filter((b) => !/"v":1,"connectionId"/.test(b)),
    ].map((body, i) => ({ messageId: `m${i}`, body, eventSource: "aws:sqs" }));
    const answer = await handler({ Records: records } as unknown as PushEvent);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "m2" }] });
    expect(t.deps.channel.closes.get("silent")?.code).toBe(4401);
    expect(t.deps.channel.closes.has("subscribed")).toBe(false);
    expect(t.deps.channel.closes.has("gone")).toBe(false);
    expect([...t.deps.connections.items.keys()].sort()).toEqual(["broken", "subscribed"]);
  });
});
