import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ScriptedAnswer, startReceiver } from "../support/receiver.ts";

/*
 * Delivery lanes on the local stack (`npm start`'s entry point, both event sources, real emulators)
 * against real receivers on 127.0.0.1: black holes that accept and never answer, one that answers
 * slowly, one that was fast and turns into a black hole, and a healthy one. The healthy endpoint's
 * deliveries must never wait out a bad endpoint's POST: each arrives within the fast lane's budget
 * (the longest a fast-lane POST can hold a batch) plus BOUND_SLACK_MS, far below the full timeout.
 */
const TIMEOUT_MS = 8_000;
const BUDGET_MS = 1_000;
const SLOW_AFTER_MS = 700;
// Room for a loaded machine (other test files share its two cores); still half the full timeout.
const BOUND_SLACK_MS = 3_000;
const RETRIES = 2;
const BAD_EVENTS = 4;
const HEALTHY_EVENTS = 10;

let stack: RunningStack;
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

beforeAll(async () => {
  stack = await startStack({
    env: {
      RETRY_SCHEDULE: Array(RETRIES).fill("1").join(","),
      DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
      FAST_LANE_BUDGET_MS: String(BUDGET_MS),
      SLOW_LANE_AFTER_MS: String(SLOW_AFTER_MS),
      LANE_EXIT_SUCCESSES: "2",
      // The circuit breaker stays out of the way: this is about lanes alone.
      CIRCUIT_FAILURE_THRESHOLD: "100",
    },
  });
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

const BLACK_HOLE: ScriptedAnswer = { status: 204, delayMs: 30_000 };

/** A receiver that notes when each webhook-id arrived. */
async function receiver(answer: () => ScriptedAnswer) {
  const arrivals = new Map<string, number[]>();
  const r = await startReceiver((request) => {
    const id = request.headers["webhook-id"] ?? "";
    arrivals.set(id, [...(arrivals.get(id) ?? []), Date.now()]);
    return answer();
  });
  receivers.push(r);
  return { ...r, arrivals };
}

async function endpoint(url: string, tenantId: string): Promise<{ id: string; lane: string }> {
  const response = await stack.api("POST", "/v1/endpoints", { url, tenantId });
  expect(response.status).toBe(201);
  return response.json;
}

const emittedAt = new Map<string, number>();
const tenantOf = new Map<string, string>();
/** Each event's message id: the webhook-id its deliveries carry. */
const messageOf = new Map<string, string>();

async function emit(tenantId: string): Promise<string> {
  const at = Date.now();
  const response = await stack.api("POST", "/v1/events", { type: "order.created", tenantId, payload: { at } });
  expect(response.status).toBe(202);
  emittedAt.set(response.json.id, at);
  tenantOf.set(response.json.id, tenantId);
  messageOf.set(response.json.id, response.json.messageId);
  return response.json.id;
}

const laneOf = async (id: string): Promise<string> => (await stack.api("GET", `/v1/endpoints/${id}`)).json.lane;

async function finalDelivery(eventId: string) {
  return eventually(async () => {
    const view = await stack.api("GET", `/v1/events/${eventId}?tenantId=${tenantOf.get(eventId)}`);
    const delivery = view.json.deliveries?.[0];
    return delivery?.status === "succeeded" || delivery?.status === "exhausted" ? delivery : undefined;
  }, 60_000);
}

async function attemptsOf(eventId: string): Promise<{ status: string; error?: string; durationMs: number; attempt: number }[]> {
  const response = await stack.api("GET", `/v1/events/${eventId}/attempts?limit=100&tenantId=${tenantOf.get(eventId)}`);
  return response.json.items;
}

describe("delivery lanes", () => {
  it("keeps healthy deliveries clear of black holes and slow endpoints, and retries the bad ones in the slow lane", async () => {
    let turned = false;
    const healthy = await receiver(() => ({ status: 204 }));
    const turning = await receiver(() => (turned ? BLACK_HOLE : { status: 204 }));
    const holes = [await receiver(() => BLACK_HOLE), await receiver(() => BLACK_HOLE)];
    const slow = await receiver(() => ({ status: 204, delayMs: 1_500 }));

    // New endpoints start in probation and earn the fast lane with fast answers.
    const ok = await endpoint(healthy.url, "t-ok");
    const turner = await endpoint(turning.url, "t-turn");
    expect([ok.lane, turner.lane]).toEqual(["probation", "probation"]);
    for (const tenant of ["t-ok", "t-turn", "t-ok", "t-turn"]) await finalDelivery(await emit(tenant));
    await eventually(async () => (await laneOf(ok.id)) === "fast" && (await laneOf(turner.id)) === "fast", 20_000);

    // Now the noise: two fresh black holes, a slow endpoint, and a fast endpoint that stops answering.
    const holeEndpoints = await Promise.all(holes.map((h, i) => endpoint(h.url, `t-hole-${i}`)));
    const slowEndpoint = await endpoint(slow.url, "t-slow");
    turned = true;
    const bad = await Promise.all(
      ["t-hole-0", "t-hole-1", "t-slow", "t-turn"].flatMap((tenant) => Array.from({ length: BAD_EVENTS }, () => emit(tenant))),
    );
    const good: string[] = [];
    for (let i = 0; i < HEALTHY_EVENTS; i++) {
      good.push(await emit("t-ok"));
      await new Promise((r) => setTimeout(r, 100));
    }

    // Healthy: every delivery once, each within the fast lane's budget plus the slack.
    for (const id of good) expect((await finalDelivery(id)).status).toBe("succeeded");
    const waits = good.map((id) => {
      const arrivals = healthy.arrivals.get(messageOf.get(id) ?? "") ?? [];
      expect(arrivals).toHaveLength(1);
      return (arrivals[0] as number) - (emittedAt.get(id) as number);
    });
    expect(Math.max(...waits)).toBeLessThan(BUDGET_MS + BOUND_SLACK_MS);
    expect(BUDGET_MS + BOUND_SLACK_MS).toBeLessThan(TIMEOUT_MS);
    expect(await laneOf(ok.id)).toBe("fast");

    // The bad ones: nothing lost, every one ended; the slow endpoint's delivered, the black holes'
    // exhausted after every scheduled attempt, each given the full timeout in the slow lane.
    const endings = await Promise.all(bad.map(async (id) => [tenantOf.get(id), (await finalDelivery(id)).status]));
    for (const [tenant, status] of endings) expect(status).toBe(tenant === "t-slow" ? "succeeded" : "exhausted");
    for (const id of bad.filter((e) => tenantOf.get(e) !== "t-slow")) {
      const attempts = (await attemptsOf(id)).sort((a, b) => a.attempt - b.attempt);
      // A lane move is no attempt: the schedule is whole.
      expect(attempts.map((a) => [a.attempt, a.error])).toEqual(Array.from({ length: RETRIES + 1 }, (_, i) => [i + 1, "timeout"]));
      for (const a of attempts) expect(a.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    }
    expect(await Promise.all([...holeEndpoints, slowEndpoint, turner].map((e) => laneOf(e.id)))).toEqual(["slow", "slow", "slow", "slow"]);
    // Only the endpoint that left the fast lane has a move recorded, and its way back is twice as long;
    // the others went from probation to the slow lane and cost the fast lane nothing.
    const shown = async (id: string) => (await stack.api("GET", `/v1/endpoints/${id}`)).json;
    expect(await shown(turner.id)).toMatchObject({ laneDemotions: 1, laneFastSuccessesNeeded: 4 });
    expect(await shown(slowEndpoint.id)).toMatchObject({ laneDemotions: 0, laneFastSuccessesNeeded: 2 });
    // The endpoint that turned was cut off in the fast lane and handed over: the receiver saw that
    // POST besides the logged attempts (the same webhook-id, as a duplicate would be).
    const turnedIds = bad.filter((id) => tenantOf.get(id) === "t-turn");
    const posts = turnedIds.map((id) => turning.arrivals.get(messageOf.get(id) ?? "")?.length ?? 0);
    expect(posts.some((n) => n === RETRIES + 2)).toBe(true);
  }, 120_000);
});
