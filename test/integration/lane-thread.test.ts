import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";
import { eventually } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";
import type { Hogged } from "../support/slow-lane-hog.ts";

/*
 * On the local stack the slow lane's event source and function run on a thread of their own, as its
 * invocations run in execution environments of their own in AWS. Here that thread's event loop is
 * blocked outright (a stand-in for a burst of heavy settling), and the fast lane still delivers
 * meanwhile; the slow lane's delivery arrives once its thread is free again.
 */
const HOG_MS = 4_000;
let stack: LocalStack;
const hogs: Hogged[] = [];
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  // The lane's thread copies this environment when it starts.
  process.env.SLOW_LANE_HOG_MS = String(HOG_MS);
  receiver = await startReceiver();
  stack = await startLocalStack({
    port: 0,
    dataDir: undefined,
    deadLetterConsumer: false,
    concurrency: 2,
    slowConcurrency: 1,
    deliverAutomatically: true,
    faultInjection: false,
    sweepIntervalMs: false,
    log: () => undefined,
    hooks: {
      laneThreadHooks: new URL("../support/slow-lane-hog.ts", import.meta.url).href,
      onLaneThreadMessage: (data) => hogs.push(data as Hogged),
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

it("delivers in the fast lane while the slow lane's thread is blocked", async () => {
  // A new webhook endpoint is in probation: its delivery goes to the slow lane, whose thread then blocks.
  const probation = (await api("POST", "/v1/endpoints", { url: `${receiver.url}/probation`, tenantId: "t-slow" })).json;
  expect(probation.lane).toBe("probation");
  // A polling endpoint starts in the fast lane.
  const fast = (await api("POST", "/v1/endpoints", { kind: "polling", tenantId: "t-fast" })).json;
  expect(fast.lane).toBe("fast");
  const cursor = (await api("GET", `/v1/endpoints/${fast.id}/feed`)).json.cursor;

  expect((await api("POST", "/v1/events", { type: "lane.test", tenantId: "t-slow", payload: {} })).status).toBe(202);
  const hog = await eventually(async () => hogs[0], 15_000);

  expect((await api("POST", "/v1/events", { type: "lane.test", tenantId: "t-fast", payload: {} })).status).toBe(202);
  const fastArrived = await eventually(async () => {
    const feed = (await api("GET", `/v1/endpoints/${fast.id}/feed?cursor=${encodeURIComponent(cursor)}`)).json;
    return feed.items.length === 1 && Date.now();
  }, 15_000);
  expect(fastArrived).toBeLessThan(hog.until);

  // Nothing is lost: the slow lane's delivery arrives once its thread runs again.
  await eventually(async () => receiver.requests.length > 0, 20_000);
  expect(Date.now()).toBeGreaterThanOrEqual(hog.until);
  expect(receiver.requests.map((r) => r.path)).toEqual(["/probation"]);
});
