import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { expectScoped, type ProbeWorld, type Send } from "../support/portal-probe.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * On the local stack (DynamoDB and SQS emulators, the real worker, a real receiver on 127.0.0.1):
 * random tenants with random endpoints and events, delivered for real (some endpoints answer 500
 * until their retries run out), then a portal session limited to a random part of the endpoints
 * calls every route of the table. It sees exactly the tenant key's view of its part, page by page
 * over the sharded, filtered index, and nothing of the rest. Who got what is read at the receiver.
 */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const TYPES = ["order.paid", "order.sent", "user.made"] as const;

beforeAll(async () => {
  // Each endpoint answers with a body of its own; those whose path ends in "f" fail, twice (one retry).
  receiver = await startReceiver((request) =>
    request.path.endsWith("f") ? { status: 500, body: `answer-of-${request.path}` } : { status: 200, body: `answer-of-${request.path}` },
  );
  // The circuit stays closed, so a failing endpoint's deliveries end (exhausted) within seconds.
  stack = await startStack({ env: { RETRY_SCHEDULE: "1", CIRCUIT_FAILURE_THRESHOLD: "100" } });
});

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

const scenario = fc.record({
  endpoints: fc.array(fc.record({ types: fc.option(fc.subarray([...TYPES], { minLength: 1 }), { nil: undefined }), fails: fc.boolean() }), {
    minLength: 2,
    maxLength: 4,
  }),
  events: fc.array(fc.constantFrom(...TYPES), { minLength: 3, maxLength: 14 }),
  replays: fc.array(fc.record({ event: fc.nat(), endpoint: fc.nat() }), { maxLength: 2 }),
  scope: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 2 }),
  pageSize: fc.integer({ min: 1, max: 3 }),
});

let runs = 0;

/** The admin's call, which must succeed. */
async function admin(method: string, path: string, body?: unknown) {
  const answer = await stack.api(method, path, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.json)}`).toBeLessThan(300);
  return answer.json;
}

/** A caller with these credentials: status and body text as sent. */
function sender(authorization: string): Send {
  return async (method, path, body) => {
    const response = await fetch(stack.apiUrl + path, {
      method,
      headers: { authorization, ...(body !== undefined && { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
}

describe("a portal session limited to some endpoints, on the local stack", () => {
  it("shows nothing outside its endpoints on any route, and what the tenant key shows of them", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (spec) => {
        const run = ++runs;
        const tenantId = `scope-${run}`;
        const endpoints: { id: string; path: string; strings: string[] }[] = [];
        for (const [i, { types, fails }] of spec.endpoints.entries()) {
          const path = `/${tenantId}/e${i}${fails ? "f" : "k"}`;
          const created = await admin("POST", "/v1/endpoints", {
            tenantId,
            url: `${receiver.url}${path}`,
            description: `desc-${tenantId}-${i}-x`,
            ...(types && { eventTypes: types }),
          });
          const strings = [created.id, `${receiver.url}${path}`, `answer-of-${path}`, `desc-${tenantId}-${i}-x`, created.secret];
          endpoints.push({ id: created.id, path, strings });
        }
        // Another tenant, all of it forbidden.
        const other = await admin("POST", "/v1/endpoints", { tenantId: `${tenantId}-other`, url: `${receiver.url}/${tenantId}-other/k` });
        const otherEvent = await admin("POST", "/v1/events", {
          tenantId: `${tenantId}-other`,
          type: "order.paid",
          payload: { m: `other-${run}-x` },
        });
        const forbidden = [other.id, `${receiver.url}/${tenantId}-other/k`, other.secret, otherEvent.id, `other-${run}-x`];
        const events: { id: string; marker: string }[] = [];
        for (const [i, type] of spec.events.entries()) {
          const marker = `payload-${tenantId}-${i}-x`;
          const emitted = await admin("POST", "/v1/events", { tenantId, type, payload: { marker } });
          events.push({ id: emitted.id, marker });
        }
        for (const r of spec.replays) {
          const [event, endpoint] = [events[r.event % events.length], endpoints[r.endpoint % endpoints.length]];
          // Refused (404) when the endpoint does not take the event's type: then it is no delivery.
          await stack.api("POST", `/v1/events/${event?.id}/replay`, { tenantId, endpointId: endpoint?.id });
        }
        // Every delivery done: succeeded, or exhausted after its retry.
        await eventually(async () => {
          for (const { id } of events) {
            const view = (await stack.api("GET", `/v1/events/${id}?tenantId=${tenantId}`)).json as { deliveries: { status: string }[] };
            if (!view.deliveries.every((d) => d.status === "succeeded" || d.status === "exhausted")) return false;
          }
          return true;
        }, 30_000);

        // Who got what, read at the receiver: an event's payload marker at an endpoint's path.
        const deliveredTo = (eventId: string) => {
          const marker = events.find((e) => e.id === eventId)?.marker ?? "\u0000";
          const paths = new Set(receiver.requests.filter((r) => r.body.includes(marker)).map((r) => r.path));
          return new Set(endpoints.filter((e) => paths.has(e.path)).map((e) => e.id));
        };
        const own = spec.scope.map((i) => endpoints[i % endpoints.length]?.id as string);
        const visible = (eventId: string) => own.some((id) => deliveredTo(eventId).has(id));
        for (const e of endpoints) if (!own.includes(e.id)) forbidden.push(...e.strings);
        for (const event of events) if (!visible(event.id)) forbidden.push(event.id, event.marker);
        const recoveries: ProbeWorld["recoveries"] = [];
        for (const e of [...endpoints, { id: other.id }]) {
          // A window before any delivery: the recovery resends nothing while the views are compared.
          const window = { since: new Date(Date.now() - 7_200_000).toISOString(), until: new Date(Date.now() - 3_600_000).toISOString() };
          const started = await admin("POST", `/v1/endpoints/${e.id}/recover`, window);
          recoveries.push({ endpointId: e.id, id: started.id });
          if (!own.includes(e.id)) forbidden.push(started.id);
        }
        const key = (await admin("POST", "/v1/api-keys", { tenantId, name: tenantId })).key as string;
        const session = await admin("POST", "/v1/portal-sessions", { tenantId, endpointIds: own });
        // A few of the events it sees and of those it does not, to keep the probe's calls in hundreds.
        const probedEvents = [...events.filter((e) => visible(e.id)).slice(0, 3), ...events.filter((e) => !visible(e.id)).slice(0, 3)];
        await expectScoped(
          {
            world: {
              tenantId,
              endpoints: [...endpoints.map((e) => e.id), other.id],
              events: [...probedEvents.map((e) => e.id), otherEvent.id],
              recoveries,
              since: new Date(Date.now() - 7_200_000).toISOString(),
            },
            asTenant: sender(`Bearer ${key}`),
            asSession: sender(`Portal ${session.token}`),
            own,
            tenantEvents: events.map((e) => e.id),
            deliveredTo,
            visible,
            forbidden,
          },
          spec.pageSize,
        );
      }),
      { numRuns: 4 },
    );
  }, 600_000);

  // Last: it ends the stack the test above used.
  it("stops gracefully on SIGTERM after all of the above (exit code 0)", async () => {
    expect(await stack.stop("SIGTERM")).toBe(0);
  });
});
