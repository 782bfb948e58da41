import { beforeEach, describe, expect, it } from "vitest";
import { acceptEvents, type IntakeDeps } from "../../functions/core/intake/intake.ts";
import { ApiError, DependencyError } from "../../functions/core/kernel/errors.ts";
import { endpointFixture, type MemoryEndpointStore, type MemoryEventStore, MemoryQueue, memoryIntakeDeps } from "../support/fakes.ts";

describe("acceptEvents", () => {
  let deps: IntakeDeps & { endpoints: MemoryEndpointStore; events: MemoryEventStore; queue: MemoryQueue };

  beforeEach(async () => {
    deps = memoryIntakeDeps();
    await deps.endpoints.put(endpointFixture({ id: "ep_all" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_paid", eventTypes: ["invoice.paid"] }));
    await deps.endpoints.put(endpointFixture({ id: "ep_off", enabled: false }));
    await deps.endpoints.put(endpointFixture({ id: "ep_other", tenantId: "acme" }));
  });

  it("enqueues one message per matching endpoint of the tenant and records the event", async () => {
    const [result] = await acceptEvents(deps, [{ type: "invoice.paid", payload: { a: 1 } }]);
    expect(result).toMatchObject({ ok: true, event: { type: "invoice.paid", tenantId: "default", endpoints: 2 } });
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_all", "ep_paid"]);
    expect(deps.queue.sent[0]).toMatchObject({ v: 1, type: "invoice.paid", body: '{"a":1}' });
    expect(JSON.stringify(deps.queue.sent)).not.toContain("whsec_");
    const id = result?.ok ? result.event.id : "";
    expect(deps.events.of("default", id)?.endpointIds.sort()).toEqual(["ep_all", "ep_paid"]);
  });

  it("records an event that matches no endpoint", async () => {
    const [result] = await acceptEvents(deps, [{ type: "x", payload: null, tenantId: "nobody" }]);
    expect(result).toMatchObject({ ok: true, event: { endpoints: 0 } });
    expect(deps.queue.sent).toHaveLength(0);
    expect(deps.events.items.size).toBe(1);
  });

  it("answers a repeated idempotency key with the first result and enqueues nothing new", async () => {
    const [first] = await acceptEvents(deps, [{ type: "a", payload: 1 }], "key-1");
    const [again] = await acceptEvents(deps, [{ type: "a", payload: 1 }], "key-1");
    expect(again).toEqual({ ...first, replayed: true });
    expect(deps.queue.sent).toHaveLength(1);
  });

  it("refuses the same key with a different body", async () => {
    await acceptEvents(deps, [{ type: "a", payload: 1 }], "key-1");
    const [conflict] = await acceptEvents(deps, [{ type: "a", payload: 2 }], "key-1");
    expect(conflict).toMatchObject({ ok: false, error: { status: 409, code: "idempotency_conflict" } });
    expect(conflict?.ok === false && conflict.error).toBeInstanceOf(ApiError);
    // Named by the key the caller sent, not by the event id derived from it, which the caller never saw.
    const error = conflict?.ok === false ? (conflict.error as ApiError) : undefined;
    expect(error?.message).toMatch(/^Idempotency-Key "key-1" was already used with a different body \(its event is evt_/);
    expect(error?.details).toEqual([{ path: "idempotency-key", message: "was already used with a different body" }]);
  });

  it("names an event that carries its own id by that id on a conflict", async () => {
    await acceptEvents(deps, [{ id: "order-7", type: "a", payload: 1 }], "key-ignored");
    const [conflict] = await acceptEvents(deps, [{ id: "order-7", type: "a", payload: 2 }]);
    expect(conflict?.ok === false && conflict.error.message).toBe("Event order-7 was already submitted with a different body");
  });

  it("uses the event's own id as its key, and scopes header keys to the tenant", async () => {
    const [byId] = await acceptEvents(deps, [{ id: "order-7", type: "a", payload: 1 }]);
    expect(byId).toMatchObject({ ok: true, event: { id: "order-7" } });
    const [a] = await acceptEvents(deps, [{ type: "a", payload: 1 }], "same");
    const [b] = await acceptEvents(deps, [{ type: "a", payload: 1, tenantId: "acme" }], "same");
    expect(a?.ok && b?.ok && a.event.id !== b.event.id).toBe(true);
  });

  it("keeps the valid events of a batch when one is invalid", async () => {
    const results = await acceptEvents(deps, [
      { type: "a", payload: 1 },
      { type: "bad type!", payload: 1 },
      { payload: 1 },
      { type: "b", payload: 2 },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1]).toMatchObject({ ok: false, error: { status: 422, code: "validation_failed" } });
    expect(deps.events.items.size).toBe(2);
  });

  it("treats a repeat inside one batch as the same event", async () => {
    const results = await acceptEvents(deps, [
      { id: "dup", type: "a", payload: 1 },
      { id: "dup", type: "a", payload: 1 },
      { id: "dup", type: "a", payload: 2 },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(deps.queue.sent).toHaveLength(1);
  });

  it("answers 503 when SQS refuses some messages, and a repeat sends only those, without duplicates", async () => {
    deps.queue.refuse = (m) => m.endpointId === "ep_paid";
    const [failed] = await acceptEvents(deps, [{ type: "invoice.paid", payload: 1 }], "k");
    expect(failed).toMatchObject({ ok: false, error: { name: "DependencyError" } });
    const [recorded] = [...deps.events.items.values()];
    expect(recorded?.unsent).toEqual(["ep_paid"]);
    expect(deps.queue.sent.map((m) => m.endpointId)).toEqual(["ep_all"]);
    deps.queue.refuse = () => false;
    const [retried] = await acceptEvents(deps, [{ type: "invoice.paid", payload: 1 }], "k");
    expect(retried).toMatchObject({ ok: true, event: { endpoints: 2 } });
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_all", "ep_paid"]);
    expect(deps.events.of("default", recorded?.id ?? "")?.unsent).toBeUndefined();
    const [again] = await acceptEvents(deps, [{ type: "invoice.paid", payload: 1 }], "k");
    expect(again?.ok).toBe(true);
    expect(deps.queue.sent).toHaveLength(2);
  });

  it("puts deliveries to slow and probation endpoints on the slow lane's queue, and the rest on the delivery queue", async () => {
    const slowQueue = new MemoryQueue();
    await deps.endpoints.put(endpointFixture({ id: "ep_slow", lane: "slow" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_new", lane: "probation" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_fast", lane: "fast" }));
    const [result] = await acceptEvents({ ...deps, slowQueue }, [{ type: "invoice.paid", payload: 1 }]);
    expect(result).toMatchObject({ ok: true, event: { endpoints: 5 } });
    expect(slowQueue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_new", "ep_slow"]);
    // An endpoint stored before lanes has none: it is in the fast lane.
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_all", "ep_fast", "ep_paid"]);
  });

  it("records the slow lane's refused messages as unsent, and a repeat sends them through the delivery queue", async () => {
    const slowQueue = new MemoryQueue();
    await deps.endpoints.put(endpointFixture({ id: "ep_new", lane: "probation" }));
    slowQueue.outage.down = true;
    const [failed] = await acceptEvents({ ...deps, slowQueue }, [{ type: "invoice.paid", payload: 1 }], "k");
    expect(failed).toMatchObject({ ok: false, error: { name: "DependencyError" } });
    expect([...deps.events.items.values()][0]?.unsent).toEqual(["ep_new"]);
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_all", "ep_paid"]);
    const [finished] = await acceptEvents({ ...deps, slowQueue }, [{ type: "invoice.paid", payload: 1 }], "k");
    expect(finished).toMatchObject({ ok: true, event: { endpoints: 3 } });
    // The repeat's send goes to the delivery queue; the fast lane forwards it unsent.
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_all", "ep_new", "ep_paid"]);
    expect(slowQueue.sent).toEqual([]);
  });

  it("records what is left to send when SQS is down, so nothing accepted waits on the caller", async () => {
    deps.queue.outage.down = true;
    const [result] = await acceptEvents(deps, [{ type: "invoice.paid", payload: 1 }]);
    expect(result).toMatchObject({ ok: false, error: { name: "DependencyError" } });
    expect([...deps.events.items.values()][0]?.unsent?.sort()).toEqual(["ep_all", "ep_paid"]);
  });

  it("fails with a dependency error, not a false acceptance, when the store is down", async () => {
    deps.events.outage.down = true;
    const [result] = await acceptEvents(deps, [{ type: "a", payload: 1 }]);
    expect(!result?.ok && result?.error).toBeInstanceOf(DependencyError);
  });

  it("fails every event of a batch when SQS is unreachable", async () => {
    deps.queue.outage.down = true;
    const results = await acceptEvents(deps, [
      { type: "a", payload: 1 },
      { type: "b", payload: 1 },
    ]);
    expect(results.every((r) => !r.ok && r.error instanceof DependencyError)).toBe(true);
    expect([...deps.events.items.values()].map((e) => e.unsent?.length)).toEqual([1, 1]);
  });

  it("answers 503 and records nothing when DynamoDB fails after the messages went out", async () => {
    deps.events.putNew = async () => {
      throw new DependencyError("dynamodb", "down");
    };
    const [result] = await acceptEvents(deps, [{ type: "a", payload: 1 }]);
    expect(result).toMatchObject({ ok: false, error: { name: "DependencyError" } });
    expect(deps.events.items.size).toBe(0);
  });
});

describe("acceptEvents limits", () => {
  it("refuses a payload nested deeper than 32 levels and accepts 32", async () => {
    const deps = memoryIntakeDeps();
    let deep: unknown = 1;
    for (let i = 0; i < 33; i++) deep = [deep];
    const [tooDeep] = await acceptEvents(deps, [{ type: "a", payload: deep }]);
    expect(tooDeep).toMatchObject({ ok: false, error: { status: 422, details: [{ path: "payload" }] } });
    let ok: unknown = 1;
    for (let i = 0; i < 32; i++) ok = { k: ok };
    const [accepted] = await acceptEvents(deps, [{ type: "a", payload: ok }]);
    expect(accepted?.ok).toBe(true);
  });

  it("refuses with 413 a payload that would not fit in a queue message once escaped", async () => {
    const deps = memoryIntakeDeps();
    // 100,000 quotes are 100 KB of JSON but 400 KB once escaped inside the message.
    const [result] = await acceptEvents(deps, [{ type: "a", payload: '"'.repeat(100_000) }]);
    expect(result).toMatchObject({ ok: false, error: { status: 413, code: "payload_too_large" } });
    expect(deps.events.items.size).toBe(0);
  });
});

describe("finishing a half-sent event", () => {
  it("sends what is left once, even when a batch repeats the event", async () => {
    const deps = memoryIntakeDeps();
    await deps.endpoints.put(endpointFixture({ id: "ep_a" }));
    await deps.endpoints.put(endpointFixture({ id: "ep_b" }));
    deps.queue.refuse = (m) => m.endpointId === "ep_b";
    await acceptEvents(deps, [{ id: "e1", type: "a", payload: 1 }]);
    deps.queue.refuse = () => false;
    const results = await acceptEvents(deps, [
      { id: "e1", type: "a", payload: 1 },
      { id: "e1", type: "a", payload: 1 },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(deps.queue.sent.map((m) => m.endpointId).sort()).toEqual(["ep_a", "ep_b"]);
  });
});
