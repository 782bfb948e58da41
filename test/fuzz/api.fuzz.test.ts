import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { destinationCheck } from "../../functions/adapters/http/destination-check.ts";
import { NodeHttpSender } from "../../functions/adapters/http/http-sender.ts";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { JsonSchemaCompiler } from "../../functions/adapters/schemas/json-schemas.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { TenantStatusCache } from "../../functions/core/lifecycle/retention.ts";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";
import { apiEvent } from "../support/api-event.ts";
import { ContractChecker } from "../support/contract.ts";
import { defaultTestPolicy } from "../support/delivery-deps.ts";
import { testDestinationRegistration } from "../support/destinations.ts";
import {
  FakeClock,
  MemoryApiKeyStore,
  MemoryAttemptLog,
  MemoryEndpointStore,
  MemoryEventStore,
  MemoryEventTypeStore,
  MemoryQueue,
  MemoryRecoveryStore,
  RecordedWarnings,
} from "../support/fakes.ts";
import { MemoryFeed } from "../support/memory-feed.ts";
import { MemoryPollLeases } from "../support/memory-poll-leases.ts";
import { MemoryScheduleStore } from "../support/memory-schedule.ts";
import { MemorySvixMemo, MemoryTenantStore } from "../support/memory-tenants.ts";
import { anyTimestamp } from "../support/timestamps.ts";

/*
 * Property: whatever arrives (random JSON, wrong types, huge and unicode strings, missing fields,
 * bogus auth) on any route, the API never answers 5xx, never rejects unhandled, and a request it
 * refuses changes no state. Stores are the in-memory fakes; the destination check is the real one
 * with a resolver that answers a public address (nothing is ever connected to).
 */
const RUNS = 10_000;

/** Counts the calls that change a store: every write, and the deletes that found something to delete. */
function counted<T extends object>(target: T, methods: (keyof T)[], onMutation: () => void): T {
  for (const name of methods) {
    const original = (target[name] as (...a: unknown[]) => Promise<unknown>).bind(target);
    (target as Record<keyof T, unknown>)[name] = async (...args: unknown[]) => {
      const result = await original(...args);
      if (name !== "delete" || result === true) onMutation();
      return result;
    };
  }
  return target;
}

async function setup() {
  let mutations = 0;
  const bump = () => {
    mutations++;
  };
  const queue = counted(new MemoryQueue(), ["send", "later"], bump);
  const endpoints = counted(new MemoryEndpointStore(), ["put", "replace", "delete"], bump);
  const tenants = counted(new MemoryTenantStore(), ["create", "replace", "delete"], bump);
  const clock = new FakeClock();
  const deps = {
    endpoints,
    subscriptions: endpoints,
    events: counted(new MemoryEventStore(), ["putNew"], bump),
    attempts: counted(new MemoryAttemptLog(), ["record"], bump),
    apiKeys: counted(new MemoryApiKeyStore(), ["put", "delete"], bump),
    tenants,
    tenantStatus: new TenantStatusCache(tenants, clock, 30),
    eventTypes: counted(new MemoryEventTypeStore(), ["create", "replace", "delete"], bump),
    schemas: new JsonSchemaCompiler(new RecordedWarnings()),
    queue,
    requeue: queue,
    recoveries: counted(new MemoryRecoveryStore(), ["put"], bump),
    clock,
    logRetentionDays: 30,
    feed: new MemoryFeed(),
    pollLeases: new MemoryPollLeases(),
    pollLimits: { perEndpoint: 2, perTenant: 10 },
    apiRoutes: "all" as const,
    sleep: async () => undefined,
    timeLeftMs: () => Number.POSITIVE_INFINITY,
    maxBodyBytes: 256 * 1024,
    maxEndpointsPerTenant: 20,
    scheduling: { store: new MemoryScheduleStore(), maxPerTenant: 100, horizonHours: 168, leadSeconds: 180 },
    laneExit: defaultTestPolicy().lanes,
    svixMemo: new MemorySvixMemo(),
    deletions: tenants,
    eraser: { steps: ["events"] },
    destinations: testDestinationRegistration(),
    checkUrl: destinationCheck(
      new NodeHttpSender({
        timeoutMs: 1000,
        policy: new DestinationPolicy([], { allowHttp: false }),
        resolver: async () => [{ address: "93.184.215.14", family: 4 }],
      }),
    ),
  };
  const errors: unknown[] = [];
  const log: Log = { info: () => undefined, warn: () => undefined, error: (m, f) => errors.push([m, f]), attempt: () => undefined };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), log);
  const call = (...args: Parameters<typeof apiEvent>) => handler(apiEvent(...args), {} as Context);
  const endpoint = await call("POST", "/v1/endpoints", { body: { url: "https://a.example/hook", tenantId: "acme" } });
  const event = await call("POST", "/v1/events", { body: { type: "a", payload: { n: 1 }, tenantId: "acme" } });
  const key = await call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "k" } });
  return {
    call,
    errors,
    mutations: () => mutations,
    ids: [JSON.parse(endpoint.body as string).id, JSON.parse(event.body as string).id, JSON.parse(key.body as string).id] as string[],
    tenantKey: JSON.parse(key.body as string).key as string,
  };
}

