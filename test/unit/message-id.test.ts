import { createHash } from "node:crypto";
import fc from "fast-check";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { getEventView } from "../../functions/core/events/event-queries.ts";
import { startRecovery } from "../../functions/core/events/recovery.ts";
import { replayEvent } from "../../functions/core/events/replay.ts";
import { feedItems } from "../../functions/core/feed/items.ts";
import { acceptEvents, type IntakeResult } from "../../functions/core/intake/intake.ts";
import { messageIdFor, requestHash } from "../../functions/core/kernel/ids.ts";
import type { Endpoint, EventRecord } from "../../functions/core/kernel/model.ts";
import { parseMessage } from "../../functions/core/kernel/queue-message.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture, MemoryEndpointHealth } from "../support/fakes.ts";

/*
 * The `webhook-id` is the dispatcher's message id, never the caller's event id: `msg_` + base62,
 * derived from the tenant and the event, the same on every attempt, replay, recovery, endpoint and
 * feed read of the event, different in another tenant. Events (and queue messages, feed entries)
 * from before message ids keep their id as `webhook-id`. Receivers check it with the real
 * `standardwebhooks` and `svix` libraries.
 */

const MESSAGE_ID = /^msg_[A-Za-z0-9]+$/;

describe("messageIdFor", () => {
  it("is msg_ + 27 base62 characters for any tenant and id: '.', unicode, the longest", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: fc.constantFrom("a", ".", ":", "é", "😀", "\u0000"), minLength: 128, maxLength: 255 }),
    );
    fc.assert(
      fc.property(text, text, (tenantId, eventId) => {
        const id = messageIdFor(tenantId, eventId);
        expect(id).toMatch(/^msg_[A-Za-z0-9]{27}$/);
        expect(messageIdFor(tenantId, eventId)).toBe(id);
      }),
      { numRuns: 500 },
    );
  });

  it("spells the digest's first 160 bits in base62, as BigInt arithmetic does", () => {
    const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const oracle = (tenantId: string, eventId: string) => {
      const digest = createHash("sha256")
        .update(`hookrelay message id\u0000${JSON.stringify([tenantId, eventId])}`)
        .digest();
      let n = BigInt(`0x${digest.subarray(0, 20).toString("hex")}`);
      let text = "";
      for (let i = 0; i < 27; i++, n /= 62n) text = base62[Number(n % 62n)] + text;
      return `msg_${text}`;
    };
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (t, e) => {
        expect(messageIdFor(t, e)).toBe(oracle(t, e));
      }),
      { numRuns: 2000 },
    );
  });

  it("differs for every different tenant and event id, including splits of the same text", () => {
    const pair = fc.tuple(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }));
    fc.assert(
      fc.property(fc.uniqueArray(pair, { minLength: 2, maxLength: 50, selector: (p) => JSON.stringify(p) }), (pairs) => {
        expect(new Set(pairs.map(([t, e]) => messageIdFor(t, e))).size).toBe(pairs.length);
      }),
    );
    expect(messageIdFor("a", "b.c")).not.toBe(messageIdFor("a.b", "c"));
    expect(messageIdFor("a", "\u0000b")).not.toBe(messageIdFor("a\u0000", "b"));
  });
});

/** The API's and the worker's ports on the same in-memory stores, and a pump standing in for SQS. */
function world() {
  const api = memoryApiDeps();
  // Signed by this clock, checked by the libraries against the real one (5 minutes of tolerance).
  api.clock.time = Date.now();
  const worker: TestDeliveryDeps = {
    ...deliveryDeps([1]),
    endpoints: api.endpoints,
    attempts: api.attempts,
    queue: api.queue,
    requeue: api.queue,
    clock: api.clock,
    feed: api.feed,
    health: new MemoryEndpointHealth(api.endpoints),
  };
  worker.recovery = {
    ...worker.recovery,
    attempts: api.attempts,
    events: api.events,
    queue: api.queue,
    requeue: api.queue,
    recoveries: api.recoveries,
  };
  let sent = 0;
  let requeued = 0;
  let receipts = 0;
  /** Delivers what was queued since the last pump, as SQS would: a message left in the queue comes again. */
  const pump = async () => {
    for (let round = 0; round < 10; round++) {
      const bodies = [
        ...api.queue.sent.slice(sent).map((m) => JSON.stringify(m)),
        ...api.queue.requeued.slice(requeued).map((r) => r.body),
      ];
      sent = api.queue.sent.length;
      requeued = api.queue.requeued.length;
      if (bodies.length === 0) return;
      let batch: ReceivedMessage[] = bodies.map((body) => ({
        messageId: `m${++receipts}`,
        receiptHandle: `rh${receipts}`,
        body,
        receiveCount: 1,
      }));
      while (batch.length > 0) {
        const left = new Set(await deliverBatch(worker, batch));
        api.clock.advance(1_000);
        batch = batch.filter((m) => left.has(m.messageId)).map((m) => ({ ...m, receiveCount: m.receiveCount + 1 }));
      }
    }
  };
  return { api, worker, pump };
}

