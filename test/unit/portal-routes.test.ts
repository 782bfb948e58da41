import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { ACCESS_LOG_FIELDS } from "../../lib/webhook-dispatcher.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { endpointFixture, FakeClock } from "../support/fakes.ts";

/*
 * A portal session acts in one tenant, on that tenant's endpoints (only the ones it names, when it
 * names some) and that tenant's events; every other route is refused, and an expired, altered or
 * foreign token is nobody.
 */

const START = Date.parse("2026-12-01T12:00:00Z");

async function stack(adminKey = "admin-key") {
  const logged: string[] = [];
  const capture = (...args: unknown[]) => void logged.push(JSON.stringify(args));
  const log: Log = { info: capture, warn: capture, error: capture, attempt: capture };
  const deps = { ...memoryApiDeps(), clock: new FakeClock(START) };
  const handler = createApiHandler(deps, async () => new Authenticator(adminKey, deps.apiKeys), log);
  for (const [id, tenantId] of [
    ["ep_a1", "a"],
    ["ep_a2", "a"],
    ["ep_b1", "b"],
  ] as const) {
    await deps.endpoints.put(endpointFixture({ id, tenantId, url: `https://${id}.example/hook` }));
  }
  const call = async (method: string, path: string, options: { body?: unknown; key?: string; portal?: string } = {}) => {
    const headers = options.portal === undefined ? undefined : { authorization: `Portal ${options.portal}` };
    const response = await handler(apiEvent(method, path, { body: options.body, key: options.key, headers }), {} as Context);
    return { status: response.statusCode ?? 0, json: response.body ? JSON.parse(response.body) : undefined };
  };
  const session = async (body: unknown, key?: string) => {
    const answer = await call("POST", "/v1/portal-sessions", { body, key });
    expect(answer.status).toBe(201);
    return answer.json as { url: string; token: string; expiresAt: string };
  };
  return { deps, call, session, logged, handler };
}

describe("POST /v1/portal-sessions", () => {
  it("answers a link to the portal with the token in its fragment, for an hour by default", async () => {
    const { session } = await stack();
    const opened = await session({ tenantId: "a" });
    expect(opened.url).toBe(`http://localhost/portal#portal=${opened.token}`);
    expect(opened.expiresAt).toBe("2026-12-01T13:00:00.000Z");
  });

  it("lets a tenant key open one for its own tenant only, and never for an endpoint of another tenant", async () => {
    const { call, session } = await stack();
    const keyOf = async (tenantId: string) =>
      ((await call("POST", "/v1/api-keys", { body: { tenantId, name: tenantId } })).json as { key: string }).key;
    const keyA = await keyOf("a");
    expect((await session({ tenantId: "a", expiresIn: 600 }, keyA)).expiresAt).toBe("2026-12-01T12:10:00.000Z");
    expect((await call("POST", "/v1/portal-sessions", { body: { tenantId: "b" }, key: keyA })).status).toBe(403);
    const foreign = await call("POST", "/v1/portal-sessions", { body: { tenantId: "a", endpointIds: ["ep_b1"] } });
    expect(foreign.status).toBe(404);
  });

  it("refuses a session longer than a day", async () => {
    const { call } = await stack();
    const long = await call("POST", "/v1/portal-sessions", { body: { tenantId: "a", expiresIn: 86_401 } });
    expect(long.status).toBe(422);
    expect(long.json.error.code).toBe("validation_failed");
  });
});

