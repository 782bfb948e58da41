import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractChecker } from "../support/contract.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * The whole pipeline on the real emulators: the local stack runs as `npm start` runs it, receivers
 * are real HTTP servers on 127.0.0.1. Retries use a 1-second schedule; the dead-letter consumer is
 * off so that the dead-letter queue itself can be inspected.
 */
let stack: RunningStack;
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
/** Every secret and key the run handed out: none may appear in the stack's logs. */
const secrets: string[] = ["local-admin-key"];

beforeAll(async () => {
  stack = await startStack({
    env: { RETRY_SCHEDULE: "1,1,1", DELIVERY_TIMEOUT_MS: "1500", SLOW_DOWN_DELAY_SECONDS: "1" },
    args: ["--no-dead-letter-consumer"],
  });
});

// Cleanup only: the checks on the stopped stack are the last tests of this file.
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

async function receiver(script?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}

async function endpoint(body: Record<string, unknown>) {
  const response = await stack.api("POST", "/v1/endpoints", body);
  expect(response.status).toBe(201);
  secrets.push(response.json.secret, response.json.secret.slice("whsec_".length));
  tenantOfEndpoint.set(response.json.id, response.json.tenantId);
  return response.json as { id: string; secret: string; tenantId: string };
}

/** The tenant of each endpoint created: the admin names it to read that tenant's events. */
const tenantOfEndpoint = new Map<string, string>();

async function emit(body: Record<string, unknown>, headers?: Record<string, string>) {
  const response = await stack.api("POST", "/v1/events", body, headers);
  expect(response.status).toBe(202);
  return response.json as { id: string; messageId: string; endpoints: number; createdAt: string };
}

async function deliveryOf(eventId: string, endpointId: string, status: string) {
  return eventually(async () => {
    const view = await stack.api("GET", `/v1/events/${eventId}?tenantId=${tenantOfEndpoint.get(endpointId)}`);
    const delivery = view.json.deliveries.find((d: { endpointId: string }) => d.endpointId === endpointId);
    return delivery?.status === status ? delivery : undefined;
  });
}