/** Both libraries verify the request, with its `webhook-*` headers and as `svix-*` headers. */
function expectVerified(secret: string, request: { body: string; headers: Record<string, string> }) {
  const payload = JSON.parse(request.body);
  expect(new StandardWebhook(secret).verify(request.body, request.headers)).toEqual(payload);
  expect(new SvixWebhook(secret).verify(request.body, request.headers)).toEqual(payload);
  const svix = {
    "svix-id": request.headers["webhook-id"] ?? "",
    "svix-timestamp": request.headers["webhook-timestamp"] ?? "",
    "svix-signature": request.headers["webhook-signature"] ?? "",
  };
  expect(new SvixWebhook(secret).verify(request.body, svix)).toEqual(payload);
}

const tenantIds = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/), { minLength: 2, maxLength: 2 });
/** An event named by the caller (any id intake takes, often with '.', up to the longest) or by an Idempotency-Key (any text). */
const naming = fc.oneof(
  fc.record({ id: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/) }),
  fc.record({ id: fc.string({ unit: fc.constantFrom("a", "Z", "9", ".", ":", "-", "_"), minLength: 128, maxLength: 128 }) }),
  fc.record({ key: fc.string({ unit: "grapheme", minLength: 1, maxLength: 255 }) }),
);

describe("the webhook-id of an event's deliveries", () => {
  it("is its messageId on every attempt, retry, replay, recovery, endpoint and feed read, and another in another tenant", async () => {
    await fc.assert(
      fc.asyncProperty(tenantIds, naming, async (tenants, name) => {
        const { api, worker, pump } = world();
        // Per tenant: "a" fails once then answers, "b" fails until recovered, "p" is a polling endpoint.
        const url = (tenantId: string, which: string) => `https://${which}.example/${encodeURIComponent(tenantId)}`;
        const endpoints: Endpoint[] = tenants.flatMap((tenantId, i) => [
          endpointFixture({ id: `ep_${i}a`, tenantId, url: url(tenantId, "a") }),
          endpointFixture({
            id: `ep_${i}b`,
            tenantId,
            url: url(tenantId, "b"),
            secret: "whsec_dGhpcyBpcyB0aGUgYiBlbmRwb2ludHMgc2VjcmV0IQ==",
          }),
          endpointFixture({ id: `ep_${i}p`, tenantId, kind: "polling", url: "" }),
        ]);
        for (const e of endpoints) await api.endpoints.put(e);
        let recovered = false;
        worker.http.answer = (to) => {
          const tries = worker.http.requests.filter((r) => r.url === to).length;
          const ok = to.startsWith("https://a.") ? tries > 1 : recovered;
          return { kind: "response", statusCode: ok ? 200 : 500, body: "", durationMs: 1 };
        };

        const accepted: string[] = [];
        for (const [i, tenantId] of tenants.entries()) {
          const input = { ...("id" in name && { id: name.id }), type: "order.paid", tenantId, payload: { tenant: i } };
          const [result] = (await acceptEvents(api, [input], "key" in name ? name.key : undefined)) as [IntakeResult];
          if (!result.ok) throw result.error;
          expect(result.event.endpoints).toBe(3);
          expect(result.event.messageId).toMatch(MESSAGE_ID);
          expect((await getEventView(api, tenantId, result.event.id)).messageId).toBe(result.event.messageId);
          // A repeat of the call is answered with the same message id.
          const [again] = (await acceptEvents(api, [input], "key" in name ? name.key : undefined)) as [IntakeResult];
          expect(again.ok && again.event.messageId).toBe(result.event.messageId);
          accepted.push(result.event.id);
        }
        await pump();
        for (const [i, tenantId] of tenants.entries()) await replayEvent(api, tenantId, accepted[i] as string, undefined);
        await pump();
        recovered = true;
        for (const i of tenants.keys()) await startRecovery(api, `ep_${i}b`, { since: new Date(Date.now() - 3_600_000).toISOString() });
        await pump();

        const messageIds = await Promise.all(tenants.map(async (t, i) => (await getEventView(api, t, accepted[i] as string)).messageId));
        expect(new Set(messageIds).size).toBe(2);
        for (const [i, tenantId] of tenants.entries()) {
          const messageId = messageIds[i] as string;
          const to = (which: string) => worker.http.requests.filter((r) => r.url === url(tenantId, which));
          // a: failed, retried, replayed; b: failed and exhausted, replayed (failed and exhausted again), recovered.
          expect(to("a")).toHaveLength(3);
          expect(to("b")).toHaveLength(5);
          for (const request of [...to("a"), ...to("b")]) {
            expect(request.headers["webhook-id"]).toBe(messageId);
            expectVerified((endpoints.find((e) => e.url === request.url) as Endpoint).secret, request);
          }
          const polling = endpoints.find((e) => e.id === `ep_${i}p`) as Endpoint;
          const entries = (await api.feed.slots(polling.id, 1, 100, 100)).flatMap((s) => (s.entry ? [s.entry] : []));
          const items = feedItems(entries, polling, api.clock.now());
          expect(items).toHaveLength(2);
          for (const item of items) {
            expect(item).toMatchObject({ eventId: accepted[i], messageId, headers: { "webhook-id": messageId } });
            expectVerified(polling.secret, item);
          }
          const exhausted = worker.operational.emitted.filter((e) => e.type === "delivery.exhausted" && e.tenantId === tenantId);
          // The scheduled chain's and the replay's.
          expect(exhausted.map((e) => e.data.messageId)).toEqual([messageId, messageId]);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("an event accepted before message ids", () => {
  /** As the previous version stored it: no messageId. */
  const legacy = (id: string): EventRecord => ({
    id,
    tenantId: "t-old",
    type: "order.paid",
    body: '{"n":1}',
    createdAt: "2026-11-01T00:00:00.000Z",
    requestHash: requestHash("t-old", "order.paid", '{"n":1}'),
    endpointIds: ["ep_old", "ep_poll"],
    expiresAt: 0,
  });
  const ids = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/);

  it("keeps its id as webhook-id: in the API, on a repeat, a replay, a message queued before, and a feed entry", async () => {
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        const { api, worker, pump } = world();
        const webhook = endpointFixture({ id: "ep_old", tenantId: "t-old" });
        const polling = endpointFixture({ id: "ep_poll", tenantId: "t-old", kind: "polling", url: "" });
        await api.endpoints.put(webhook);
        await api.endpoints.put(polling);
        await api.events.putNew([legacy(id)]);
        expect((await getEventView(api, "t-old", id)).messageId).toBe(id);
        const [repeat] = (await acceptEvents(api, [{ id, type: "order.paid", tenantId: "t-old", payload: { n: 1 } }])) as [IntakeResult];
        expect(repeat).toMatchObject({ ok: true, replayed: true, event: { messageId: id } });

        // A message the previous version queued, then a replay by this one.
        await api.queue.send([deliveryMessage({ eventId: id, endpointId: "ep_old", tenantId: "t-old", body: '{"n":1}' })]);
        await replayEvent(api, "t-old", id, undefined);
        await pump();
        expect(worker.http.requests.map((r) => r.headers["webhook-id"])).toEqual([id, id]);
        for (const request of worker.http.requests) expectVerified(webhook.secret, request);
        // A feed entry appended before, and the replay's.
        await worker.feed.fill(
          polling.id,
          {
            seq: 0,
            allocatedAt: api.clock.now().toISOString(),
            entry: { id: "fi_old", eventId: id, eventType: "order.paid", timestamp: "2026-11-01T00:00:00.000Z", body: '{"n":1}' },
          },
          0,
        );
        const entries = (await api.feed.slots(polling.id, 0, 100, 100)).flatMap((s) => (s.entry ? [s.entry] : []));
        const items = feedItems(entries, polling, api.clock.now());
        expect(items.map((item) => [item.messageId, item.headers["webhook-id"]])).toEqual([
          [id, id],
          [id, id],
        ]);
        for (const item of items) expectVerified(polling.secret, item);
      }),
      { numRuns: 25 },
    );
  });

  it("reads a queue message without messageId as before, and refuses one whose messageId is not the dispatcher's", () => {
    expect(parseMessage(JSON.stringify(deliveryMessage({ eventId: "order.1" })))).toMatchObject({ eventId: "order.1" });
    expect(parseMessage(JSON.stringify(deliveryMessage({ eventId: "order.1" })))?.messageId).toBeUndefined();
    expect(parseMessage(JSON.stringify(deliveryMessage({ messageId: "order.1" })))).toBeUndefined();
  });
});
