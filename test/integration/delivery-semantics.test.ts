import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ReceivedRequest, type ScriptedAnswer, startReceiver } from "../support/receiver.ts";

/*
 * The delivery rules of issue 4 on the local stack (`npm start`'s entry point on the real
 * emulators), against real receivers on 127.0.0.1 that script their answers. Schedules and
 * cool-downs are a second or two; assertions are on the delivery log, the endpoint and the requests
 * received, with lower bounds only where time matters.
 */
let stack: RunningStack;
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

beforeAll(async () => {
  stack = await startStack({
    env: {
      RETRY_SCHEDULE: "1,1,1",
      DELIVERY_TIMEOUT_MS: "1000",
      SLOW_DOWN_DELAY_SECONDS: "1",
      CIRCUIT_FAILURE_THRESHOLD: "3",
      CIRCUIT_COOLDOWN_SECONDS: "2",
      CIRCUIT_MAX_COOLDOWN_SECONDS: "4",
      // Any endpoint whose delivery is exhausted has been failing "long enough": it is disabled.
      ENDPOINT_DISABLE_AFTER_HOURS: "0",
    },
  });
});

// Cleanup only: the exit code is checked by the last test of this file.
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

type Script = (request: ReceivedRequest, index: number) => ScriptedAnswer;

async function receiver(script?: Script) {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}

async function endpoint(body: Record<string, unknown>) {
  const response = await stack.api("POST", "/v1/endpoints", body);
  expect(response.status).toBe(201);
  return response.json as { id: string; secret: string; tenantId: string };
}

/** The tenant of each event emitted: the admin names it to read the event. */
const tenantOf = new Map<string, string>();

async function emit(tenantId: string, type = "order.created", payload: unknown = { n: 1 }) {
  const response = await stack.api("POST", "/v1/events", { type, tenantId, payload });
  expect(response.status).toBe(202);
  tenantOf.set(response.json.id, tenantId);
  return response.json as { id: string; messageId: string };
}

async function attemptsOf(eventId: string) {
  const response = await stack.api("GET", `/v1/events/${eventId}/attempts?limit=100&tenantId=${tenantOf.get(eventId)}`);
  expect(response.status).toBe(200);
  return response.json.items as Record<string, any>[];
}

async function deliveryOf(eventId: string, status: string, timeoutMs = 20_000) {
  return eventually(async () => {
    const view = await stack.api("GET", `/v1/events/${eventId}?tenantId=${tenantOf.get(eventId)}`);
    const delivery = view.json.deliveries?.[0];
    return delivery?.status === status ? delivery : undefined;
  }, timeoutMs);
}

const getEndpoint = async (id: string) => (await stack.api("GET", `/v1/endpoints/${id}`)).json;

/** The operational events an observer endpoint received, by type. */
function received(observer: { requests: ReceivedRequest[] }, type: string) {
  return observer.requests.map((r) => JSON.parse(r.body)).filter((e) => e.type === type);
}

