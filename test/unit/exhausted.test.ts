import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { announcer, exhaustedData } from "../../functions/core/delivery/announce.ts";
import { recordAttempt } from "../../functions/core/delivery/attempt-record.ts";
import { BatchEndpoints } from "../../functions/core/delivery/batch-endpoints.ts";
import { endExhausted, endingOf } from "../../functions/core/delivery/exhausted.ts";
import { deliveryKey } from "../../functions/core/delivery/history.ts";
import { serializeMessage } from "../../functions/core/kernel/queue-message.ts";
import { deliveryDeps, deliveryMessage } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

// Ending an exhausted delivery happens in exhausted.ts only: the worker and the dead-letter consumer
// announce the same ending, and only the worker disables the endpoint and dead-letters the message.

const ending = fc.record({
  attempt: fc.integer({ min: 1, max: 30 }),
  statusCode: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
  error: fc.constantFrom(undefined, "endpoint_gone" as const, "timeout" as const, "connection" as const),
  failingHours: fc.option(fc.integer({ min: 0, max: 24 * 30 }), { nil: undefined }),
  chain: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), { nil: undefined }),
});

describe("ending an exhausted delivery", () => {
  it("the worker disables when due, announces and dead-letters; the consumer announces the same ending", async () => {
    await fc.assert(
      fc.asyncProperty(ending, async ({ attempt, statusCode, error, failingHours, chain }) => {
        const deps = deliveryDeps([1]);
        const now = deps.clock.now().getTime();
        const failingSince = failingHours === undefined ? undefined : new Date(now - failingHours * 3_600_000).toISOString();
        const endpoint = endpointFixture(failingSince === undefined ? {} : { failingSince });
        await deps.endpoints.put(endpoint);
        const message = deliveryMessage(chain === undefined ? {} : { chain });
        const fields = {
          status: "exhausted" as const,
          url: endpoint.url,
          durationMs: 5,
          ...(statusCode !== undefined && { statusCode }),
          ...(error !== undefined && { error }),
        };
        const record = await recordAttempt(deps, message, attempt, fields);
        const endpoints = new BatchEndpoints(deps.endpoints);
        const received = { messageId: "m1", receiptHandle: "r1", body: serializeMessage(message), receiveCount: attempt };

        await endExhausted(deps, message, record, { by: "worker", ports: deps, received, endpoints, announce: announcer(deps, message) });
        const expected = {
          tenantId: message.tenantId,
          type: "delivery.exhausted",
          key: deliveryKey(message),
          at: record.at,
          data: exhaustedData(message, { attempts: attempt, statusCode, error }),
        };
        expect(deps.operational.emitted.filter((e) => e.type === "delivery.exhausted")).toEqual([expected]);
        expect(deps.queue.deadLetters).toEqual([
          { body: received.body, reason: error === "endpoint_gone" ? "endpoint_gone" : "exhausted" },
        ]);
        const hoursFailing = (now - Date.parse(failingSince ?? record.at)) / 3_600_000;
        const disabled = error === "endpoint_gone" || hoursFailing >= deps.policy.disableAfterHours;
        expect((await deps.endpoints.get(endpoint.id))?.enabled).toBe(!disabled);
        expect(deps.operational.types().includes("endpoint.disabled")).toBe(disabled);

        const consumer = deliveryDeps([1]);
        await endExhausted(consumer, message, record, { by: "dead-letter consumer", ending: endingOf(record) });
        expect(consumer.operational.emitted).toEqual([expected]);
        expect(consumer.queue.deadLetters).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("a failed announcement keeps the worker's message but is only logged by the consumer, whose record is written", async () => {
    const deps = deliveryDeps([1]);
    await deps.endpoints.put(endpointFixture());
    const message = deliveryMessage();
    const record = await recordAttempt(deps, message, 3, { status: "exhausted", url: "https://receiver.example/hook", durationMs: 1 });
    deps.operational.outage.down = true;
    const warnings: string[] = [];
    deps.onWarning = (what) => warnings.push(what);
    const received = { messageId: "m1", receiptHandle: "r1", body: serializeMessage(message), receiveCount: 3 };
    const worker = {
      by: "worker",
      ports: deps,
      received,
      endpoints: new BatchEndpoints(deps.endpoints),
      announce: announcer(deps, message),
    } as const;
    await expect(endExhausted(deps, message, record, worker)).rejects.toThrow();
    expect(deps.queue.deadLetters).toEqual([]);
    await endExhausted(deps, message, record, { by: "dead-letter consumer", ending: endingOf(record) });
    expect(warnings).toEqual(["could not emit delivery.exhausted"]);
  });
});