describe("a portal session for a whole tenant", () => {
  it("reads and manages that tenant's endpoints, their deliveries and its events", async () => {
    const { call, session, deps } = await stack();
    const emitted = await call("POST", "/v1/events", { body: { type: "order.paid", payload: { n: 1 }, tenantId: "a" } });
    expect(emitted.status).toBe(202);
    const eventId = emitted.json.id as string;
    const portal = (await session({ tenantId: "a" })).token;
    const as = (method: string, path: string, body?: unknown) => call(method, path, { portal, body });

    const listed = await as("GET", "/v1/endpoints");
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((e: { id: string }) => e.id).sort()).toEqual(["ep_a1", "ep_a2"]);
    expect((await as("GET", "/v1/endpoints/ep_a1")).status).toBe(200);
    expect((await as("PATCH", "/v1/endpoints/ep_a1", { description: "mine" })).json.description).toBe("mine");
    expect((await as("GET", "/v1/endpoints/ep_a1/secret")).status).toBe(200);
    expect((await as("POST", "/v1/endpoints/ep_a1/secret/rotate", {})).status).toBe(200);
    expect((await as("GET", "/v1/endpoints/ep_a1/attempts")).status).toBe(200);
    expect((await as("GET", "/v1/endpoints/ep_a1/stats")).status).toBe(200);
    const recovery = await as("POST", "/v1/endpoints/ep_a1/recover", { since: "2026-12-01T11:00:00Z" });
    expect(recovery.status).toBe(202);
    expect((await as("GET", `/v1/endpoints/ep_a1/recoveries/${recovery.json.id}`)).status).toBe(200);
    expect((await as("GET", "/v1/events")).json.items.map((e: { id: string }) => e.id)).toEqual([eventId]);
    expect((await as("GET", `/v1/events/${eventId}`)).status).toBe(200);
    expect((await as("GET", `/v1/events/${eventId}/attempts`)).status).toBe(200);
    expect((await as("POST", `/v1/events/${eventId}/replay`, {})).status).toBe(202);
    const created = await as("POST", "/v1/endpoints", { url: "https://new.example/hook" });
    expect(created.status).toBe(201);
    expect(created.json.tenantId).toBe("a");
    expect((await as("DELETE", `/v1/endpoints/${created.json.id}`)).status).toBe(204);
    expect(await deps.endpoints.get(created.json.id)).toBeUndefined();
  });

  it("never reaches another tenant", async () => {
    const { call, session } = await stack();
    const portal = (await session({ tenantId: "a" })).token;
    const as = (method: string, path: string, body?: unknown) => call(method, path, { portal, body });
    expect((await as("GET", "/v1/endpoints?tenantId=b")).status).toBe(403);
    expect((await as("GET", "/v1/events?tenantId=b")).status).toBe(403);
    expect((await as("POST", "/v1/endpoints", { url: "https://x.example/hook", tenantId: "b" })).status).toBe(403);
    for (const path of ["/v1/endpoints/ep_b1", "/v1/endpoints/ep_b1/secret", "/v1/endpoints/ep_b1/attempts", "/v1/endpoints/ep_b1/stats"]) {
      expect((await as("GET", path)).status, path).toBe(404);
    }
    expect((await as("POST", "/v1/endpoints/ep_b1/secret/rotate", {})).status).toBe(404);
    expect((await as("DELETE", "/v1/endpoints/ep_b1")).status).toBe(404);
  });

  it("never touches API keys, portal sessions or intake", async () => {
    const { call, session } = await stack();
    const portal = (await session({ tenantId: "a" })).token;
    const refused = [
      ["GET", "/v1/api-keys", undefined],
      ["POST", "/v1/api-keys", { tenantId: "a", name: "x" }],
      ["DELETE", "/v1/api-keys/key_1", undefined],
      ["POST", "/v1/portal-sessions", { tenantId: "a" }],
      ["POST", "/v1/events", { type: "order.paid", payload: {} }],
      ["POST", "/v1/events/batch", { events: [{ type: "order.paid", payload: {} }] }],
    ] as const;
    for (const [method, path, body] of refused) {
      const answer = await call(method, path, { portal, body });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.json.error.code).toBe("forbidden");
    }
  });
});

