import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { runRecoveryStep } from "../../functions/core/events/recovery.ts";
import { HOLE_GRACE_MS } from "../../functions/core/feed/deps.ts";
import { readFeed } from "../../functions/core/feed/read.ts";
import { parseMessage, parseTask } from "../../functions/core/kernel/queue-message.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";
import { deliveryDeps } from "../support/delivery-deps.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

function setup() {
  const deps = memoryApiDeps();
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  const call = async (method: string, path: string, options: { body?: unknown; key?: string; portal?: string } = {}) => {
    const headers = options.portal === undefined ? undefined : { authorization: `Portal ${options.portal}` };
    const response = await handler(apiEvent(method, path, { body: options.body, key: options.key, headers }), {} as Context);
    return { status: response.statusCode ?? 0, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return { deps, call };
}

let ids = 0;
const received = (body: string): ReceivedMessage => ({ messageId: `m${++ids}`, receiptHandle: "rh", body, receiveCount: 1 });

/** A tenant with a webhook endpoint and a polling one, an event delivered to both (the feed holds its copy). */
async function delivered(payload: unknown) {
  const { deps, call } = setup();
  const hook = await call("POST", "/v1/endpoints", { body: { tenantId: "acme", url: "https://a.example/hook" } });
  const poll = await call("POST", "/v1/endpoints", { body: { tenantId: "acme", kind: "polling" } });
  const event = await call("POST", "/v1/events", { body: { type: "a", payload, tenantId: "acme" } });
  // The worker on the API's own stores: the polling endpoint's delivery lands in the API's feed.
  const worker = { ...deliveryDeps([60]), endpoints: deps.endpoints, feed: deps.feed, clock: deps.clock };
  worker.http.answer = () => ({ kind: "response", statusCode: 200, body: "", durationMs: 1 });
  const queued = deps.queue.sent.map((m) => JSON.stringify(m));
  await deliverBatch(worker, queued.map(received));
  return { deps, call, hook: hook.json.id as string, poll: poll.json.id as string, eventId: event.json.id as string, queued };
}

const feedBodies = async (deps: ReturnType<typeof setup>["deps"], endpointId: string) =>
  (
    await readFeed(
      { feed: deps.feed, clock: deps.clock, settings: { logRetentionDays: 30, holeGraceMs: HOLE_GRACE_MS } },
      endpointId,
      undefined,
      50,
    )
  ).entries.map((e) => e.body);

describe("DELETE /v1/events/{id}/payload", () => {
  it("removes any payload from the event and the polling endpoints' feeds, keeping ids, type and the delivery log", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue().filter((v) => v !== null),
        async (payload) => {
          const { deps, call, poll, eventId } = await delivered(payload);
          expect(await feedBodies(deps, poll)).toEqual([JSON.stringify(payload)]);
          const before = await call("GET", `/v1/events/${eventId}?tenantId=acme`);
          const expunged = await call("DELETE", `/v1/events/${eventId}/payload?tenantId=acme`);
          expect(expunged).toMatchObject({ status: 200, json: { eventId, feedEntries: 1 } });
          const after = await call("GET", `/v1/events/${eventId}?tenantId=acme`);
          expect(after.json).toEqual({ ...before.json, payload: null, expungedAt: expunged.json.expungedAt });
          expect(await feedBodies(deps, poll)).toEqual(["null"]);
          // The stored event holds its text nowhere: its body is null, and no other field is the payload's text.
          const stored = deps.events.of("acme", eventId);
          expect(stored?.body).toBe("null");
          expect(Object.values(stored ?? {})).not.toContain(JSON.stringify(payload));
          // A repeat changes nothing and says when it was first done.
          expect((await call("DELETE", `/v1/events/${eventId}/payload?tenantId=acme`)).json.expungedAt).toBe(expunged.json.expungedAt);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("lets a tenant key expunge its own events only, and refuses portal sessions", async () => {
    const { call, eventId } = await delivered({ secret: "s" });
    const own = await call("POST", "/v1/api-keys", { body: { tenantId: "acme", name: "k" } });
    const other = await call("POST", "/v1/api-keys", { body: { tenantId: "other", name: "k" } });
    expect((await call("DELETE", `/v1/events/${eventId}/payload`, { key: other.json.key })).status).toBe(404);
    const session = await call("POST", "/v1/portal-sessions", { body: { tenantId: "acme" } });
    expect((await call("DELETE", `/v1/events/${eventId}/payload`, { portal: session.json.token })).status).toBe(403);
    expect((await call("DELETE", `/v1/events/${eventId}/payload`, { key: own.json.key })).status).toBe(200);
    expect((await call("DELETE", "/v1/events/evt_none/payload", { key: own.json.key })).json.error.code).toBe("not_found");
  });

  it("leaves queued messages to be delivered as queued, refuses replays and makes recoveries skip the event", async () => {
    const { deps, call, hook, eventId, queued } = await delivered({ n: 1 });
    await call("DELETE", `/v1/events/${eventId}/payload?tenantId=acme`);
    // The message already queued still carries its copy: the decision documented in docs/lifecycle.md.
    expect(queued.map((q) => parseMessage(q)?.body)).toContain('{"n":1}');
    const replay = await call("POST", `/v1/events/${eventId}/replay`, { body: { tenantId: "acme" } });
    expect(replay).toMatchObject({ status: 409, json: { error: { code: "event_expunged" } } });
    await deps.attempts.record({
      eventId,
      endpointId: hook,
      tenantId: "acme",
      attempt: 1,
      trigger: "scheduled",
      status: "exhausted",
      url: "https://a.example/hook",
      at: deps.clock.now().toISOString(),
      durationMs: 1,
      expiresAt: 2e9,
    });
    const sentBefore = deps.queue.sent.length;
    const started = await call("POST", `/v1/endpoints/${hook}/recover`, { body: { since: "2026-10-01T00:00:00Z" } });
    expect(started.status).toBe(202);
    const task = parseTask(deps.queue.requeued.at(-1)?.body ?? "");
    if (!task) throw new Error("the recovery queued no step");
    await runRecoveryStep({ ...deps, requeue: deps.queue }, task);
    expect(deps.queue.sent.length).toBe(sentBefore);
    expect((await deps.recoveries.get(hook, started.json.id))?.status).toBe("completed");
  });
});