describe("the Standard Webhooks status rules against a scripted receiver", () => {
  it("backs off a 503 by its Retry-After, then delivers", async () => {
    const r = await receiver((_, i) => (i === 0 ? { status: 503, headers: { "retry-after": "2" } } : { status: 204 }));
    const ep = await endpoint({ url: r.url, tenantId: "t-503" });
    const event = await emit(ep.tenantId);
    await deliveryOf(event.id, "succeeded");
    const [first, second] = (await attemptsOf(event.id)).sort((a, b) => a.attempt - b.attempt);
    expect(first).toMatchObject({ attempt: 1, status: "failed", statusCode: 503 });
    // Retry-After 2 within [1, 2 x 1] s: the retry is set 2 s after the failure, and not sent before.
    expect(Date.parse(first?.nextAttemptAt) - Date.parse(first?.at)).toBeGreaterThanOrEqual(2000);
    expect(Date.parse(second?.at) - Date.parse(first?.at)).toBeGreaterThanOrEqual(1900);
    expect(second).toMatchObject({ attempt: 2, status: "succeeded" });
  });

  it("counts a redirect as a failure and never follows it", async () => {
    const r = await receiver((request) =>
      request.path === "/elsewhere" ? { status: 204 } : { status: 302, headers: { location: "/elsewhere" } },
    );
    const ep = await endpoint({ url: `${r.url}/hook`, tenantId: "t-302", retrySchedule: [1] });
    const event = await emit(ep.tenantId);
    await deliveryOf(event.id, "exhausted");
    expect(r.requests.map((q) => q.path)).toEqual(["/hook", "/hook"]);
    expect((await attemptsOf(event.id)).map((a) => a.statusCode)).toEqual([302, 302]);
  });

  it("retries a slow answer (timeout) and a dropped connection", async () => {
    const answers: ScriptedAnswer[] = [{ status: 204, delayMs: 2500 }, { status: 0, drop: true }, { status: 204 }];
    const r = await receiver((_, i) => answers[i] ?? { status: 204 });
    const ep = await endpoint({ url: r.url, tenantId: "t-slow" });
    const event = await emit(ep.tenantId);
    await deliveryOf(event.id, "succeeded");
    const attempts = (await attemptsOf(event.id)).sort((a, b) => a.attempt - b.attempt);
    expect(attempts.map((a) => [a.status, a.error ?? a.statusCode])).toEqual([
      ["failed", "timeout"],
      ["failed", "connection"],
      ["succeeded", 204],
    ]);
  });

  it("disables the endpoint at once on 410 Gone; later events are skipped; PATCH enabled turns it back on", async () => {
    const observer = await receiver();
    const r = await receiver(() => ({ status: 410 }));
    const ep = await endpoint({ url: r.url, tenantId: "t-410" });
    const watcher = await endpoint({ url: observer.url, tenantId: "t-410", eventTypes: ["endpoint.disabled", "delivery.exhausted"] });
    const event = await emit(ep.tenantId);
    const delivery = await deliveryOf(event.id, "exhausted");
    expect(delivery.attempts).toBe(1);
    expect(await getEndpoint(ep.id)).toMatchObject({ enabled: false, disabledReason: "gone", disabledAt: expect.any(String) });
    const next = await emit(ep.tenantId);
    await deliveryOf(next.id, "skipped");
    expect(r.requests).toHaveLength(1);
    // The dispatcher told the tenant, through its own pipeline, signed like any delivery.
    await eventually(
      async () => received(observer, "endpoint.disabled").length === 1 && received(observer, "delivery.exhausted").length === 1,
    );
    expect(received(observer, "endpoint.disabled")[0].data).toMatchObject({ endpointId: ep.id, reason: "gone" });
    const news = observer.requests.find((q) => JSON.parse(q.body).type === "endpoint.disabled") as ReceivedRequest;
    expect(new StandardWebhook(watcher.secret).verify(news.body, news.headers)).toMatchObject({ type: "endpoint.disabled" });
    // ... and logged like any delivery.
    const logged = await stack.api("GET", `/v1/endpoints/${watcher.id}/attempts`);
    expect(logged.json.items.map((a: { status: string }) => a.status)).toEqual(["succeeded", "succeeded"]);
    const patched = await stack.api("PATCH", `/v1/endpoints/${ep.id}`, { enabled: true });
    expect(patched.json).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
  });
});

describe("per-endpoint retry schedules", () => {
  it("follows the endpoint's schedule over the global one, and refuses one longer than the queue keeps messages", async () => {
    const r = await receiver(() => ({ status: 500 }));
    const ep = await endpoint({ url: r.url, tenantId: "t-schedule", retrySchedule: [1] });
    const event = await emit(ep.tenantId);
    await deliveryOf(event.id, "exhausted");
    // Two attempts, where the global "1,1,1" would have made four.
    expect(r.requests).toHaveLength(2);
    const tooLong = await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-schedule", retrySchedule: Array(50).fill(35_000) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.error.code).toBe("validation_failed");
  });
});

