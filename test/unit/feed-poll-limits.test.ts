import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import type { ApiRoutes } from "../../functions/api/api-deps.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { ROUTES } from "../../functions/api/routes.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import { LEASE_MARGIN_MS, MAX_RETRY_AFTER_SECONDS } from "../../functions/core/feed/poll-leases.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { seeded } from "../support/seeded.ts";

/*
 * The feed route's bound on long polls, through the API handler: polls that hold are counted per
 * endpoint and per tenant, the excess answers 429 too_many_polls with Retry-After, reads that do
 * not hold are not counted; and the two API functions of a deployment split the routes so that long
 * polls never run on the API function.
 */

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  json: any;
}

function setup(options: { perEndpoint?: number; perTenant?: number; apiRoutes?: ApiRoutes; feedUrl?: string; seed?: number } = {}) {
  const deps = {
    ...memoryApiDeps(),
    pollLimits: { perEndpoint: options.perEndpoint ?? 2, perTenant: options.perTenant ?? 10 },
    apiRoutes: options.apiRoutes ?? ("all" as ApiRoutes),
    ...(options.feedUrl !== undefined && { feedUrl: options.feedUrl }),
  };
  deps.clock.random = seeded(options.seed ?? 7);
  // Every held poll waits at its first pause until the test opens the gate: all hold at once.
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  deps.sleep = async (ms: number) => {
    await gate;
    deps.clock.advance(ms);
  };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const call = async (...args: Parameters<typeof apiEvent>): Promise<Answer> => {
    const response = await handler(apiEvent(...args), {} as Context);
    return {
      statusCode: response.statusCode ?? 0,
      headers: (response.headers ?? {}) as Record<string, string>,
      json: response.body ? JSON.parse(response.body) : undefined,
    };
  };
  const pollingEndpoint = async (tenantId: string) =>
    (await call("POST", "/v1/endpoints", { body: { kind: "polling", tenantId } })).json.id as string;
  return { deps, call, open, pollingEndpoint };
}

/** Starts the polls, and resolves once each has answered (refused) or is holding (its lease taken). */
async function startAll(t: ReturnType<typeof setup>, paths: string[]) {
  const answers = paths.map((path) => t.call("GET", path));
  // A poll either answers 429 at once or reaches the gate: a few turns of the event loop settle both.
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
  return answers;
}