describe("the pipeline on the local emulators", () => {
  it("delivers a signed webhook that the standardwebhooks library verifies", async () => {
    const r = await receiver();
    const ep = await endpoint({ url: `${r.url}/hooks`, tenantId: "t-signed", headers: { "x-customer": "acme" } });
    const event = await emit({ type: "invoice.paid", payload: { invoice: "in_1", amount: 4200 }, tenantId: "t-signed" });
    expect(event.endpoints).toBe(1);
    const [request] = await eventually(async () => (r.requests.length > 0 ? r.requests : undefined));
    expect(new Webhook(ep.secret).verify(request?.body ?? "", request?.headers ?? {})).toEqual({ invoice: "in_1", amount: 4200 });
    expect(request?.path).toBe("/hooks");
    expect(request?.body).toBe('{"invoice":"in_1","amount":4200}');
    expect(request?.headers).toMatchObject({ "content-type": "application/json", "webhook-id": event.messageId, "x-customer": "acme" });
    expect(event.messageId).toMatch(/^msg_[A-Za-z0-9]{27}$/);
    expect(request?.headers["user-agent"]).toMatch(/^hookrelay\//);
    const delivery = await deliveryOf(event.id, ep.id, "succeeded");
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 204 });
    expect(stack.output()).toMatch(new RegExp(`succeeded\\s+${event.id} -> ${ep.id} #1 HTTP 204`));
  });

  it("delivers only to enabled endpoints of the tenant subscribed to the type", async () => {
    const r = await receiver();
    const all = await endpoint({ url: `${r.url}/all`, tenantId: "t-match" });
    await endpoint({ url: `${r.url}/other-type`, tenantId: "t-match", eventTypes: ["user.created"] });
    await endpoint({ url: `${r.url}/disabled`, tenantId: "t-match", enabled: false });
    await endpoint({ url: `${r.url}/other-tenant`, tenantId: "t-elsewhere" });
    const typed = await endpoint({ url: `${r.url}/typed`, tenantId: "t-match", eventTypes: ["order.shipped", "x"] });
    const event = await emit({ type: "order.shipped", payload: {}, tenantId: "t-match" });
    expect(event.endpoints).toBe(2);
    await deliveryOf(event.id, all.id, "succeeded");
    await deliveryOf(event.id, typed.id, "succeeded");
    expect(r.requests.map((q) => q.path).sort()).toEqual(["/all", "/typed"]);
  });

  it("retries failed attempts on the schedule until the receiver answers 2xx, logging each one", async () => {
    const r = await receiver((_req, i) => (i < 2 ? { status: 500, body: `failure ${i}` } : { status: 200, body: "thanks" }));
    const ep = await endpoint({ url: r.url, tenantId: "t-retry" });
    const event = await emit({ type: "a", payload: { n: 1 }, tenantId: "t-retry" });
    const delivery = await deliveryOf(event.id, ep.id, "succeeded");
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200 });
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"]))).toEqual(new Set([event.messageId]));
    const attempts = (await stack.api("GET", `/v1/events/${event.id}/attempts?tenantId=t-retry`)).json.items;
    expect(attempts.map((a: { attempt: number; status: string; statusCode: number }) => [a.attempt, a.status, a.statusCode])).toEqual([
      [3, "succeeded", 200],
      [2, "failed", 500],
      [1, "failed", 500],
    ]);
    expect(attempts[2]).toMatchObject({ responseBody: "failure 0", eventId: event.id, endpointId: ep.id, tenantId: "t-retry" });
    expect(Date.parse(attempts[2].nextAttemptAt) - Date.parse(attempts[2].at)).toBeGreaterThanOrEqual(800);
    expect(attempts[2].durationMs).toBeGreaterThanOrEqual(0);
  });

  it("exhausts a delivery after the last delay, moves its message to the dead-letter queue, and pages its attempts", async () => {
    const r = await receiver(() => ({ status: 503 }));
    const ep = await endpoint({ url: r.url, tenantId: "t-exhaust" });
    const event = await emit({ type: "a", payload: { n: 2 }, tenantId: "t-exhaust" });
    const delivery = await deliveryOf(event.id, ep.id, "exhausted");
    expect(delivery).toMatchObject({ attempts: 4, lastStatusCode: 503 });
    expect(delivery.nextAttemptAt).toBeUndefined();
    const dead = await eventually(async () => {
      return (await stack.deadLetters()).find((m) => JSON.parse(m.Body ?? "{}").eventId === event.id);
    });
    expect(JSON.parse(dead.Body ?? "")).toMatchObject({ v: 1, eventId: event.id, endpointId: ep.id });
    expect(dead.MessageAttributes?.reason?.StringValue).toBe("exhausted");

    const first = await stack.api("GET", `/v1/endpoints/${ep.id}/attempts?limit=3`);
    expect(first.json.items.map((a: { attempt: number }) => a.attempt)).toEqual([4, 3, 2]);
    const second = await stack.api("GET", `/v1/endpoints/${ep.id}/attempts?limit=3&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((a: { attempt: number }) => a.attempt)).toEqual([1]);
    expect(second.json.nextCursor).toBeNull();
    const exhausted = await stack.api("GET", `/v1/endpoints/${ep.id}/attempts?status=exhausted`);
    expect(exhausted.json.items.map((a: { attempt: number }) => a.attempt)).toEqual([4]);
    const paged = await stack.api("GET", `/v1/events/${event.id}/attempts?limit=2&tenantId=t-exhaust`);
    expect(paged.json.items).toHaveLength(2);
    expect(paged.json.nextCursor).toEqual(expect.any(String));
  });

  it("counts a redirect and a timeout as failed attempts and follows no redirect", async () => {
    const target = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    const slow = await receiver(() => ({ status: 200, delayMs: 4_000 }));
    const a = await endpoint({ url: redirecting.url, tenantId: "t-odd" });
    const b = await endpoint({ url: slow.url, tenantId: "t-odd" });
    const event = await emit({ type: "a", payload: 1, tenantId: "t-odd" });
    const attemptsOf = async (endpointId: string) => (await stack.api("GET", `/v1/endpoints/${endpointId}/attempts`)).json.items;
    const [redirected] = await eventually(async () => ((await attemptsOf(a.id)).length > 0 ? attemptsOf(a.id) : undefined));
    expect(redirected).toMatchObject({ status: "failed", statusCode: 302, eventId: event.id });
    const [timedOut] = await eventually(async () => ((await attemptsOf(b.id)).length > 0 ? attemptsOf(b.id) : undefined));
    expect(timedOut).toMatchObject({ status: "failed", error: "timeout" });
    expect(timedOut.statusCode).toBeUndefined();
    expect(target.requests).toHaveLength(0);
  });

  it("makes emit idempotent by Idempotency-Key or id, and refuses a changed body with 409", async () => {
    const r = await receiver();
    const ep = await endpoint({ url: r.url, tenantId: "t-idem" });
    const body = { type: "a", payload: { n: 3 }, tenantId: "t-idem" };
    const first = await emit(body, { "idempotency-key": "order-42" });
    await deliveryOf(first.id, ep.id, "succeeded");
    const again = await stack.api("POST", "/v1/events", body, { "idempotency-key": "order-42" });
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first);
    const changed = await stack.api("POST", "/v1/events", { ...body, payload: { n: 4 } }, { "idempotency-key": "order-42" });
    expect(changed.status).toBe(409);
    expect(changed.json.error.code).toBe("idempotency_conflict");
    const byId = await emit({ ...body, id: "evt-from-client" });
    const byIdAgain = await stack.api("POST", "/v1/events", { ...body, id: "evt-from-client" });
    expect(byIdAgain.json).toEqual(byId);
    await deliveryOf(byId.id, ep.id, "succeeded");
    // Replays enqueue nothing: once the queue is empty, each event reached the receiver exactly once.
    await eventually(async () => {
      const { Attributes } = await stack.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.deliveryQueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
        }),
      );
      return Object.values(Attributes ?? {}).every((v) => v === "0");
    }, 30_000);
    expect(r.requests.map((q) => q.headers["webhook-id"]).sort()).toEqual([first.messageId, byId.messageId].sort());
  });

  it("accepts the valid events of a batch and reports the invalid one in place", async () => {
    const r = await receiver();
    const ep = await endpoint({ url: r.url, tenantId: "t-batch" });
    const response = await stack.api("POST", "/v1/events/batch", {
      events: [
        { type: "a", payload: 1, tenantId: "t-batch" },
        { type: "not valid!", payload: 2, tenantId: "t-batch" },
        { type: "c", payload: 3, tenantId: "t-batch" },
      ],
    });
    expect(response.status).toBe(202);
    const [a, bad, c] = response.json.items;
    expect(a).toMatchObject({ status: 202, event: { type: "a", endpoints: 1 } });
    expect(bad).toMatchObject({ status: 422, error: { code: "validation_failed" } });
    expect(bad.error.details[0].path).toBe("type");
    await deliveryOf(a.event.id, ep.id, "succeeded");
    await deliveryOf(c.event.id, ep.id, "succeeded");
    expect(r.requests.map((q) => q.body).sort()).toEqual(["1", "3"]);
  });

  it("gives a tenant key its own tenant only, end to end", async () => {
    const r = await receiver();
    const created = await stack.api("POST", "/v1/api-keys", { tenantId: "t-keyed", name: "integration" });
    expect(created.status).toBe(201);
    const key = created.json.key as string;
    secrets.push(key);
    const asTenant = { authorization: `Bearer ${key}` };
    const ep = await stack.api("POST", "/v1/endpoints", { url: r.url }, asTenant);
    expect(ep.json.tenantId).toBe("t-keyed");
    secrets.push(ep.json.secret);
    const event = await stack.api("POST", "/v1/events", { type: "a", payload: { k: 1 } }, asTenant);
    expect(event.json.tenantId).toBe("t-keyed");
    await eventually(async () => r.requests.length === 1);
    const foreign = await endpoint({ url: r.url, tenantId: "t-foreign" });
    expect((await stack.api("GET", `/v1/endpoints/${foreign.id}`, undefined, asTenant)).status).toBe(404);
    expect((await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-foreign" }, asTenant)).status).toBe(403);
    expect((await stack.api("DELETE", `/v1/api-keys/${created.json.id}`)).status).toBe(204);
    expect((await stack.api("GET", "/v1/endpoints", undefined, asTenant)).status).toBe(401);
  });

  it("answers bad requests over HTTP with the one error shape", async () => {
    const raw = await fetch(`${stack.apiUrl}/v1/endpoints`, {
      method: "POST",
      headers: { authorization: "Bearer local-admin-key", "content-type": "application/json" },
      body: "{",
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      error: { code: "invalid_json", message: expect.any(String), details: [{ path: "body", message: expect.any(String) }] },
    });
    const unauthorized = await fetch(`${stack.apiUrl}/v1/endpoints`);
    expect(unauthorized.status).toBe(401);
    const big = await stack.api("POST", "/v1/events", { type: "a", payload: "x".repeat(300 * 1024) });
    expect(big.status).toBe(413);
    const privateUrl = await stack.api("POST", "/v1/endpoints", { url: "http://10.1.2.3/hook" });
    expect(privateUrl).toMatchObject({ status: 422, json: { error: { code: "destination_not_allowed" } } });
  });

  it("answered every call above as the API document describes (run last)", () => {
    const contract = new ContractChecker();
    expect(stack.exchanges.length).toBeGreaterThan(30);
    expect(stack.exchanges.flatMap((exchange) => contract.problems(exchange))).toEqual([]);
  });
});

// These run after every test above (a file's tests run in order): they read the whole run's log.
describe("the stopped stack", () => {
  it("exits 0 on SIGTERM", async () => {
    expect(await stack.stop()).toBe(0);
  });

  it("logged no secret or key it handed out during the whole run (deliveries, retries, failures, exhaustion, refusals)", () => {
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(stack.output()).not.toContain(secret);
    // The log did record the run's failures: it is the full log, not an empty one.
    expect(stack.output()).toMatch(/failed/);
  });
});