describe("the circuit breaker", () => {
  it("opens after 3 consecutive failures, holds deliveries unattempted, probes after the cool-down and closes on success", async () => {
    let healthy = false;
    const r = await receiver(() => ({ status: healthy ? 204 : 500 }));
    const observer = await receiver();
    const ep = await endpoint({ url: r.url, tenantId: "t-circuit", retrySchedule: [1, 1, 1, 1, 1, 1, 1, 1] });
    await endpoint({ url: observer.url, tenantId: "t-circuit", eventTypes: ["endpoint.circuit_opened", "endpoint.circuit_closed"] });
    const first = await Promise.all([1, 2, 3].map(() => emit(ep.tenantId)));
    const open = await eventually(async () => {
      const view = await getEndpoint(ep.id);
      return view.circuit.state === "open" ? view : undefined;
    });
    // While open, a new event waits: it is not attempted before the cool-down ends.
    const waiting = await emit(ep.tenantId);
    healthy = true;
    for (const event of [...first, waiting]) await deliveryOf(event.id, "succeeded", 30_000);
    expect(await getEndpoint(ep.id)).toMatchObject({ circuit: { state: "closed" }, failingSince: null });
    // The waiting event's delivery is its first attempt: waiting was never counted as a failure.
    const [held] = await attemptsOf(waiting.id);
    expect(held).toMatchObject({ attempt: 1, status: "succeeded" });
    // Nothing was sent while the circuit was open: every attempt came before it opened or after its cool-down.
    const openedAt = Date.parse(open.circuit.openUntil) - 2000;
    const all = (await Promise.all([...first, waiting].map((e) => attemptsOf(e.id)))).flat();
    const during = all.filter((a) => Date.parse(a.at) >= openedAt + 50 && Date.parse(a.at) < Date.parse(open.circuit.openUntil));
    expect(during).toEqual([]);
    expect(Date.parse(held?.at)).toBeGreaterThanOrEqual(Date.parse(open.circuit.openUntil));
    await eventually(async () => received(observer, "endpoint.circuit_closed").length >= 1);
    expect(received(observer, "endpoint.circuit_opened").length).toBeGreaterThanOrEqual(1);
    expect(received(observer, "endpoint.circuit_opened")[0].data).toMatchObject({ endpointId: ep.id });
  });
});