const ROUTES = [
  ["POST", "/v1/endpoints"],
  ["GET", "/v1/endpoints"],
  ["GET", "/v1/endpoints/{id}"],
  ["PATCH", "/v1/endpoints/{id}"],
  ["DELETE", "/v1/endpoints/{id}"],
  ["GET", "/v1/endpoints/{id}/secret"],
  ["GET", "/v1/endpoints/{id}/attempts"],
  ["POST", "/v1/endpoints/{id}/secret/rotate"],
  ["POST", "/v1/endpoints/{id}/recover"],
  ["GET", "/v1/endpoints/{id}/recoveries/{id}"],
  ["POST", "/v1/events/{id}/replay"],
  ["POST", "/v1/events"],
  ["POST", "/v1/events/batch"],
  ["GET", "/v1/events/{id}"],
  ["GET", "/v1/events/{id}/attempts"],
  ["POST", "/v1/api-keys"],
  ["GET", "/v1/api-keys"],
  ["DELETE", "/v1/api-keys/{id}"],
  ["GET", "/v1/health"],
  ["PUT", "/v1/endpoints"],
  ["GET", "/v2/anything"],
] as const;

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.constantFrom("", " ", "null", "../../etc", "%00", "%E0%A4%A", "x".repeat(5000), "ep_", "evt_", "https://a.example", "whsec_AAAA"),
);
const almostValid = {
  endpoint: fc.record(
    {
      url: fc.oneof(fc.webUrl(), text, fc.constantFrom("http://127.0.0.1/", "https://[::1]/", "https://u:p@a.example/", "ftp://a.example")),
      eventTypes: fc.oneof(fc.array(text, { maxLength: 5 }), fc.constant(null), text),
      tenantId: fc.oneof(text, fc.constantFrom("acme", "globex")),
      description: text,
      enabled: fc.oneof(fc.boolean(), text),
      headers: fc.oneof(fc.dictionary(text, text, { maxKeys: 4 }), fc.constant({ "webhook-id": "x" }), fc.constant({ Host: "evil" })),
      secret: fc.oneof(text, fc.constant(`whsec_${Buffer.alloc(32, 7).toString("base64")}`)),
    },
    { requiredKeys: [] },
  ),
  event: fc.record(
    {
      type: fc.oneof(text, fc.constantFrom("a", "order.created")),
      payload: fc.jsonValue(),
      tenantId: fc.oneof(text, fc.constant("acme")),
      id: text,
    },
    { requiredKeys: [] },
  ),
};
const valid = {
  endpoint: fc.record(
    { url: fc.webUrl({ validSchemes: ["https"] }), eventTypes: fc.array(fc.constantFrom("a", "b.c"), { minLength: 1, maxLength: 2 }) },
    { requiredKeys: ["url"] },
  ),
  event: fc.record({ type: fc.constantFrom("a", "b.c"), payload: fc.jsonValue({ maxDepth: 4 }) }),
};
const body = fc.oneof(
  { weight: 2, arbitrary: valid.endpoint },
  { weight: 2, arbitrary: valid.event },
  { weight: 3, arbitrary: almostValid.endpoint },
  { weight: 3, arbitrary: almostValid.event },
  { weight: 2, arbitrary: fc.record({ events: fc.array(fc.oneof(almostValid.event, fc.jsonValue()), { maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ tenantId: text, name: text }, { requiredKeys: [] }) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        since: fc.oneof(
          text,
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          anyTimestamp.map((t) => t.text),
        ),
        until: fc.oneof(
          text,
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          anyTimestamp.map((t) => t.text),
        ),
        endpointId: text,
        gracePeriodSeconds: fc.oneof(fc.integer(), fc.double(), text),
        retrySchedule: fc.oneof(fc.array(fc.integer(), { maxLength: 60 }), text),
        rateLimitPerSecond: fc.oneof(fc.integer(), fc.double(), text),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue() },
);

/** Words of the validation library that must never reach a caller. */
const JARGON = /Expected|[Rr]eceived|Invalid (key|type|length|value|format)|\bnever\b|valibot|\bundefined\b|strict_object|picklist/;

/** An error's one shape: plain words, and `details` (when there) one entry per named field. */
function expectPlainWords(error: { message: string; details?: unknown }): void {
  expect(error.message).not.toMatch(JARGON);
  if (error.details === undefined) return;
  expect(Array.isArray(error.details), JSON.stringify(error)).toBe(true);
  for (const problem of error.details as { path: unknown; message: unknown }[]) {
    expect(typeof problem.path === "string" && problem.path !== "", JSON.stringify(error)).toBe(true);
    expect(typeof problem.message).toBe("string");
    expect(problem.message).not.toMatch(JARGON);
  }
}

describe("API fuzzing", () => {
  it(`answers ${RUNS} generated requests across every route without a 5xx, and refusals change nothing`, async () => {
    const t = await setup();
    const contract = new ContractChecker();
    let checked = 0;
    const statuses = new Map<number, number>();
    const request = fc.record({
      route: fc.constantFrom(...ROUTES),
      id: fc.oneof(fc.constantFrom(...t.ids), text),
      auth: fc.oneof(
        { weight: 5, arbitrary: fc.constant("admin" as const) },
        { weight: 3, arbitrary: fc.constant("tenant" as const) },
        { weight: 1, arbitrary: fc.constantFrom("none" as const, "wrong" as const, "garbage" as const) },
      ),
      query: fc.record({ limit: text, cursor: text, tenantId: text, status: text }, { requiredKeys: [] }),
      body: fc.option(body, { nil: undefined }),
      rawBody: fc.option(text, { nil: undefined, freq: 8 }),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant("application/json") },
        { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "text/plain", "", "application/merge-patch+json") },
      ),
      idempotencyKey: fc.option(text, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.route[1].replaceAll("{id}", encodeURIComponent(r.id));
        const query = new URLSearchParams(Object.entries(r.query) as [string, string][]).toString();
        const key = { admin: "admin-key", tenant: t.tenantKey, none: null, wrong: "nope", garbage: "hrk_key_0.x" }[r.auth];
        const headers: Record<string, string> = { "content-type": r.contentType };
        if (r.idempotencyKey !== undefined) headers["idempotency-key"] = r.idempotencyKey;
        const before = t.mutations();
        const response = await t.call(r.route[0], `${path}${query ? `?${query}` : ""}`, { body: r.body, rawBody: r.rawBody, headers, key });
        statuses.set(response.statusCode as number, (statuses.get(response.statusCode as number) ?? 0) + 1);
        expect(response.statusCode).toBeLessThan(500);
        const parsed = response.body ? JSON.parse(response.body) : undefined;
        // Every answer of a documented route is one the API document describes.
        if (contract.covers(r.route[0], path)) {
          checked++;
          const contentType = String(response.headers?.["content-type"] ?? "") || null;
          expect(contract.problems({ method: r.route[0], path, status: response.statusCode as number, contentType, body: parsed })).toEqual(
            [],
          );
        }
        if ((response.statusCode as number) >= 400) {
          expect(parsed.error.code).toMatch(/^[a-z_]+$/);
          expect(t.mutations()).toBe(before);
          expectPlainWords(parsed.error);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    );
    expect(t.errors).toEqual([]);
    expect(checked).toBeGreaterThan(RUNS / 2);
    // The generators must reach both sides: many accepted requests and many kinds of refusal.
    const count = (from: number, to: number) =>
      [...statuses].filter(([status]) => status >= from && status < to).reduce((n, [, c]) => n + c, 0);
    expect(count(200, 300)).toBeGreaterThan(RUNS / 20);
    expect([...statuses.keys()].filter((status) => status >= 400).length).toBeGreaterThanOrEqual(6);
  }, 300_000);

  /*
   * Every date field the API takes (today the recovery window's `since` and `until`: no list filter
   * takes a date) gets generated texts, valid and not: edge offsets, leap days, impossible days,
   * fields out of range, offset forms outside RFC 3339, instants outside years 0000 to 9999. Each
   * answers 202 with exactly the instant it names, or 422 naming the field; never a 5xx.
   */
  it("reads every date field strictly: the named instant or a 422 at its path", async () => {
    const t = await setup();
    const endpointId = t.ids[0] as string;
    const later = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();
    await fc.assert(
      fc.asyncProperty(anyTimestamp, fc.constantFrom("since", "until"), async ({ text, instant }, field) => {
        // The other end of the window is chosen so that a valid text always makes a non-empty window.
        const body =
          field === "since"
            ? { since: text, until: instant === undefined ? "9999-12-31T23:59:59Z" : later(instant) }
            : { since: "0000-01-01T00:00:00Z", until: text };
        const response = await t.call("POST", `/v1/endpoints/${endpointId}/recover`, { body });
        const json = JSON.parse(response.body as string);
        if (instant === undefined) {
          expect(response.statusCode).toBe(422);
          expect(json.error.details.map((d: { path: string }) => d.path)).toEqual([field]);
        } else if (field === "until" && instant === "0000-01-01T00:00:00.000Z") {
          expect(response.statusCode).toBe(422);
        } else {
          expect(response.statusCode).toBe(202);
          expect(json[field]).toBe(instant);
        }
      }),
      { numRuns: 3_000, seed: Number(process.env.FUZZ_SEED ?? 20261201) },
    );
    expect(t.errors).toEqual([]);
  }, 120_000);
});
