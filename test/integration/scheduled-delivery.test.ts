import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ReceivedRequest, startReceiver } from "../support/receiver.ts";

/*
 * Scheduled delivery on the local stack, with a real receiver on 127.0.0.1. The scheduler's timer
 * runs every 250 ms and moves messages 2 s before their time (SCHEDULE_LEAD_SECONDS), so a message
 * 5 s ahead is held, moved and delayed as in AWS, only faster.
 */
const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-schedule-"));
const stacks: RunningStack[] = [];
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
const arrivals = new Map<ReceivedRequest, number>();

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  await Promise.all(receivers.map((r) => r.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

const ENV = { SCHEDULE_LEAD_SECONDS: "2", LOCAL_SCHEDULE_INTERVAL_MS: "250", MAX_SCHEDULED_PER_TENANT: "3", SCHEDULE_HORIZON_HOURS: "24" };

async function start(persistent = false) {
  const stack = await startStack({ env: ENV, ...(persistent && { dataDir }) });
  stacks.push(stack);
  return stack;
}

async function receiver() {
  const r = await startReceiver((request) => {
    arrivals.set(request, Date.now());
    return { status: 204 };
  });
  receivers.push(r);
  return r;
}

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe("scheduled delivery", () => {
  it("delivers a message held for its deliverAt, and one queued nearer, never before their time", async () => {
    const stack = await start();
    const r = await receiver();
    await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-at" });
    const held = (await stack.api("POST", "/v1/events", { type: "a", payload: { n: "held" }, tenantId: "t-at", deliverAt: inMs(5_000) }))
      .json;
    const near = (await stack.api("POST", "/v1/events", { type: "a", payload: { n: "near" }, tenantId: "t-at", deliverAt: inMs(1_500) }))
      .json;
    const past = (await stack.api("POST", "/v1/events", { type: "a", payload: { n: "past" }, tenantId: "t-at", deliverAt: inMs(-60_000) }))
      .json;
    // Only the held one is listed; the near one went to the queue hidden, the past one is sent now.
    const listed = (await stack.api("GET", "/v1/scheduled?tenantId=t-at")).json.items;
    expect(listed.map((i: { eventId: string }) => i.eventId)).toEqual([held.id]);
    expect(listed[0]).toMatchObject({ state: "waiting", deliverAt: held.deliverAt, endpoints: 1 });
    const all = await eventually(async () => (r.requests.length === 3 ? r.requests : undefined), 30_000);
    for (const event of [held, near]) {
      const request = all.find((q) => q.headers["webhook-id"] === event.messageId) as ReceivedRequest;
      expect(arrivals.get(request)).toBeGreaterThanOrEqual(Date.parse(event.deliverAt));
    }
    expect(all.map((q) => JSON.parse(q.body).n).sort()).toEqual(["held", "near", "past"]);
    const view = (await stack.api("GET", `/v1/events/${held.id}?tenantId=t-at`)).json;
    expect(view.schedule).toMatchObject({ state: "sent" });
    expect(view.deliveries[0].status).toBe("succeeded");
    expect(past.deliverAt).toBeDefined();
  });

  it("cancels a held message: it ends cancelled and is never sent; another tenant's key cannot see or cancel it", async () => {
    const stack = await start();
    const r = await receiver();
    await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-cancel" });
    const event = (await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-cancel", deliverAt: inMs(4_000) })).json;
    const other = (await stack.api("POST", "/v1/api-keys", { tenantId: "t-other", name: "k" })).json;
    const asOther = await stack.api("DELETE", `/v1/scheduled/${event.id}`, undefined, { authorization: `Bearer ${other.key}` });
    expect(asOther.status).toBe(404);
    const cancelled = await stack.api("DELETE", `/v1/scheduled/${event.id}?tenantId=t-cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.state).toBe("cancelled");
    expect((await stack.api("DELETE", `/v1/scheduled/${event.id}?tenantId=t-cancel`)).json.state).toBe("cancelled");
    expect((await stack.api("GET", "/v1/scheduled?tenantId=t-cancel")).json.items).toEqual([]);
    // A control message due after the cancelled one's time shows the scheduler ran past it.
    const control = (await stack.api("POST", "/v1/events", { type: "a", payload: 2, tenantId: "t-cancel", deliverAt: inMs(4_500) })).json;
    await eventually(async () => r.requests.some((q) => q.headers["webhook-id"] === control.messageId), 30_000);
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([control.messageId]);
    expect((await stack.api("GET", `/v1/events/${event.id}?tenantId=t-cancel`)).json.schedule.state).toBe("cancelled");
  });

  it("refuses a deliverAt past the horizon naming it, and a tenant past its cap with 429 too_many_scheduled", async () => {
    const stack = await start();
    const r = await receiver();
    await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-cap" });
    const far = await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-cap", deliverAt: inMs(25 * 3_600_000) });
    expect(far.status).toBe(422);
    expect(far.json.error.details[0].path).toBe("deliverAt");
    for (let i = 0; i < 3; i++) {
      expect((await stack.api("POST", "/v1/events", { type: "a", payload: i, tenantId: "t-cap", deliverAt: inMs(3_600_000) })).status).toBe(
        202,
      );
    }
    const over = await stack.api("POST", "/v1/events", { type: "a", payload: 9, tenantId: "t-cap", deliverAt: inMs(3_600_000) });
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe("too_many_scheduled");
    // The cap is the tenant's own: another tenant still holds messages.
    await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-cap-2" });
    expect((await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-cap-2", deliverAt: inMs(3_600_000) })).status).toBe(
      202,
    );
  });

  it("keeps a held message across a kill -9 and delivers it after the restart, not before its time", async () => {
    const r = await receiver();
    const first = await start(true);
    await first.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-restart" });
    const event = (await first.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-restart", deliverAt: inMs(6_000) })).json;
    await first.stop("SIGKILL");
    const second = await start(true);
    expect((await second.api("GET", "/v1/scheduled?tenantId=t-restart")).json.items.map((i: { eventId: string }) => i.eventId)).toEqual([
      event.id,
    ]);
    const request = await eventually(async () => r.requests.find((q) => q.headers["webhook-id"] === event.messageId), 30_000);
    expect(arrivals.get(request)).toBeGreaterThanOrEqual(Date.parse(event.deliverAt));
    expect(await second.stop("SIGTERM")).toBe(0);
  });
});