describe("the rate limit", () => {
  it("holds an endpoint to rateLimitPerSecond; deliveries above it wait and are never counted as failed", async () => {
    const r = await receiver();
    const arrivals: number[] = [];
    r.script = () => {
      arrivals.push(Date.now());
      return { status: 204 };
    };
    const ep = await endpoint({ url: r.url, tenantId: "t-rate", rateLimitPerSecond: 2 });
    const batch = Array.from({ length: 8 }, (_, i) => ({ type: "order.created", tenantId: ep.tenantId, payload: { i } }));
    const response = await stack.api("POST", "/v1/events/batch", { events: batch });
    expect(response.status).toBe(202);
    const ids: string[] = response.json.items.map((x: { event: { id: string } }) => x.event.id);
    for (const id of ids) tenantOf.set(id, ep.tenantId);
    for (const id of ids) await deliveryOf(id, "succeeded", 30_000);
    expect(arrivals).toHaveLength(8);
    // 8 deliveries at 2 a second take at least 3 whole seconds from the first to the last.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(2500);
    for (const id of ids) expect((await attemptsOf(id)).map((a) => [a.attempt, a.status])).toEqual([[1, "succeeded"]]);
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the grace period and the new one only afterwards; standardwebhooks and svix verify", async () => {
    const r = await receiver();
    const ep = await endpoint({ url: r.url, tenantId: "t-rotate" });
    const rotated = await stack.api("POST", `/v1/endpoints/${ep.id}/secret/rotate`, { gracePeriodSeconds: 2 });
    expect(rotated.status).toBe(200);
    expect(rotated.json.previous).toHaveLength(1);
    expect(JSON.stringify(rotated.json)).not.toContain(ep.secret);
    const newSecret = rotated.json.secret as string;
    await deliveryOf((await emit(ep.tenantId, "order.created", { during: true })).id, "succeeded");
    const during = r.requests[0] as ReceivedRequest;
    expect(during.headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    for (const secret of [ep.secret, newSecret]) {
      expect(new StandardWebhook(secret).verify(during.body, during.headers)).toEqual({ during: true });
      expect(new SvixWebhook(secret).verify(during.body, during.headers)).toEqual({ during: true });
    }
    // Once the grace period is over, only the new secret signs.
    const graceEnds = Date.parse(rotated.json.previous[0].expiresAt);
    await eventually(async () => Date.now() > graceEnds + 100);
    await deliveryOf((await emit(ep.tenantId, "order.created", { after: true })).id, "succeeded");
    const after = r.requests[1] as ReceivedRequest;
    expect(after.headers["webhook-signature"]).toMatch(/^v1,\S+$/);
    expect(new StandardWebhook(newSecret).verify(after.body, after.headers)).toEqual({ after: true });
    expect(new SvixWebhook(newSecret).verify(after.body, after.headers)).toEqual({ after: true });
    expect(() => new StandardWebhook(ep.secret).verify(after.body, after.headers)).toThrow();
    expect(() => new SvixWebhook(ep.secret).verify(after.body, after.headers)).toThrow();
    expect((await stack.api("GET", `/v1/endpoints/${ep.id}/secret`)).json).toEqual({ secret: newSecret });
    const tooLong = await stack.api("POST", `/v1/endpoints/${ep.id}/secret/rotate`, { gracePeriodSeconds: 8 * 86_400 });
    expect(tooLong.status).toBe(422);
  });
});

describe("replay and recovery", () => {
  it("replays an event now as a new manual chain", async () => {
    const r = await receiver();
    const ep = await endpoint({ url: r.url, tenantId: "t-replay" });
    const event = await emit(ep.tenantId);
    await deliveryOf(event.id, "succeeded");
    const replay = await stack.api("POST", `/v1/events/${event.id}/replay`, { endpointId: ep.id, tenantId: ep.tenantId });
    expect(replay.status).toBe(202);
    const chain = replay.json.chains[0].chain;
    const manual = await eventually(async () => (await attemptsOf(event.id)).find((a) => a.trigger === "manual"));
    expect(manual).toMatchObject({ chain, attempt: 1, status: "succeeded" });
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([event.messageId, event.messageId]);
    const elsewhere = await stack.api("POST", `/v1/events/${event.id}/replay`, { tenantId: ep.tenantId }, { "x-ignored": "1" });
    expect(elsewhere.status).toBe(202);
    expect((await stack.api("POST", "/v1/events/evt_missing/replay", {})).status).toBe(404);
  });

  it("disables a failing endpoint, records what it misses as skipped, and recovers failed, exhausted and skipped deliveries", async () => {
    let healthy = false;
    const r = await receiver(() => ({ status: healthy ? 204 : 500 }));
    const observer = await receiver();
    const since = new Date(Date.now() - 1000).toISOString();
    const ep = await endpoint({ url: r.url, tenantId: "t-recover", retrySchedule: [1] });
    await endpoint({ url: observer.url, tenantId: "t-recover", eventTypes: ["endpoint.disabled", "delivery.recovered"] });
    const failed = await emit(ep.tenantId);
    await deliveryOf(failed.id, "exhausted");
    // The worker disables the endpoint just after it records the exhausted attempt.
    expect(await eventually(async () => ((await getEndpoint(ep.id)).enabled ? undefined : await getEndpoint(ep.id)))).toMatchObject({
      enabled: false,
      disabledReason: "failing",
    });
    const missed = await emit(ep.tenantId);
    await deliveryOf(missed.id, "skipped");
    const refused = await stack.api("POST", `/v1/endpoints/${ep.id}/recover`, { since });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("endpoint_disabled");

    healthy = true;
    expect((await stack.api("PATCH", `/v1/endpoints/${ep.id}`, { enabled: true })).status).toBe(200);
    const started = await stack.api("POST", `/v1/endpoints/${ep.id}/recover`, { since });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ status: "running", endpointId: ep.id });
    const done = await eventually(async () => {
      const view = await stack.api("GET", `/v1/endpoints/${ep.id}/recoveries/${started.json.id}`);
      return view.json.status === "completed" ? view.json : undefined;
    });
    expect(done.resent).toBe(2);
    await deliveryOf(failed.id, "succeeded");
    await deliveryOf(missed.id, "succeeded");
    const manual = (await attemptsOf(missed.id)).find((a) => a.trigger === "manual");
    expect(manual).toMatchObject({ status: "succeeded", attempt: 1 });
    await eventually(async () => received(observer, "delivery.recovered").length === 2);
    expect(received(observer, "endpoint.disabled")[0].data).toMatchObject({ endpointId: ep.id, reason: "failing" });
    // Another tenant's key cannot see or start it.
    const other = await stack.api("POST", "/v1/api-keys", { tenantId: "t-other", name: "other" });
    const asOther = { authorization: `Bearer ${other.json.key}` };
    expect((await stack.api("POST", `/v1/endpoints/${ep.id}/recover`, { since }, asOther)).status).toBe(404);
    expect((await stack.api("GET", `/v1/endpoints/${ep.id}/recoveries/${started.json.id}`, undefined, asOther)).status).toBe(404);
  });
});

// Runs after every test above (a file's tests run in order).
describe("the stopped stack", () => {
  it("exits 0 on SIGTERM after the whole run", async () => {
    expect(await stack.stop()).toBe(0);
  });
});
