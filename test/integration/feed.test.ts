import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HookrelayClient } from "../../clients/typescript/src/index.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * Polling endpoints on the local stack: events reach the feed through the real queue, worker and
 * table, and the feed is read over HTTP as a consumer would, long polls included.
 */
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(stack.apiUrl + path, {
    method,
    headers: { authorization: "Bearer local-admin-key", ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

interface Item {
  id: string;
  eventId: string;
  payload: unknown;
  body: string;
  headers: Record<string, string>;
}

describe("a polling endpoint's feed on the local stack", () => {
  let endpoint: { id: string; secret: string };
  let cursor: string;

  beforeAll(async () => {
    endpoint = (await api("POST", "/v1/endpoints", { kind: "polling", eventTypes: ["invoice.paid"], tenantId: "feed-it" })).json;
    cursor = (await api("GET", `/v1/endpoints/${endpoint.id}/feed`)).json.cursor;
  });

  it("delivers an emitted event to the feed, signed for the endpoint's secret", async () => {
    const emitted = (await api("POST", "/v1/events", { type: "invoice.paid", tenantId: "feed-it", payload: { invoice: "in_1" } })).json;
    const read = await eventually(async () => {
      const got = await api("GET", `/v1/endpoints/${endpoint.id}/feed?cursor=${cursor}`);
      return got.json.items.length > 0 ? got.json : undefined;
    });
    const [item] = read.items as Item[];
    expect(item?.eventId).toBe(emitted.id);
    // The feed signs with the event's message id, as a POST would send it, read back from the table.
    expect(emitted.messageId).toMatch(/^msg_/);
    expect(item?.headers["webhook-id"]).toBe(emitted.messageId);
    expect(new Webhook(endpoint.secret).verify(item?.body ?? "", item?.headers ?? {})).toEqual({ invoice: "in_1" });
    cursor = read.cursor;
    const attempts = await api("GET", `/v1/events/${emitted.id}/attempts?tenantId=feed-it`);
    expect(attempts.json.items).toEqual([expect.objectContaining({ endpointId: endpoint.id, status: "succeeded" })]);
  });

  it("answers a long poll with an event emitted while it waits", async () => {
    const held = api("GET", `/v1/endpoints/${endpoint.id}/feed?wait=15&cursor=${cursor}`);
    const emitted = (await api("POST", "/v1/events", { type: "invoice.paid", tenantId: "feed-it", payload: { invoice: "in_2" } })).json;
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.json.items.map((i: Item) => i.eventId)).toEqual([emitted.id]);
    cursor = answer.json.cursor;
  });

  it("holds a long poll with nothing to hand out through the local gateway, then answers with the same cursor", async () => {
    const answer = await api("GET", `/v1/endpoints/${endpoint.id}/feed?wait=3&cursor=${cursor}`);
    expect(answer).toEqual({ status: 200, json: { items: [], cursor } });
  });

  it("appends a replayed event again, with the same event id and a new item id", async () => {
    const emitted = (await api("POST", "/v1/events", { type: "invoice.paid", tenantId: "feed-it", payload: { invoice: "in_3" } })).json;
    const first = await eventually(async () => {
      const got = await api("GET", `/v1/endpoints/${endpoint.id}/feed?wait=5&cursor=${cursor}`);
      return got.json.items.length > 0 ? got.json : undefined;
    });
    expect((await api("POST", `/v1/events/${emitted.id}/replay`, { tenantId: "feed-it" })).status).toBe(202);
    const again = await eventually(async () => {
      const got = await api("GET", `/v1/endpoints/${endpoint.id}/feed?wait=5&cursor=${first.cursor}`);
      return got.json.items.length > 0 ? got.json : undefined;
    });
    expect(again.items.map((i: Item) => i.eventId)).toEqual([emitted.id]);
    expect(again.items[0].id).not.toBe(first.items[0].id);
  });

  it("appends nothing while the endpoint is disabled, and its events after it is enabled again", async () => {
    const start = (await api("GET", `/v1/endpoints/${endpoint.id}/feed?wait=1&cursor=${cursor}`)).json.cursor;
    await api("PATCH", `/v1/endpoints/${endpoint.id}`, { enabled: false });
    const skipped = (await api("POST", "/v1/events", { type: "invoice.paid", tenantId: "feed-it", payload: { n: 1 } })).json;
    expect(skipped.endpoints).toBe(0);
    await api("PATCH", `/v1/endpoints/${endpoint.id}`, { enabled: true });
    const later = (await api("POST", "/v1/events", { type: "invoice.paid", tenantId: "feed-it", payload: { n: 2 } })).json;
    const read = await eventually(async () => {
      const got = await api("GET", `/v1/endpoints/${endpoint.id}/feed?wait=5&cursor=${start}`);
      return got.json.items.some((i: Item) => i.eventId === later.id) ? got.json : undefined;
    });
    expect(read.items.map((i: Item) => i.eventId)).not.toContain(skipped.id);
  });

  it("is followed by the typed client's feed iterator, in order, and resumed from the cursor it reported", async () => {
    const client = new HookrelayClient({ baseUrl: stack.apiUrl, apiKey: "local-admin-key" });
    const own = await client.createEndpoint({ kind: "polling", tenantId: "feed-client" });
    for (let n = 1; n <= 3; n++) await client.emit({ type: "a", tenantId: "feed-client", payload: { n } });
    let kept: string | undefined;
    const seen: unknown[] = [];
    for await (const item of client.feed(own.id, {
      wait: 5,
      limit: 2,
      onCursor: (c) => {
        kept = c;
      },
    })) {
      seen.push(item.payload);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await client.emit({ type: "a", tenantId: "feed-client", payload: { n: 4 } });
    const resumed: unknown[] = [];
    for await (const item of client.feed(own.id, { wait: 5, cursor: kept })) {
      resumed.push(item.payload);
      if ((item.payload as { n: number }).n === 4) break;
    }
    // At least once: items after the last reported cursor come again, then the new one.
    expect(resumed.at(-1)).toEqual({ n: 4 });
    expect(seen.slice(seen.length - (resumed.length - 1))).toEqual(resumed.slice(0, -1));
  });
});