describe("a portal session limited to some endpoints", () => {
  it("sees, changes and replays to only those", async () => {
    const { call, session } = await stack();
    const emitted = await call("POST", "/v1/events", { body: { type: "order.paid", payload: {}, tenantId: "a" } });
    const portal = (await session({ tenantId: "a", endpointIds: ["ep_a1"] })).token;
    const as = (method: string, path: string, body?: unknown) => call(method, path, { portal, body });
    expect((await as("GET", "/v1/endpoints")).json.items.map((e: { id: string }) => e.id)).toEqual(["ep_a1"]);
    expect((await as("GET", "/v1/endpoints/ep_a1/secret")).status).toBe(200);
    const other = [
      ["GET", "/v1/endpoints/ep_a2", undefined],
      ["PATCH", "/v1/endpoints/ep_a2", { description: "x" }],
      ["DELETE", "/v1/endpoints/ep_a2", undefined],
      ["GET", "/v1/endpoints/ep_a2/secret", undefined],
      ["POST", "/v1/endpoints/ep_a2/secret/rotate", {}],
      ["POST", "/v1/endpoints/ep_a2/recover", { since: "2026-12-01T11:00:00Z" }],
      ["GET", "/v1/endpoints/ep_a2/recoveries/rec_1", undefined],
      ["GET", "/v1/endpoints/ep_a2/attempts", undefined],
      ["GET", "/v1/endpoints/ep_a2/stats", undefined],
    ] as const;
    for (const [method, path, body] of other) expect((await as(method, path, body)).status, `${method} ${path}`).toBe(404);
    expect((await as("POST", "/v1/endpoints", { url: "https://new.example/hook" })).status).toBe(403);
    const eventId = emitted.json.id as string;
    expect((await as("POST", `/v1/events/${eventId}/replay`, {})).status).toBe(403);
    expect((await as("POST", `/v1/events/${eventId}/replay`, { endpointId: "ep_a2" })).status).toBe(403);
    expect((await as("POST", `/v1/events/${eventId}/replay`, { endpointId: "ep_a1" })).status).toBe(202);
  });
});

describe("a portal session limited to some endpoints, reading events", () => {
  it("sees an event once a replay delivered it to its endpoint, which was created after the event", async () => {
    const { call, session } = await stack();
    const emitted = await call("POST", "/v1/events", { body: { type: "order.paid", payload: { n: 1 }, tenantId: "a" } });
    const eventId = emitted.json.id as string;
    const late = await call("POST", "/v1/endpoints", { body: { tenantId: "a", url: "https://late.example/hook" } });
    const portal = (await session({ tenantId: "a", endpointIds: [late.json.id] })).token;
    const as = (method: string, path: string, body?: unknown) => call(method, path, { portal, body });
    expect((await as("GET", "/v1/events")).json.items).toEqual([]);
    expect((await as("GET", `/v1/events/${eventId}`)).status).toBe(404);
    expect((await as("POST", `/v1/events/${eventId}/replay`, { endpointId: late.json.id })).status).toBe(404);
    expect((await call("POST", `/v1/events/${eventId}/replay`, { body: { tenantId: "a", endpointId: late.json.id } })).status).toBe(202);
    expect((await as("GET", "/v1/events")).json.items).toMatchObject([{ id: eventId, endpoints: 1 }]);
    const view = await as("GET", `/v1/events/${eventId}`);
    expect(view.json.deliveries).toEqual([{ endpointId: late.json.id, status: "pending", attempts: 0 }]);
    // The tenant's view names the new delivery beside the ones intake matched.
    const whole = await call("GET", `/v1/events/${eventId}?tenantId=a`);
    expect(whole.json.deliveries.map((d: { endpointId: string }) => d.endpointId).sort()).toEqual(["ep_a1", "ep_a2", late.json.id].sort());
  });

  it("gets sealed cursors that only the same session on the same list can follow", async () => {
    const { call, session } = await stack();
    for (let i = 0; i < 3; i++) await call("POST", "/v1/events", { body: { type: "order.paid", payload: { i }, tenantId: "a" } });
    const one = (await session({ tenantId: "a", endpointIds: ["ep_a1"] })).token;
    const two = (await session({ tenantId: "a", endpointIds: ["ep_a2"] })).token;
    const first = await call("GET", "/v1/events?limit=1", { portal: one });
    const cursor = first.json.nextCursor as string;
    expect(Buffer.from(cursor, "base64url").toString("latin1")).not.toMatch(/evt_|gsi2/);
    const next = await call("GET", `/v1/events?limit=1&cursor=${cursor}`, { portal: one });
    expect(next.status).toBe(200);
    expect(next.json.items[0].id).not.toBe(first.json.items[0].id);
    for (const [path, portal] of [
      [`/v1/events?limit=1&cursor=${cursor}`, two],
      [`/v1/endpoints?limit=1&cursor=${cursor}`, one],
    ] as const) {
      const refused = await call("GET", path, { portal });
      expect(refused.status).toBe(400);
      expect(refused.json.error).toMatchObject({ code: "invalid_request" });
    }
    const tenants = (await call("GET", "/v1/events?tenantId=a&limit=1")).json.nextCursor as string;
    expect((await call("GET", `/v1/events?limit=1&cursor=${tenants}`, { portal: one })).status).toBe(400);
  });
});