describe("the bound on long polls", () => {
  it("holds no more polls than the limits for generated tenants and endpoints, and answers the rest 429 with Retry-After", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        async (perEndpoint, extra, picks, seed) => {
          const perTenant = perEndpoint + extra;
          const t = setup({ perEndpoint, perTenant, seed });
          const tenants = ["acme", "globex", "initech"];
          const endpoints: { id: string; tenant: string }[][] = [];
          for (const tenant of tenants) {
            const ids = [await t.pollingEndpoint(tenant), await t.pollingEndpoint(tenant), await t.pollingEndpoint(tenant)];
            endpoints.push(ids.map((id) => ({ id, tenant })));
          }
          const chosen = picks.map(([tenant, endpoint]) => endpoints[tenant]?.[endpoint] as { id: string; tenant: string });
          const pending = await startAll(
            t,
            chosen.map((e) => `/v1/endpoints/${e.id}/feed?wait=20`),
          );
          // Before any held poll answers: the ones that answered already were refused.
          const settledEarly = await Promise.all(
            pending.map((p) => Promise.race([p, new Promise<undefined>((r) => setImmediate(() => r(undefined)))])),
          );
          t.open();
          const answers = await Promise.all(pending);
          const held = answers
            .map((a, i) => ({ a, e: chosen[i] as { id: string; tenant: string } }))
            .filter(({ a }) => a.statusCode === 200);
          const perEp = new Map<string, number>();
          const perTn = new Map<string, number>();
          for (const { e } of held) {
            perEp.set(e.id, (perEp.get(e.id) ?? 0) + 1);
            perTn.set(e.tenant, (perTn.get(e.tenant) ?? 0) + 1);
          }
          for (const n of perEp.values()) expect(n).toBeLessThanOrEqual(perEndpoint);
          for (const n of perTn.values()) expect(n).toBeLessThanOrEqual(perTenant);
          expect(held.length).toBeGreaterThan(0);
          for (const [i, answer] of answers.entries()) {
            if (answer.statusCode === 200) {
              // A held poll answered only after the gate opened, with its whole (empty) wait.
              expect(settledEarly[i]).toBeUndefined();
              expect(answer.json.items).toEqual([]);
              continue;
            }
            expect(answer.statusCode).toBe(429);
            expect(answer.json.error.code).toBe("too_many_polls");
            expect(["endpoint", "tenant"]).toContain(answer.json.error.details[0].scope);
            const retryAfter = Number(answer.headers["retry-after"]);
            expect(Number.isInteger(retryAfter)).toBe(true);
            expect(retryAfter).toBeGreaterThanOrEqual(1);
            expect(retryAfter).toBeLessThanOrEqual(MAX_RETRY_AFTER_SECONDS);
            expect(answer.json.error.details[0].retryAfterSeconds).toBe(retryAfter);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("answers the poll over an endpoint's limit with the seconds until a held poll's wait ends", async () => {
    const t = setup({ perEndpoint: 2 });
    const id = await t.pollingEndpoint("acme");
    const pending = await startAll(t, [`/v1/endpoints/${id}/feed?wait=20`, `/v1/endpoints/${id}/feed?wait=12`]);
    const refused = await t.call("GET", `/v1/endpoints/${id}/feed?wait=5`);
    expect(refused.statusCode).toBe(429);
    expect(refused.json.error).toMatchObject({ code: "too_many_polls", details: [{ path: "wait", scope: "endpoint", limit: 2 }] });
    expect(refused.json.error.message).toContain("MAX_POLLS_PER_ENDPOINT");
    // The 12 s poll is due to end first.
    expect(refused.headers["retry-after"]).toBe("12");
    t.open();
    for (const answer of await Promise.all(pending)) expect(answer.statusCode).toBe(200);
    // Both released their leases: two polls hold again.
    const again = await Promise.all([t.call("GET", `/v1/endpoints/${id}/feed?wait=1`), t.call("GET", `/v1/endpoints/${id}/feed?wait=1`)]);
    expect(again.map((a) => a.statusCode)).toEqual([200, 200]);
  });

  it("does not count reads that do not hold: wait=0, and a poll that finds items at once", async () => {
    const t = setup({ perEndpoint: 1, perTenant: 1 });
    const id = await t.pollingEndpoint("acme");
    const [holder] = await startAll(t, [`/v1/endpoints/${id}/feed?wait=20`]);
    const short = await t.call("GET", `/v1/endpoints/${id}/feed?wait=0`);
    expect(short.statusCode).toBe(200);
    await appendToFeed({ feed: t.deps.feed, clock: t.deps.clock, logRetentionDays: 30 }, id, {
      id: "fi_1",
      eventId: "evt_1",
      eventType: "invoice.paid",
      timestamp: "2026-11-01T00:00:00.000Z",
      body: "{}",
    });
    const found = await t.call("GET", `/v1/endpoints/${id}/feed?wait=20&cursor=${short.json.cursor}`);
    expect(found.statusCode).toBe(200);
    expect(found.json.items.map((i: { id: string }) => i.id)).toEqual(["fi_1"]);
    const waiting = await t.call("GET", `/v1/endpoints/${id}/feed?wait=20&cursor=${found.json.cursor}`);
    expect(waiting.statusCode).toBe(429);
    t.open();
    expect((await holder)?.statusCode).toBe(200);
  });

  it("frees the slot of a poll whose lease expired without a release (a killed poll)", async () => {
    const t = setup({ perEndpoint: 1, perTenant: 1 });
    const id = await t.pollingEndpoint("acme");
    // A lease as a killed poll leaves it: taken, never released.
    await t.deps.pollLeases.take(
      { kind: "endpoint", id },
      { slot: 0, id: "killed", untilMs: t.deps.clock.time + 20_000 + LEASE_MARGIN_MS },
      t.deps.clock.time,
    );
    expect((await t.call("GET", `/v1/endpoints/${id}/feed?wait=3`)).statusCode).toBe(429);
    t.deps.clock.advance(20_000 + LEASE_MARGIN_MS + 1);
    t.open();
    expect((await t.call("GET", `/v1/endpoints/${id}/feed?wait=3`)).statusCode).toBe(200);
  });
});

describe("which function serves what", () => {
  it("the API function (API_ROUTES=api) holds no long poll: 400 use_feed_url naming the feed's URL, wait=0 served", async () => {
    const t = setup({ apiRoutes: "api", feedUrl: "https://feed.example/" });
    const id = await t.pollingEndpoint("acme");
    for (const wait of [1, 7, 20]) {
      const moved = await t.call("GET", `/v1/endpoints/${id}/feed?wait=${wait}`);
      expect(moved.statusCode).toBe(400);
      expect(moved.json.error).toMatchObject({ code: "use_feed_url", details: [{ path: "wait", feedUrl: "https://feed.example/" }] });
    }
    expect((await t.call("GET", `/v1/endpoints/${id}/feed?wait=0`)).statusCode).toBe(200);
    expect((await t.call("GET", `/v1/endpoints/${id}/feed`)).statusCode).toBe(200);
    expect((await t.call("GET", "/v1/health", { key: null })).json).toEqual({
      status: "ok",
      feedUrl: "https://feed.example/",
      websocketUrl: null,
    });
  });

  it("the feed function (API_ROUTES=feed) answers the feed and health only, every other route 404", async () => {
    const api = setup();
    const id = await api.pollingEndpoint("acme");
    const feed = setup({ apiRoutes: "feed" });
    // The same stores behind both, as in a deployment.
    Object.assign(feed.deps, { endpoints: api.deps.endpoints, feed: api.deps.feed });
    const feedOnly = createApiHandler(feed.deps, async () => new Authenticator("admin-key", api.deps.apiKeys), silent);
    const call = async (method: string, path: string) =>
      feedOnly(apiEvent(method, path, method === "GET" || method === "DELETE" ? {} : { body: {} }), {} as Context);
    expect((await call("GET", `/v1/endpoints/${id}/feed`)).statusCode).toBe(200);
    expect(JSON.parse((await call("GET", "/v1/health")).body as string)).toEqual({ status: "ok", feedUrl: null, websocketUrl: null });
    for (const op of ROUTES) {
      if (op.path === "/v1/health" || op.path === "/v1/endpoints/{id}/feed") continue;
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "id" ? id : "x"));
      const answer = await call(op.method, path);
      expect(answer.statusCode, `${op.method} ${op.path}`).toBe(404);
    }
    for (const page of ["/console", "/portal", "/console/app.js"]) expect((await call("GET", page)).statusCode, page).toBe(404);
  });
});
