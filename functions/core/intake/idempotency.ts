import { ApiError } from "../kernel/errors.ts";
import type { EventRecord } from "../kernel/model.ts";
import type { EventStore } from "../kernel/ports.ts";

/*
 * Idempotency of intake: an event named again (by its `id`, or by the `Idempotency-Key` it was
 * sent with) is answered with its first result, never sent twice; the same name with another body
 * (`requestHash`) is a 409 `idempotency_conflict`.
 */

/** One validated event of a call, at its position in the call. */
export interface Candidate {
  index: number;
  record: EventRecord;
  /** Named by the caller (`id` or `Idempotency-Key`), so it may repeat one recorded before. */
  keyed: boolean;
  /** The `Idempotency-Key` that named it, when it has no `id` of its own. */
  idempotencyKey?: string;
}

/** How each candidate of a call stands against the events recorded before and its own batch. */
export interface Repeats {
  /** New events: to be enqueued and recorded. */
  fresh: Candidate[];
  /** Repeats inside the call: they share the result of the candidate named. */
  followers: [number, Candidate][];
  /** Repeats of an event a failed intake left half-sent: what is left is sent now. */
  resumes: [number, EventRecord][];
  /** Repeats of an event recorded and sent before: answered with it, replayed. */
  replays: [number, EventRecord][];
  /** The same event name with another body. */
  conflicts: [number, ApiError][];
}

/** Sorts a call's candidates into new events and repeats; throws when the event store fails. */
export async function answerRepeats(deps: { events: Pick<EventStore, "getMany"> }, candidates: Candidate[]): Promise<Repeats> {
  const existing = await recordedBefore(
    deps,
    candidates.filter((c) => c.keyed),
  );
  const repeats: Repeats = { fresh: [], followers: [], resumes: [], replays: [], conflicts: [] };
  // An event is its tenant's: the same id in two tenants of one batch is two events.
  const firstInBatch = new Map<string, Candidate>();
  const resuming = new Map<string, number>();
  for (const c of candidates) {
    const name = eventName(c.record);
    const leader = firstInBatch.get(name);
    const first = existing.get(name) ?? leader?.record;
    if (!first) {
      firstInBatch.set(name, c);
      repeats.fresh.push(c);
    } else if (first.requestHash !== c.record.requestHash) {
      repeats.conflicts.push([c.index, conflict(c)]);
    } else if (leader) {
      repeats.followers.push([c.index, leader]);
    } else if (first.unsent) {
      // One resume per event, however often the batch repeats it.
      const resumer = resuming.get(name);
      if (resumer !== undefined) repeats.followers.push([c.index, { index: resumer, record: first, keyed: true }]);
      else {
        resuming.set(name, c.index);
        repeats.resumes.push([c.index, first]);
      }
    } else {
      repeats.replays.push([c.index, first]);
    }
  }
  return repeats;
}

/** The 409 for an event named again with a different body, in the name the caller gave it. */
function conflict(c: Candidate): ApiError {
  if (c.idempotencyKey === undefined) {
    return new ApiError("idempotency_conflict", `Event ${c.record.id} was already submitted with a different body`);
  }
  return new ApiError(
    "idempotency_conflict",
    `Idempotency-Key ${JSON.stringify(c.idempotencyKey)} was already used with a different body (its event is ${c.record.id})`,
    [{ path: "idempotency-key", message: "was already used with a different body" }],
  );
}

/** The keyed candidates' events recorded before, each looked up in its own tenant, by `eventName`. */
async function recordedBefore(deps: { events: Pick<EventStore, "getMany"> }, keyed: Candidate[]): Promise<Map<string, EventRecord>> {
  const idsOfTenant = new Map<string, Set<string>>();
  for (const { record } of keyed) idsOfTenant.set(record.tenantId, (idsOfTenant.get(record.tenantId) ?? new Set()).add(record.id));
  const found = await Promise.all([...idsOfTenant].map(([tenantId, ids]) => deps.events.getMany(tenantId, [...ids])));
  return new Map(found.flatMap((events) => [...events.values()].map((e) => [eventName(e), e] as const)));
}

/** What names an event: its tenant and its id. */
function eventName(event: Pick<EventRecord, "tenantId" | "id">): string {
  return JSON.stringify([event.tenantId, event.id]);
}
