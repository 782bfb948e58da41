import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * Resends and scheduled deliveries of an ordered endpoint on the local stack (docs/ordering.md): a
 * recovery spanning several pages of the log enters the line in emission order, and a scheduled
 * delivery takes its place when it is due, behind events emitted before then.
 */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let healthy = false;
/** The payloads' `n`, in the order the receiver first answered each 2xx, per path. */
const firstSuccess = new Map<string, number[]>();

beforeAll(async () => {
  // The head's first failure waits 20 s: time to disable the endpoint, after which the line drains.
  [stack, receiver] = await Promise.all([
    startStack({ env: { RETRY_SCHEDULE: "20" } }),
    startReceiver((request) => {
      if (!healthy && request.path === "/recovered") return { status: 500 };
      const n = JSON.parse(request.body).n as number;
      const seen = firstSuccess.get(request.path) ?? [];
      firstSuccess.set(request.path, seen);
      if (!seen.includes(n)) seen.push(n);
      return { status: 204 };
    }),
  ]);
});

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

async function endpoint(path: string): Promise<string> {
  const created = await stack.api("POST", "/v1/endpoints", {
    url: `${receiver.url}${path}`,
    ordering: "fifo",
    eventTypes: [path.slice(1)],
  });
  expect(created.status).toBe(201);
  return created.json.id;
}

describe("an ordered endpoint", () => {
  it("receives a recovery spanning several pages of its log in emission order", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const id = await endpoint("/recovered");
    const EVENTS = 130;
    // Two batches, the second sent after the first's 202: emission order is n.
    for (const from of [0, 100]) {
      const items = Array.from({ length: Math.min(100, EVENTS - from) }, (_, i) => ({ type: "recovered", payload: { n: from + i } }));
      expect((await stack.api("POST", "/v1/events/batch", { events: items })).status).toBe(202);
    }
    await eventually(async () => (await stack.api("GET", `/v1/endpoints/${id}/line`)).json.state === "blocked" || undefined, 60_000);
    expect((await stack.api("PATCH", `/v1/endpoints/${id}`, { enabled: false })).status).toBe(200);
    // When the head's wait ends, the whole line drains: each delivery recorded skipped.
    await eventually(
      async () => {
        let skipped = 0;
        let cursor: string | undefined;
        do {
          const page = (await stack.api("GET", `/v1/endpoints/${id}/attempts?status=skipped&limit=100${cursor ? `&cursor=${cursor}` : ""}`))
            .json;
          skipped += page.items.length;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return skipped >= EVENTS || undefined;
      },
      120_000,
      500,
    );
    healthy = true;
    expect((await stack.api("PATCH", `/v1/endpoints/${id}`, { enabled: true })).status).toBe(200);
    const started = await stack.api("POST", `/v1/endpoints/${id}/recover`, { since });
    expect(started.status).toBe(202);
    const done = await eventually(async () => {
      const got = (await stack.api("GET", `/v1/endpoints/${id}/recoveries/${started.json.id}`)).json;
      return got.status === "completed" ? got : undefined;
    }, 60_000);
    // More than one page of 100 attempt records was read.
    expect(done.scanned).toBeGreaterThan(100);
    expect(done.resent).toBe(EVENTS);
    await eventually(async () => (firstSuccess.get("/recovered")?.length ?? 0) >= EVENTS || undefined, 120_000, 250);
    expect(firstSuccess.get("/recovered")).toEqual(Array.from({ length: EVENTS }, (_, n) => n));
  }, 400_000);

  it("takes a scheduled delivery into its line when it is due, behind events emitted before then", async () => {
    await endpoint("/scheduled");
    const deliverAt = new Date(Date.now() + 8_000).toISOString();
    expect((await stack.api("POST", "/v1/events", { type: "scheduled", payload: { n: 2 }, deliverAt })).status).toBe(202);
    for (const n of [0, 1]) expect((await stack.api("POST", "/v1/events", { type: "scheduled", payload: { n } })).status).toBe(202);
    await eventually(async () => (firstSuccess.get("/scheduled")?.length ?? 0) >= 3 || undefined, 60_000, 100);
    expect(firstSuccess.get("/scheduled")).toEqual([0, 1, 2]);
  }, 120_000);
});
