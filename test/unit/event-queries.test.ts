import { describe, expect, it } from "vitest";
import { recordDeadLetter } from "../../functions/core/delivery/dead-letters.ts";
import { getEventView, listEventAttempts } from "../../functions/core/events/event-queries.ts";
import type { AttemptRecord, EventRecord } from "../../functions/core/kernel/model.ts";
import { deadLetterDeps, MemoryAttemptLog, MemoryEventStore } from "../support/fakes.ts";

const event: EventRecord = {
  id: "evt_1",
  tenantId: "default",
  type: "a",
  body: '{"x":1}',
  createdAt: "2026-11-01T00:00:00.000Z",
  requestHash: "h",
  endpointIds: ["ep_ok", "ep_retry", "ep_new", "ep_dead"],
  expiresAt: 0,
};

function attempt(endpointId: string, n: number, status: AttemptRecord["status"], extra: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    eventId: "evt_1",
    endpointId,
    tenantId: "default",
    attempt: n,
    trigger: "scheduled",
    status,
    url: "https://x.example",
    at: `2026-11-01T00:00:0${n}.000Z`,
    durationMs: 1,
    expiresAt: 0,
    ...extra,
  };
}

async function fixture() {
  const events = new MemoryEventStore();
  const attempts = new MemoryAttemptLog();
  await events.putNew([event]);
  for (const a of [
    attempt("ep_ok", 1, "failed", { statusCode: 500 }),
    attempt("ep_ok", 2, "succeeded", { statusCode: 200 }),
    attempt("ep_retry", 1, "failed", { statusCode: 502, nextAttemptAt: "2026-11-01T00:05:00.000Z" }),
    attempt("ep_dead", 1, "failed", { statusCode: 500 }),
  ]) {
    await attempts.record(a);
  }
  return { events, attempts };
}

describe("event queries", () => {
  it("shows where each matched delivery stands", async () => {
    const deps = await fixture();
    await recordDeadLetter(deadLetterDeps(deps.attempts), JSON.stringify({ v: 1, ...event, endpointId: "ep_dead", eventId: "evt_1" }));
    const view = await getEventView(deps, "default", "evt_1");
    expect(view.payload).toEqual({ x: 1 });
    expect(view.deliveries).toEqual([
      { endpointId: "ep_ok", status: "succeeded", attempts: 2, lastStatusCode: 200, lastAttemptAt: "2026-11-01T00:00:02.000Z" },
      {
        endpointId: "ep_retry",
        status: "failed",
        attempts: 1,
        lastStatusCode: 502,
        lastAttemptAt: "2026-11-01T00:00:01.000Z",
        nextAttemptAt: "2026-11-01T00:05:00.000Z",
      },
      { endpointId: "ep_new", status: "pending", attempts: 0 },
      {
        endpointId: "ep_dead",
        status: "exhausted",
        attempts: 1,
        lastStatusCode: 500,
        lastError: "dead_lettered",
        lastAttemptAt: "2026-11-01T00:00:01.000Z",
      },
    ]);
  });

  it("does not record a dead letter twice, nor one whose delivery had already ended", async () => {
    const deps = await fixture();
    const dlq = deadLetterDeps(deps.attempts);
    const body = (endpointId: string) => JSON.stringify({ v: 1, ...event, endpointId, eventId: "evt_1" });
    expect(await recordDeadLetter(dlq, body("ep_dead"))).toMatchObject({ status: "exhausted", attempt: 2, trigger: "dead-letter" });
    expect(await recordDeadLetter(dlq, body("ep_dead"))).toBeUndefined();
    expect(await recordDeadLetter(dlq, body("ep_ok"))).toBeUndefined();
  });

  it("pages through an event's attempts newest first without gaps or repeats", async () => {
    const deps = await fixture();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listEventAttempts(deps, "default", "evt_1", 3, cursor);
      seen.push(...page.items.map((a) => `${a.endpointId}#${a.attempt}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["ep_ok#2", "ep_dead#1", "ep_ok#1", "ep_retry#1"]);
  });

  it("pages one at a time through attempts of different chains made at the same instant to the same endpoint", async () => {
    const deps = await fixture();
    // A scheduled retry and two replays' retries, all attempt 2 to ep_ok, recorded in the same millisecond.
    const at = "2026-11-01T00:00:09.000Z";
    for (const chain of [undefined, "m_b", "m_a"])
      await deps.attempts.record(attempt("ep_ok", 2, "failed", { at, ...(chain && { chain }) }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listEventAttempts(deps, "default", "evt_1", 1, cursor);
      seen.push(...page.items.map((a) => `${a.endpointId}#${a.attempt}@${a.at.slice(17, 19)}/${a.chain ?? "scheduled"}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      "ep_ok#2@09/scheduled",
      "ep_ok#2@09/m_a",
      "ep_ok#2@09/m_b",
      "ep_ok#2@02/scheduled",
      "ep_dead#1@01/scheduled",
      "ep_ok#1@01/scheduled",
      "ep_retry#1@01/scheduled",
    ]);
  });

  it("answers 404 for an unknown event and 400 for a forged cursor", async () => {
    const deps = await fixture();
    await expect(getEventView(deps, "default", "evt_nope")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(listEventAttempts(deps, "default", "evt_1", 3, "garbage")).rejects.toMatchObject({ status: 400, code: "invalid_request" });
  });

  it("names the tenant it looked in when an event is not there (the admin key reads default unless told), but not to a portal session", async () => {
    const deps = await fixture();
    // evt_1 is default's: looked for in another tenant, the answer says where it looked and how to look elsewhere.
    await expect(getEventView(deps, "acme", "evt_1")).rejects.toMatchObject({
      status: 404,
      message: "No event evt_1 in tenant acme (name another with tenantId)",
    });
    await expect(getEventView(deps, "acme", "evt_1", ["ep_x"])).rejects.toMatchObject({
      status: 404,
      message: "No event evt_1",
    });
  });
});
