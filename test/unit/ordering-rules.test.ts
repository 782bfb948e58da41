import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEndpoint, updateEndpoint } from "../../functions/core/endpoints/endpoints.ts";
import { parseCreateEndpoint } from "../../functions/core/feed/endpoint-kind.ts";
import type { DeliveryMessage, Endpoint } from "../../functions/core/kernel/model.ts";
import type { Unsent } from "../../functions/core/kernel/ports.ts";
import { orderedDeduplicationId } from "../../functions/core/ordering/dedup.ts";
import { OrderedRouting } from "../../functions/core/ordering/routing-queue.ts";
import { parse, UpdateEndpoint } from "../../functions/core/requests/validation.ts";
import { testDestinationRegistration } from "../support/destinations.ts";
import { endpointFixture, FakeClock, MemoryEndpointStore, MemoryQueue } from "../support/fakes.ts";
import { MemoryTenantStore } from "../support/memory-tenants.ts";

const deps = (endpoints = new MemoryEndpointStore()) => ({
  endpoints,
  clock: new FakeClock(),
  checkUrl: async () => undefined,
  maxEndpointsPerTenant: 20,
  tenants: new MemoryTenantStore(),
  destinations: testDestinationRegistration(),
});

/** The 422's field paths, or undefined when the call did not throw. */
function refusedPaths(call: () => unknown): string[] | undefined {
  try {
    call();
  } catch (error) {
    expect(error).toMatchObject({ status: 422, code: "validation_failed" });
    return (error as { details: { path: string }[] }).details.map((d) => d.path);
  }
  return undefined;
}

describe("an endpoint's ordering", () => {
  it("refuses any value but none or fifo with a 422 naming the field, on create and on update", () => {
    const bad = fc.oneof(
      fc.string().filter((s) => s !== "none" && s !== "fifo"),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom("FIFO", "Fifo", " fifo", "ordered"),
    );
    fc.assert(
      fc.property(bad, (ordering) => {
        expect(refusedPaths(() => parseCreateEndpoint({ url: "https://receiver.example/h", ordering }))).toEqual(["ordering"]);
        expect(refusedPaths(() => parse(UpdateEndpoint, { ordering }))).toEqual(["ordering"]);
      }),
    );
  });

  it("is fifo only on a webhook endpoint: a polling endpoint refuses it, naming the field", () => {
    expect(refusedPaths(() => parseCreateEndpoint({ kind: "polling", ordering: "fifo" }))).toEqual(["ordering"]);
    expect(refusedPaths(() => parseCreateEndpoint({ kind: "polling", ordering: "none" }))).toBeUndefined();
  });

  it("is fixed at creation: a PATCH to the other value is a 422 naming it, the same value passes", async () => {
    for (const [from, to] of [
      ["fifo", "none"],
      ["none", "fifo"],
    ] as const) {
      const store = new MemoryEndpointStore();
      const created = await createEndpoint(deps(store), parseCreateEndpoint({ url: "https://receiver.example/h", ordering: from }));
      await expect(updateEndpoint(deps(store), created.id, { ordering: to })).rejects.toMatchObject({
        status: 422,
        details: [{ path: "ordering" }],
      });
      await expect(updateEndpoint(deps(store), created.id, { ordering: from, description: "same" })).resolves.toMatchObject({
        description: "same",
      });
    }
  });

  it("takes an ordered endpoint out of the lanes", async () => {
    const ordered = await createEndpoint(deps(), parseCreateEndpoint({ url: "https://receiver.example/h", ordering: "fifo" }));
    const plain = await createEndpoint(deps(), parseCreateEndpoint({ url: "https://receiver.example/h" }));
    expect([ordered.ordering, ordered.lane, plain.ordering, plain.lane]).toEqual(["fifo", "fast", undefined, "probation"]);
  });
});

const message = (eventId: string, endpointId: string): DeliveryMessage => ({
  v: 1,
  eventId,
  endpointId,
  tenantId: "default",
  type: "t",
  createdAt: "2026-11-01T00:00:00.000Z",
  body: "{}",
});

describe("the routing queue", () => {
  it("sends ordered endpoints' deliveries to the ordered queue in the order given, the rest to the standard one, unsent indexes mapped back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        async (picks, refused) => {
          const store = new MemoryEndpointStore();
          for (let i = 0; i < 4; i++)
            store.items.set(`ep_${i}`, endpointFixture({ id: `ep_${i}`, ...(i % 2 === 0 && { ordering: "fifo" as const }) }));
          const [standard, ordered] = [new MemoryQueue(), new MemoryQueue()];
          ordered.refuse = (m) => m.endpointId === `ep_${refused}` && m.eventId.endsWith("#x");
          const routing = new OrderedRouting(standard, ordered, store);
          const messages = picks.map(([ep, x], i) => message(`evt_${i}${x ? "#x" : ""}`, `ep_${ep}`));
          // A near scheduled message's delay, by index: every delayed one waits on the standard queue
          // (an ordered endpoint's joins its line when due), the FIFO queue takes none.
          const delays = messages.map((_, i) => i % 3);
          const unsent: Unsent[] = await routing.send(messages, delays);
          const isOrdered = (m: DeliveryMessage) => (store.items.get(m.endpointId) as Endpoint).ordering === "fifo";
          const toLine = (m: DeliveryMessage) => isOrdered(m) && delays[messages.indexOf(m)] === 0;
          const refusedOnes = messages.filter((m) => toLine(m) && m.endpointId === `ep_${refused}` && m.eventId.endsWith("#x"));
          expect(ordered.sent).toEqual(messages.filter((m) => toLine(m) && !refusedOnes.includes(m)));
          expect(standard.sent).toEqual(messages.filter((m) => !toLine(m)));
          expect(standard.sentDelays).toEqual(messages.flatMap((m, i) => (toLine(m) ? [] : [delays[i]])));
          expect(ordered.sentDelays.every((d) => d === 0)).toBe(true);
          expect(unsent.map((u) => messages[u.index])).toEqual(refusedOnes);
        },
      ),
    );
  });

  it("gives each delivery identity its own deduplication id, within SQS's 128 characters", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        fc.string(),
        (eventId, endpointId, chain, other) => {
          const id = orderedDeduplicationId({ eventId, endpointId, chain });
          expect(id).toMatch(/^[0-9a-f]{64}$/);
          expect(id).toBe(orderedDeduplicationId({ eventId, endpointId, chain }));
          if (other !== eventId) expect(orderedDeduplicationId({ eventId: other, endpointId, chain })).not.toBe(id);
          if (other !== (chain ?? "")) expect(orderedDeduplicationId({ eventId, endpointId, chain: other })).not.toBe(id);
        },
      ),
    );
  });
});
