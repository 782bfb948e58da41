import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admit } from "../../functions/core/delivery/admit.ts";
import { recordAttempt } from "../../functions/core/delivery/attempt-record.ts";
import type { AttemptRecord, AttemptStatus } from "../../functions/core/kernel/model.ts";
import { serializeMessage } from "../../functions/core/kernel/queue-message.ts";
import { deliveryDeps, deliveryMessage } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

// The endpoint's attempt list is written once per batch (functions/adapters/dynamo/attempt-list.ts).
// A batch that dies between recording an attempt and listing it is redelivered: the redelivery
// finds the delivery finished in its history and lists that record again.

describe("a redelivery that finds its delivery finished", () => {
  it("lists the finished record again, and only on a redelivery of a finished delivery", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<AttemptStatus>("failed", "succeeded", "exhausted", "skipped"), { minLength: 0, maxLength: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.constantFrom("replay_1", "rcv_2"), { nil: undefined }),
        async (statuses, receiveCount, chain) => {
          const deps = deliveryDeps([1, 1, 1, 1, 1]);
          const again: AttemptRecord[] = [];
          const attempts = Object.assign(deps.attempts, { listAgain: (a: AttemptRecord) => again.push(a) });
          const endpoint = endpointFixture();
          await deps.endpoints.put(endpoint);
          const message = deliveryMessage(chain === undefined ? {} : { chain });
          let last: AttemptRecord | undefined;
          for (const [i, status] of statuses.entries())
            last = await recordAttempt(deps, message, i + 1, { status, url: endpoint.url, durationMs: 1 });
          const received = { messageId: "m1", receiptHandle: "r1", body: serializeMessage(message), receiveCount };
          await admit({ ...deps, attempts }, received, message, (id) => deps.endpoints.get(id));
          const finished = last !== undefined && last.status !== "failed";
          // A first receive of a message with no chain reads no history, so it has nothing to list again.
          expect(again).toEqual(finished && receiveCount > 1 ? [last] : []);
        },
      ),
      { numRuns: 150 },
    );
  });
});
