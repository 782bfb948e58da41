import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HttpSender } from "../../functions/core/delivery/deps.ts";
import type { EventRecord } from "../../functions/core/kernel/model.ts";
import { deliveryMessage } from "../../functions/core/kernel/queue-message.ts";
import { deliverOrderedBatch } from "../../functions/core/ordering/ordered-batch.ts";
import type { OrderedDeps, OrderedEvent } from "../../functions/core/ordering/ordered-deps.ts";
import { ORDERED_GIVE_UP_RECEIVES, ORDERED_RETENTION_SECONDS } from "../../functions/core/ordering/receive-budget.ts";
import type { SendResult } from "../../functions/core/policy/outcome.ts";
import { deliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";
import { MemoryFifo } from "../support/memory-fifo.ts";

/*
 * The ordered consumer against an in-memory SQS FIFO on a fake clock: whatever the receivers answer
 * (failures, Retry-After, timeouts, 410), each endpoint's first successful receipt of its events is
 * in emission order, and every event is either received or given up with a record and an announcement.
 */

type Answer = "ok" | "fail" | "slow" | "timeout";

const answerOf = (a: Answer): SendResult => {
  switch (a) {
    case "ok":
      return { kind: "response", statusCode: 200, body: "", durationMs: 2 };
    case "fail":
      return { kind: "response", statusCode: 500, body: "", durationMs: 2 };
    case "slow":
      return { kind: "response", statusCode: 429, body: "", durationMs: 2, retryAfter: "3" };
    case "timeout":
      return { kind: "error", error: "timeout", message: "timed out", durationMs: 1000 };
  }
};

/** A receiver per endpoint that answers from a script, in order, and notes each event's first 2xx. */
function scriptedReceivers(script: Answer[]) {
  let n = 0;
  const firstOk = new Map<string, number[]>();
  const http: HttpSender = {
    post: async (url, _headers, body) => {
      const answer = answerOf(script[n++] ?? "ok");
      if (answer.kind === "response" && answer.statusCode === 200) {
        const seq = (JSON.parse(body) as { seq: number }).seq;
        const list = firstOk.get(url) ?? [];
        if (!list.includes(seq)) list.push(seq);
        firstOk.set(url, list);
      }
      return answer;
    },
  };
  return { http, firstOk };
}

function setUp(schedule: number[], script: Answer[], endpointCount: number) {
  const base = deliveryDeps(schedule);
  const fifo = new MemoryFifo(base.clock);
  const receivers = scriptedReceivers(script);
  const events: OrderedEvent[] = [];
  const deps: OrderedDeps = {
    ...base,
    http: receivers.http,
    queue: fifo,
    retentionSeconds: ORDERED_RETENTION_SECONDS,
    onOrdered: (e) => events.push(e),
  };
  const endpoints = Array.from({ length: endpointCount }, (_, i) =>
    endpointFixture({ id: `ep_${i}`, url: `https://receiver.example/${i}`, ordering: "fifo" }),
  );
  for (const e of endpoints) base.endpoints.items.set(e.id, e);
  return { base, fifo, deps, receivers, events, endpoints };
}

const record = (seq: number): EventRecord =>
  ({
    id: `evt_${String(seq).padStart(4, "0")}`,
    tenantId: "default",
    type: "o",
    createdAt: "2026-11-01T00:00:00.000Z",
    body: JSON.stringify({ seq }),
  }) as EventRecord;

/** Runs the event source until the queue is empty: receive, deliver, delete what was not kept, wait for the next visible message. */
async function drain(s: ReturnType<typeof setUp>, maxBatches = 20_000): Promise<void> {
  for (let i = 0; i < maxBatches; i++) {
    const batch = s.fifo.receive(10);
    if (batch.length === 0) {
      const next = s.fifo.nextVisibleAtMs();
      if (next === undefined) {
        if (s.fifo.messages.length === 0) return;
        throw new Error("messages left that nothing will ever receive");
      }
      s.base.clock.time = next;
      continue;
    }
    s.fifo.settle(batch, await deliverOrderedBatch(s.deps, batch));
    s.base.clock.advance(5);
  }
  throw new Error(
    `the ordered queue did not drain: ${JSON.stringify({ messages: s.fifo.messages.slice(0, 3), holds: s.fifo.holds.slice(-5), now: s.base.clock.time, events: s.events.slice(-5) })}`,
  );
}

const answers = fc.array(fc.constantFrom<Answer>("ok", "ok", "fail", "slow", "timeout"), { maxLength: 120 });

describe("the ordered consumer", () => {
  it("keeps each endpoint's first successful receipts in emission order, and accounts for every event", async () => {
    await fc.assert(
      fc.asyncProperty(answers, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 25 }), async (script, endpointCount, count) => {
        const s = setUp([1, 2, 4], script, endpointCount);
        // Emitted round-robin over the endpoints, in batches of up to 7, as intake sends them.
        const sends = Array.from({ length: count }, (_, seq) => deliveryMessage(record(seq), `ep_${seq % endpointCount}`));
        for (let i = 0; i < sends.length; i += 7) await s.fifo.send(sends.slice(i, i + 7));
        await drain(s);
        const givenUp = new Set(s.events.filter((e) => e.kind === "given_up").map((e) => e.eventId));
        for (const endpoint of s.endpoints) {
          const emitted = sends.filter((m) => m.endpointId === endpoint.id).map((m) => (JSON.parse(m.body) as { seq: number }).seq);
          const expected = emitted.filter((seq) => !givenUp.has(record(seq).id));
          expect(s.receivers.firstOk.get(endpoint.url) ?? []).toEqual(expected);
        }
        // Every given-up delivery is recorded exhausted and announced, naming it.
        for (const eventId of givenUp) {
          expect(s.base.attempts.items.some((a) => a.eventId === eventId && a.status === "exhausted")).toBe(true);
          expect(s.base.operational.emitted.some((e) => e.type === "delivery.exhausted" && e.data.eventId === eventId)).toBe(true);
        }
        expect(s.fifo.redriven).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("holds the head and the deliveries behind it for the head's retry, without attempts for those behind", async () => {
    const s = setUp([30], ["fail"], 1);
    await s.fifo.send([0, 1, 2].map((seq) => deliveryMessage(record(seq), "ep_0")));
    const batch = s.fifo.receive(10);
    const kept = await deliverOrderedBatch(s.deps, batch);
    expect(kept).toEqual(batch.map((r) => r.messageId));
    expect(s.fifo.holds).toEqual([{ count: 3, seconds: 30 }]);
    expect(s.base.attempts.items.map((a) => [a.eventId, a.status])).toEqual([[record(0).id, "failed"]]);
  });

  it("gives a head up before SQS's redrive would, and lets the next one go", async () => {
    const s = setUp([1], [], 1);
    await s.fifo.send([0, 1].map((seq) => deliveryMessage(record(seq), "ep_0")));
    const stored = s.fifo.messages[0];
    if (stored) stored.receiveCount = ORDERED_GIVE_UP_RECEIVES - 1;
    await drain(s);
    expect(s.fifo.deadLetters.map((d) => d.reason)).toEqual(["receive_budget"]);
    expect(s.receivers.firstOk.get("https://receiver.example/0")).toEqual([1]);
    expect(s.events.filter((e) => e.kind === "given_up").map((e) => e.eventId)).toEqual([record(0).id]);
  });

  it("disables an endpoint whose line waited near the queue's retention, and records the rest skipped", async () => {
    const s = setUp([1], [], 1);
    await s.fifo.send([0, 1, 2].map((seq) => deliveryMessage(record(seq), "ep_0")));
    s.base.clock.advance((ORDERED_RETENTION_SECONDS - 86_400) * 1000);
    await drain(s);
    expect(s.receivers.firstOk.size).toBe(0);
    expect(s.base.endpoints.items.get("ep_0")?.enabled).toBe(false);
    expect(s.base.attempts.items.map((a) => a.status)).toEqual(["skipped", "skipped", "skipped"]);
    expect(s.base.operational.types()).toContain("endpoint.disabled");
    expect(s.events.map((e) => e.kind)).toEqual(["stuck"]);
  });

  it("waits for the rate limit in flight, the line kept whole, without spending attempts", async () => {
    const s = setUp([1], [], 1);
    s.base.endpoints.items.set(
      "ep_0",
      endpointFixture({ id: "ep_0", url: "https://receiver.example/0", ordering: "fifo", rateLimitPerSecond: 1 }),
    );
    await s.fifo.send([0, 1, 2].map((seq) => deliveryMessage(record(seq), "ep_0")));
    await drain(s);
    expect(s.receivers.firstOk.get("https://receiver.example/0")).toEqual([0, 1, 2]);
    expect(s.events.filter((e) => e.kind === "held").every((e) => e.kind === "held" && e.reason === "wait")).toBe(true);
    expect(s.base.attempts.items.every((a) => a.attempt === 1)).toBe(true);
  });
});
