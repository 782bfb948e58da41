import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ScriptedAnswer, startReceiver } from "../support/receiver.ts";
import { seeded } from "../support/seeded.ts";

/*
 * The ordering promise on the local stack (docs/ordering.md): an ordered endpoint whose receiver
 * fails a random 30 % of requests (500s, timeouts that it processes anyway, 429 with Retry-After),
 * with a kill -9 of the whole stack in the middle, receives every event, and its first successful
 * receipt of each is in emission order.
 */

const EVENTS = 500;
const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-ordered-"));
const stacks: RunningStack[] = [];
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  await Promise.all(receivers.map((r) => r.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

const ENV = {
  RETRY_SCHEDULE: "1,2,4",
  DELIVERY_TIMEOUT_MS: "1000",
  SLOW_DOWN_DELAY_SECONDS: "1",
  CIRCUIT_COOLDOWN_SECONDS: "1",
  // A killed worker's messages come back this soon.
  LOCAL_VISIBILITY_TIMEOUT_SECONDS: "5",
};

async function start() {
  const stack = await startStack({ dataDir, env: ENV });
  stacks.push(stack);
  return stack;
}

/**
 * A receiver failing 30 % of requests at random (seeded): half 500, a third 429 with Retry-After,
 * the rest answered 200 after the dispatcher's timeout (processed, but the dispatcher cannot know).
 * An event fails at most 3 times in a row, so a 4-attempt schedule never exhausts it: the test is
 * about order and loss, not about giving up.
 */
function flakyReceiver(seed: number) {
  const random = seeded(seed);
  const failures = new Map<string, number>();
  const firstSuccess: number[] = [];
  const seen = new Set<number>();
  const answer = (seq: number, id: string): ScriptedAnswer => {
    const failed = failures.get(id) ?? 0;
    const roll = random();
    if (failed < 3 && roll < 0.3) {
      failures.set(id, failed + 1);
      if (roll < 0.15) return { status: 500 };
      if (roll < 0.25) return { status: 429, headers: { "retry-after": "1" } };
      // Taken in (it counts as received) but answered after the dispatcher gave up waiting.
      succeeded(seq);
      return { status: 200, delayMs: 1_500 };
    }
    succeeded(seq);
    return { status: 200 };
  };
  const succeeded = (seq: number) => {
    if (seen.has(seq)) return;
    seen.add(seq);
    firstSuccess.push(seq);
  };
  return { answer, firstSuccess };
}

describe("an ordered endpoint", () => {
  it("receives 500 events in emission order, none lost, through random failures and a kill -9", async () => {
    const flaky = flakyReceiver(24);
    const r = await startReceiver((request) =>
      flaky.answer((JSON.parse(request.body) as { seq: number }).seq, request.headers["webhook-id"] as string),
    );
    receivers.push(r);
    const first = await start();
    const created = await first.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-ordered", ordering: "fifo" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ordering: "fifo", lane: "fast" });
    // Batches of 10 one after another (each answered 202 before the next), and single events between.
    for (let seq = 0; seq < EVENTS; ) {
      if (seq % 50 === 0) {
        const one = await first.api("POST", "/v1/events", { type: "o", payload: { seq }, tenantId: "t-ordered" });
        expect(one.status).toBe(202);
        seq += 1;
        continue;
      }
      const size = Math.min(10, EVENTS - seq, 50 - (seq % 50));
      const events = Array.from({ length: size }, (_, i) => ({ type: "o", payload: { seq: seq + i }, tenantId: "t-ordered" }));
      const batch = await first.api("POST", "/v1/events/batch", { events });
      expect(batch.json.items.map((i: { status: number }) => i.status)).toEqual(events.map(() => 202));
      seq += size;
    }
    await eventually(async () => flaky.firstSuccess.length >= EVENTS / 3, 300_000, 200);
    await first.stop("SIGKILL");
    const second = await start();
    await eventually(async () => flaky.firstSuccess.length >= EVENTS, 600_000, 500);
    expect(flaky.firstSuccess).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
    expect(await second.stop("SIGTERM")).toBe(0);
  }, 900_000);
});
