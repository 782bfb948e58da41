import type { Context } from "aws-lambda";
import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function setup() {
  const deps = memoryApiDeps();
  // Tests sign at the real time: the receiver library checks the timestamp against its own clock.
  deps.clock.time = Date.now();
  const authenticator = new Authenticator("admin-key", deps.apiKeys);
  const handler = createApiHandler(deps, async () => authenticator, silent);
  const call = async (...args: Parameters<typeof apiEvent>) => {
    const response = await handler(apiEvent(...args), {} as Context);
    return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
  };
  const append = (endpointId: string, n: number) =>
    appendToFeed({ feed: deps.feed, clock: deps.clock, logRetentionDays: 30 }, endpointId, {
      id: `fi_${n}`,
      eventId: `evt_${n}`,
      eventType: "invoice.paid",
      timestamp: "2026-11-01T00:00:00.000Z",
      body: JSON.stringify({ n }),
    });
  return { deps, call, append };
}

describe("polling endpoints and their feed", () => {
  let t: ReturnType<typeof setup>;
  let endpoint: { id: string; secret: string };
  beforeEach(async () => {
    t = setup();
    const created = await t.call("POST", "/v1/endpoints", { body: { kind: "polling", eventTypes: ["invoice.paid"], tenantId: "acme" } });
    expect(created.statusCode).toBe(201);
    endpoint = created.json;
  });

  it("creates a polling endpoint without a URL, with its signing secret", async () => {
    const shown = await t.call("GET", `/v1/endpoints/${endpoint.id}`);
    expect(shown.json).toMatchObject({ kind: "polling", eventTypes: ["invoice.paid"], tenantId: "acme" });
    expect(shown.json).not.toHaveProperty("url");
    expect(endpoint.secret).toMatch(/^whsec_/);
    const webhook = await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook" } });
    expect(webhook.json).toMatchObject({ kind: "webhook", url: "https://a.example/hook" });
  });

  it.each([
    [{ url: "https://a.example/hook" }, ["url"]],
    [{ headers: { "x-a": "b" }, retrySchedule: [5] }, ["headers", "retrySchedule"]],
    [{ rateLimitPerSecond: 5 }, ["rateLimitPerSecond"]],
  ])("refuses webhook fields on a polling endpoint: %j", async (fields, paths) => {
    const created = await t.call("POST", "/v1/endpoints", { body: { kind: "polling", ...fields } });
    expect(created.statusCode).toBe(422);
    expect(created.json.error.code).toBe("validation_failed");
    expect(created.json.error.details.map((d: { path: string }) => d.path)).toEqual(paths);
    const patched = await t.call("PATCH", `/v1/endpoints/${endpoint.id}`, { body: fields });
    expect(patched.statusCode).toBe(422);
    expect(patched.json.error.code).toBe("validation_failed");
  });

  it("refuses an unknown kind", async () => {
    const created = await t.call("POST", "/v1/endpoints", { body: { kind: "carrier-pigeon", url: "https://a.example/hook" } });
    expect(created.statusCode).toBe(422);
  });

  it("serves items with the event, the signed body and headers the receiver library verifies", async () => {
    await t.append(endpoint.id, 1);
    const read = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed`);
    expect(read.statusCode).toBe(200);
    const [item] = read.json.items;
    expect(item).toMatchObject({ id: "fi_1", eventId: "evt_1", eventType: "invoice.paid", payload: { n: 1 }, body: '{"n":1}' });
    expect(item.headers["webhook-id"]).toBe("evt_1");
    expect(new Webhook(endpoint.secret).verify(item.body, item.headers)).toEqual({ n: 1 });
    expect(typeof read.json.cursor).toBe("string");
  });

  it("signs with the old secret too during a rotation's grace period", async () => {
    await t.append(endpoint.id, 1);
    await t.call("POST", `/v1/endpoints/${endpoint.id}/secret/rotate`, { body: { gracePeriodSeconds: 3600 } });
    const secret = (await t.call("GET", `/v1/endpoints/${endpoint.id}/secret`)).json.secret;
    const [item] = (await t.call("GET", `/v1/endpoints/${endpoint.id}/feed`)).json.items;
    expect(item.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(endpoint.secret).verify(item.body, item.headers)).toEqual({ n: 1 });
    expect(new Webhook(secret).verify(item.body, item.headers)).toEqual({ n: 1 });
  });

  it("pages with the cursor, and answers an empty page with the same cursor", async () => {
    for (let n = 1; n <= 3; n++) await t.append(endpoint.id, n);
    const first = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed?limit=2`);
    expect(first.json.items.map((i: { eventId: string }) => i.eventId)).toEqual(["evt_1", "evt_2"]);
    const second = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed?limit=2&cursor=${first.json.cursor}`);
    expect(second.json.items.map((i: { eventId: string }) => i.eventId)).toEqual(["evt_3"]);
    const third = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed?cursor=${second.json.cursor}`);
    expect(third.json).toEqual({ items: [], cursor: second.json.cursor });
  });

  it("holds an empty answer until an item is appended", async () => {
    const start = (await t.call("GET", `/v1/endpoints/${endpoint.id}/feed`)).json.cursor;
    let looks = 0;
    t.deps.sleep = async (ms: number) => {
      t.deps.clock.advance(ms);
      if (++looks === 3) await t.append(endpoint.id, 1);
    };
    const startedAt = t.deps.clock.time;
    const held = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed?wait=20&cursor=${start}`);
    expect(held.json.items.map((i: { eventId: string }) => i.eventId)).toEqual(["evt_1"]);
    expect(t.deps.clock.time - startedAt).toBeLessThan(1_000);
  });

  it("holds an empty answer for the whole wait, then answers with the same cursor", async () => {
    const start = (await t.call("GET", `/v1/endpoints/${endpoint.id}/feed`)).json.cursor;
    const startedAt = t.deps.clock.time;
    const held = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed?wait=2&cursor=${start}`);
    expect(held.json).toEqual({ items: [], cursor: start });
    expect(t.deps.clock.time - startedAt).toBe(2_000);
  });

  it.each([
    ["wait=21", "wait"],
    ["wait=1.5", "wait"],
    ["wait=-1", "wait"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["cursor=abc.def", "cursor"],
  ])("answers %s with 400 invalid_request naming %s, as every route does", async (queryText, field) => {
    const response = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed?${queryText}`);
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toMatchObject({ code: "invalid_request", details: [{ path: field }] });
  });

  it("hides another tenant's feed and refuses a webhook endpoint's", async () => {
    const key = (await t.call("POST", "/v1/api-keys", { body: { tenantId: "other", name: "k" } })).json.key;
    const foreign = await t.call("GET", `/v1/endpoints/${endpoint.id}/feed`, { key });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json.error.code).toBe("not_found");
    const webhook = (await t.call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook" } })).json;
    const refused = await t.call("GET", `/v1/endpoints/${webhook.id}/feed`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json.error.code).toBe("not_a_polling_endpoint");
  });
});
