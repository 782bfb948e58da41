import { gunzipSync } from "node:zlib";
import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator, createApiKey } from "../../functions/core/access/api-keys.ts";
import type { AttemptRecord, EventRecord } from "../../functions/core/kernel/model.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { endpointFixture, FakeClock } from "../support/fakes.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function setup() {
  const deps = { ...memoryApiDeps(), clock: new FakeClock(Date.parse("2026-11-02T12:30:00Z")), maxBodyBytes: 4096 };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const call = async (...args: Parameters<typeof apiEvent>) => {
    const response = await handler(apiEvent(...args), {} as Context);
    const raw = response.isBase64Encoded ? Buffer.from(response.body ?? "", "base64") : Buffer.from(response.body ?? "");
    const text = response.headers?.["content-encoding"] === "gzip" ? gunzipSync(raw).toString() : raw.toString();
    return { ...response, text, json: text && response.headers?.["content-type"] === "application/json" ? JSON.parse(text) : undefined };
  };
  return { deps, call };
}

const event = (id: string, tenantId: string, type: string, createdAt: string): EventRecord => ({
  id,
  tenantId,
  type,
  body: "{}",
  createdAt,
  requestHash: "h",
  endpointIds: [],
  expiresAt: 0,
});

describe("the console page", () => {
  it("is served gzipped without a key, under a strict policy that no page may frame", async () => {
    const { call } = setup();
    const page = await call("GET", "/console", { key: null, headers: { "accept-encoding": "gzip, br" } });
    expect(page.statusCode).toBe(200);
    expect(page.headers?.["content-encoding"]).toBe("gzip");
    expect(page.headers?.["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers?.["content-security-policy"]).toMatch(/default-src 'none'.*script-src 'self'.*frame-ancestors 'none'/);
    expect(page.headers?.["content-security-policy"]).not.toMatch(/unsafe/);
    expect(page.headers).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff" });
    expect(page.text).toMatch(/<script src="console\/app\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    expect(page.text).not.toMatch(/<script>|<style>| on[a-z]+=/);
  });

  it("sends its assets uncompressed to a client that does not take gzip, and answers 304 to a current copy", async () => {
    const { call } = setup();
    const js = await call("GET", "/console/app.js", { key: null });
    expect(js.headers?.["content-encoding"]).toBeUndefined();
    expect(js.headers?.["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.text.length).toBeGreaterThan(1000);
    const again = await call("GET", "/console/app.js", { key: null, headers: { "if-none-match": js.headers?.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
  });

  it("answers HEAD with GET's status and headers and no body", async () => {
    const { call } = setup();
    for (const path of ["/console", "/console/app.js", "/portal"]) {
      const [get, head] = [await call("GET", path, { key: null }), await call("HEAD", path, { key: null })];
      expect({ path, status: head.statusCode, headers: head.headers }).toEqual({ path, status: 200, headers: get.headers });
      expect(get.text.length, path).toBeGreaterThan(100);
      expect(head.body, path).toBe("");
    }
  });

  it("sends /console/ and /portal/ to the bare path, where the page's relative links resolve, keeping the query", async () => {
    const { call } = setup();
    for (const [path, location] of [
      ["/console/", "/console"],
      ["/portal/?tenant=a&x=%2F", "/portal?tenant=a&x=%2F"],
    ]) {
      const response = await call("GET", path as string, { key: null });
      expect({ path, status: response.statusCode, location: response.headers?.location }).toEqual({ path, status: 308, location });
    }
  });

  it("answers 404 for anything else under /console", async () => {
    const { call } = setup();
    for (const path of ["/console/nope.js", "/console/__proto__", "/console/constructor"]) {
      const response = await call("GET", path, { key: null });
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
    }
  });

  it("still asks for a key on the API, whose answers are never cached or sniffed", async () => {
    const { call } = setup();
    const refused = await call("GET", "/v1/events", { key: null });
    expect(refused.statusCode).toBe(401);
    const health = await call("GET", "/v1/health", { key: null });
    for (const response of [refused, health]) {
      expect(response.headers).toMatchObject({ "cache-control": "no-store", "x-content-type-options": "nosniff" });
    }
  });
});

describe("GET /v1/events", () => {
  async function withEvents() {
    const t = setup();
    await t.deps.events.putNew([
      event("evt_a", "acme", "invoice.paid", "2026-11-02T10:00:00.000Z"),
      event("evt_b", "acme", "invoice.failed", "2026-11-02T11:00:00.000Z"),
      event("evt_c", "acme", "invoice.paid", "2026-11-02T12:00:00.000Z"),
      event("evt_x", "other", "invoice.paid", "2026-11-02T12:10:00.000Z"),
    ]);
    return t;
  }

  it("lists a tenant's events newest first, a page at a time", async () => {
    const { call } = await withEvents();
    const first = await call("GET", "/v1/events?tenantId=acme&limit=2");
    expect(first.json.items.map((e: { id: string }) => e.id)).toEqual(["evt_c", "evt_b"]);
    expect(first.json.items[0]).toEqual({
      id: "evt_c",
      // Stored without a message id (as before message ids): its id is its webhook-id.
      messageId: "evt_c",
      type: "invoice.paid",
      tenantId: "acme",
      createdAt: "2026-11-02T12:00:00.000Z",
      endpoints: 0,
    });
    const second = await call("GET", `/v1/events?tenantId=acme&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json).toEqual({ items: [expect.objectContaining({ id: "evt_a" })], nextCursor: null });
  });

  it("narrows to one type and to events created before a time", async () => {
    const { call } = await withEvents();
    const paid = await call("GET", "/v1/events?tenantId=acme&type=invoice.paid");
    expect(paid.json.items.map((e: { id: string }) => e.id)).toEqual(["evt_c", "evt_a"]);
    const before = await call("GET", "/v1/events?tenantId=acme&before=2026-11-02T12:00:00Z");
    expect(before.json.items.map((e: { id: string }) => e.id)).toEqual(["evt_b", "evt_a"]);
    const bad = await call("GET", "/v1/events?tenantId=acme&before=yesterday");
    expect(bad.statusCode).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "invalid_request", details: [{ path: "before" }] });
  });

  it("shows a tenant key its own events only", async () => {
    const { call, deps } = await withEvents();
    const { key } = await createApiKey(deps, "other", "k");
    const own = await call("GET", "/v1/events", { key });
    expect(own.json.items.map((e: { id: string }) => e.id)).toEqual(["evt_x"]);
    expect((await call("GET", "/v1/events?tenantId=acme", { key })).statusCode).toBe(403);
  });
});

describe("GET /v1/endpoints/{id}/stats", () => {
  const attempt = (
    at: string,
    status: AttemptRecord["status"],
    durationMs: number,
    trigger: AttemptRecord["trigger"] = "scheduled",
  ): AttemptRecord => ({
    eventId: `evt_${at}`,
    endpointId: "ep_1",
    tenantId: "default",
    attempt: 1,
    trigger,
    status,
    url: "https://r.example",
    at,
    durationMs,
    expiresAt: 0,
  });

  it("counts the requests sent per hour over the last 24 hours from the delivery log", async () => {
    const { call, deps } = setup();
    await deps.endpoints.put(endpointFixture());
    for (const a of [
      attempt("2026-11-02T12:05:00.000Z", "succeeded", 10),
      attempt("2026-11-02T12:10:00.000Z", "succeeded", 30),
      attempt("2026-11-02T12:20:00.000Z", "failed", 200),
      attempt("2026-11-02T12:21:00.000Z", "skipped", 0),
      attempt("2026-11-02T12:22:00.000Z", "exhausted", 0, "dead-letter"),
      attempt("2026-11-01T13:30:00.000Z", "succeeded", 50),
      attempt("2026-11-01T12:59:00.000Z", "failed", 70),
    ])
      await deps.attempts.record(a);
    const stats = await call("GET", "/v1/endpoints/ep_1/stats");
    expect(stats.statusCode).toBe(200);
    expect(stats.json).toMatchObject({ from: "2026-11-01T13:00:00.000Z", until: "2026-11-02T12:30:00.000Z", truncated: false });
    expect(stats.json.hours).toHaveLength(24);
    expect(stats.json.hours[0]).toEqual({ hour: "2026-11-01T13:00:00.000Z", sent: 1, succeeded: 1, p50Ms: 50, p95Ms: 50 });
    expect(stats.json.hours[23]).toEqual({ hour: "2026-11-02T12:00:00.000Z", sent: 3, succeeded: 2, p50Ms: 30, p95Ms: 200 });
    expect(stats.json.hours[5]).toEqual({ hour: "2026-11-01T18:00:00.000Z", sent: 0, succeeded: 0, p50Ms: null, p95Ms: null });
  });

  it("is another tenant's endpoint: not found", async () => {
    const { call, deps } = setup();
    await deps.endpoints.put(endpointFixture());
    const { key } = await createApiKey(deps, "other", "k");
    expect((await call("GET", "/v1/endpoints/ep_1/stats", { key })).statusCode).toBe(404);
  });
});