describe("a portal token that is no longer good", () => {
  it("answers 401 once expired, altered, or signed under another admin key, and never reaches the logs", async () => {
    const { call, session, deps, logged } = await stack();
    const token = (await session({ tenantId: "a", expiresIn: 60 })).token;
    expect((await call("GET", "/v1/endpoints", { portal: token })).status).toBe(200);
    const altered = token.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const tampered = await call("GET", "/v1/endpoints", { portal: altered });
    expect(tampered.status).toBe(401);
    expect(tampered.json.error.code).toBe("unauthorized");
    const rotated = await stack("new-admin-key");
    expect((await rotated.call("GET", "/v1/endpoints", { portal: token })).status).toBe(401);
    deps.clock.advance(60_000);
    const expired = await call("GET", "/v1/endpoints", { portal: token });
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe("unauthorized");
    expect(logged.join("\n")).not.toContain(token.slice(4, 40));
    // The access log keeps no header and no query, and the fragment never leaves the browser.
    expect(JSON.stringify(ACCESS_LOG_FIELDS)).not.toMatch(/header|authorization|querystring|\.path\b.*\?/i);
  });
  it("ends with the tenant key that opened it: revoking the key answers 401 to its sessions, not to the admin's", async () => {
    const { call, session } = await stack();
    const created = (await call("POST", "/v1/api-keys", { body: { tenantId: "a", name: "a" } })).json as { key: string; id: string };
    const byKey = (await session({ tenantId: "a" }, created.key)).token;
    const byAdmin = (await session({ tenantId: "a" })).token;
    expect((await call("GET", "/v1/endpoints", { portal: byKey })).status).toBe(200);
    expect((await call("DELETE", `/v1/api-keys/${created.id}`)).status).toBe(204);
    const revoked = await call("GET", "/v1/endpoints", { portal: byKey });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error.code).toBe("unauthorized");
    expect((await call("GET", "/v1/endpoints", { portal: byAdmin })).status).toBe(200);
  });
});

describe("the portal page", () => {
  const page = async (path: string, portalFrameAncestors?: string) => {
    const deps = { ...memoryApiDeps(), portalFrameAncestors };
    const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
    const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
    return handler(apiEvent("GET", path, { key: null }), {} as Context);
  };

  it("may be framed by the origins PORTAL_FRAME_ANCESTORS names, while the console may be framed by none", async () => {
    const portal = await page("/portal", "https://app.example.com https://*.example.org");
    expect(portal.statusCode).toBe(200);
    expect(portal.headers?.["content-security-policy"]).toMatch(/frame-ancestors https:\/\/app\.example\.com https:\/\/\*\.example\.org$/);
    expect(portal.headers?.["x-frame-options"]).toBeUndefined();
    const console = await page("/console", "https://app.example.com");
    expect(console.headers?.["content-security-policy"]).toMatch(/frame-ancestors 'none'$/);
    expect(console.headers?.["x-frame-options"]).toBe("DENY");
  });

  it("may be framed by none when the setting is unset", async () => {
    const portal = await page("/portal");
    expect(portal.headers?.["content-security-policy"]).toMatch(/frame-ancestors 'none'$/);
    expect(portal.headers?.["x-frame-options"]).toBe("DENY");
  });

  it("refuses at cold start a setting that is not a list of origins", async () => {
    await expect(page("/portal", "https://a.example; script-src *")).rejects.toThrow(/PORTAL_FRAME_ANCESTORS/);
  });
});
