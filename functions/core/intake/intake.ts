import { inSlowLane, receives, type Subscription, type TenantSubscriptions } from "../endpoints/subscriptions.ts";
import { checkPayloads, type PayloadCheckDeps } from "../event-types/payload-check.ts";
import { checkPayloadLimits, MAX_ENCODED_BODY_BYTES } from "../event-types/payload-limits.ts";
import { type Clock, expiresAt } from "../kernel/clock.ts";
import { ApiError, DependencyError, invalidField, invalidFields } from "../kernel/errors.ts";
import { type EventSummary, eventSummary } from "../kernel/event-summary.ts";
import { eventIdForKey, messageIdFor, newId, requestHash } from "../kernel/ids.ts";
import type { EventRecord } from "../kernel/model.ts";
import type { EventStore } from "../kernel/ports.ts";
import { liveTenants, type TenantStatusReader } from "../lifecycle/retention.ts";
import { checked } from "../requests/field-problems.ts";
import { EmitEvent } from "../requests/validation.ts";
import { scheduledItem, tooManyScheduled } from "../scheduling/hold.ts";
import { type SchedulingDeps, timingOf } from "../scheduling/schedule.ts";
import { deletedError } from "../tenants/tenant-record.ts";
import { type EnqueueDeps, sendMessages } from "./enqueue.ts";
import { answerRepeats, type Candidate, type Repeats } from "./idempotency.ts";

export interface IntakeDeps extends PayloadCheckDeps, EnqueueDeps {
  subscriptions: TenantSubscriptions;
  events: EventStore;
  clock: Clock;
  logRetentionDays: number;
  /** Holds events whose `deliverAt` is further ahead than the scheduler's lead. */
  scheduling: SchedulingDeps;
  /** Each tenant's retention and tombstone, read once per tenant per cache bound. */
  tenantStatus: TenantStatusReader;
}

/** What the caller learns of an accepted event. */
/** An accepted event as intake answers it. */
export type AcceptedEvent = EventSummary;

/** One result per submitted event: accepted, or the error that kept it out. */
export type IntakeResult = { ok: true; event: AcceptedEvent; replayed: boolean } | { ok: false; error: ApiError | DependencyError };

interface Prepared extends Candidate {
  payload: unknown;
}

/**
 * Accepts events: validates each, answers repeats of an idempotency key with the first result,
 * matches endpoints, enqueues one message per (event, endpoint), then records the event. An event
 * whose messages SQS did not all accept fails with a DependencyError (503) but is recorded with what
 * is left to send, so that a repeat of the call, or the sweeper, sends only that.
 */
export async function acceptEvents(
  deps: IntakeDeps,
  inputs: unknown[],
  idempotencyKey?: string,
  confined?: string,
): Promise<IntakeResult[]> {
  const results: IntakeResult[] = new Array(inputs.length);
  const now = deps.clock.now();
  const parsed: Prepared[] = [];
  inputs.forEach((input, index) => {
    const p = prepare(deps, input, now, idempotencyKey, confined);
    if (p instanceof ApiError) results[index] = { ok: false, error: p };
    else parsed.push({ index, ...p });
  });
  // A deleted tenant takes nothing; the others' events expire after their tenant's retention.
  const statuses = await liveTenants(
    deps.tenantStatus,
    parsed.map((p) => p.record.tenantId),
  );
  const prepared: Prepared[] = [];
  for (const p of parsed) {
    const status = statuses.get(p.record.tenantId);
    if (!status) results[p.index] = { ok: false, error: deletedError(p.record.tenantId) };
    else {
      // A scheduled event is kept its tenant's retention past its deliverAt, as its deliveries start then.
      const { deliverAt } = p.record;
      const from = deliverAt !== undefined && Date.parse(deliverAt) > now.getTime() ? new Date(deliverAt) : now;
      prepared.push({ ...p, record: { ...p.record, expiresAt: expiresAt(from, status.retentionDays) } });
    }
  }
  // Each event is held to its catalogued type before anything is enqueued or recorded.
  const refusals = await checkPayloads(
    deps,
    prepared.map((p) => ({ type: p.record.type, payload: p.payload })),
  );
  const candidates: Candidate[] = [];
  prepared.forEach(({ payload: _checked, ...c }, i) => {
    const refusal = refusals[i];
    if (refusal) results[c.index] = { ok: false, error: refusal };
    else candidates.push(c);
  });

  const { fresh, followers, resumes } = await sortRepeats(deps, candidates, results);
  await Promise.all([enqueueAndRecord(deps, fresh, results), finishSending(deps, resumes, results)]);
  // A repeat inside the same batch shares the result of its first occurrence.
  for (const [index, first] of followers) {
    const result = results[first.index] as IntakeResult;
    results[index] = result.ok ? { ...result, replayed: true } : result;
  }
  return results;
}

/** Answers the repeats among the candidates (idempotency.ts) and returns what is left to do. */
async function sortRepeats(
  deps: IntakeDeps,
  candidates: Candidate[],
  results: IntakeResult[],
): Promise<Pick<Repeats, "fresh" | "followers" | "resumes">> {
  let repeats: Repeats;
  try {
    repeats = await answerRepeats(deps, candidates);
  } catch (cause) {
    failAll(results, candidates, cause);
    return { fresh: [], followers: [], resumes: [] };
  }
  for (const [index, error] of repeats.conflicts) results[index] = { ok: false, error };
  for (const [index, first] of repeats.replays) results[index] = { ok: true, event: eventSummary(first), replayed: true };
  return repeats;
}

async function enqueueAndRecord(deps: IntakeDeps, fresh: Candidate[], results: IntakeResult[]): Promise<void> {
  if (fresh.length === 0) return;

  let tenants: Map<string, Subscription[]>;
  try {
    tenants = await endpointsOfTenants(deps, fresh);
  } catch (cause) {
    failAll(results, fresh, cause);
    return;
  }
  const slow = new Set<string>();
  fresh.forEach((c) => {
    const receivers = (tenants.get(c.record.tenantId) ?? []).filter((e) => receives(e, c.record.type));
    c.record.endpointIds = receivers.map((e) => e.id);
    for (const e of receivers) if (inSlowLane(e)) slow.add(e.id);
  });
  const nowMs = deps.clock.now().getTime();
  const isHeld = (c: Candidate) =>
    c.record.deliverAt !== undefined &&
    c.record.endpointIds.length > 0 &&
    timingOf(Date.parse(c.record.deliverAt), nowMs, deps.scheduling.leadSeconds).kind === "held";
  const recorded = [...fresh.filter((c) => !isHeld(c)), ...(await holdAll(deps, fresh.filter(isHeld), results))];
  const sending = recorded.filter((c) => !isHeld(c));
  const sent = await sendMessages(
    deps,
    sending.map((c) => [c.record, c.record.endpointIds]),
    slow,
  );
  // An event SQS did not fully accept is still recorded, with what is left to send: a repeat of
  // the call, or the sweeper, sends just that. A message SQS refused for good is not left to send:
  // its delivery ends unsendable (see sendMessages), like one to an endpoint that answered 410.
  sending.forEach((c, i) => {
    const unsent = sent[i]?.unsent ?? [];
    if (unsent.length > 0) c.record.unsent = unsent;
  });
  try {
    await deps.events.putNew(recorded.map((c) => c.record));
  } catch (cause) {
    failAll(results, recorded, cause);
    return;
  }
  for (const c of recorded) {
    results[c.index] = c.record.unsent
      ? { ok: false, error: new DependencyError("sqs", "SQS did not accept every message; repeat the call to finish") }
      : { ok: true, event: eventSummary(c.record), replayed: false };
  }
}

/**
 * Holds each event for the scheduler (before it is recorded: a crash between leaves a held item
 * without an event, which the scheduler drops, never an event nobody will send); answers the ones
 * held, or found held by an earlier try of the same call. A tenant at MAX_SCHEDULED_PER_TENANT gets
 * 429 too_many_scheduled for the event, which is then not recorded.
 */
async function holdAll(deps: IntakeDeps, held: Candidate[], results: IntakeResult[]): Promise<Candidate[]> {
  const { store, maxPerTenant } = deps.scheduling;
  const kept: Candidate[] = [];
  await Promise.all(
    held.map(async (c) => {
      try {
        const outcome = await store.hold(scheduledItem(c.record), maxPerTenant);
        if (outcome !== "full") kept.push(c);
        else results[c.index] = { ok: false, error: tooManyScheduled(c.record.tenantId, maxPerTenant) };
      } catch (cause) {
        results[c.index] = { ok: false, error: asDependencyError(cause) };
      }
    }),
  );
  return kept;
}

/** Finishes events a failed intake left half-sent: sends what is left, then marks them sent. */
async function finishSending(deps: IntakeDeps, resumes: [number, EventRecord][], results: IntakeResult[]): Promise<void> {
  await Promise.all(
    resumes.map(async ([index, record]) => {
      try {
        await sendRest(deps, record);
        results[index] = { ok: true, event: eventSummary(record), replayed: true };
      } catch (cause) {
        results[index] = { ok: false, error: asDependencyError(cause) };
      }
    }),
  );
}

/**
 * Sends an event's unsent messages and marks it sent; throws a DependencyError when SQS or DynamoDB
 * fails for now. Messages SQS refuses for good end unsendable and count as done, so an event is never
 * left for the sweeper to retry for ever. Returns the endpoints whose delivery ended unsendable.
 */
export async function sendRest(deps: Pick<IntakeDeps, "queue" | "events" | "clock">, record: EventRecord): Promise<string[]> {
  const [sent] = await sendMessages(deps, [[record, record.unsent ?? []]]);
  if ((sent?.unsent ?? []).length > 0) throw new DependencyError("sqs", "SQS did not accept every message");
  await deps.events.markSent(record.tenantId, record.id);
  return sent?.unsendable ?? [];
}

/** Validates one submitted event and builds its record, or says why it cannot be accepted. */
function prepare(
  deps: IntakeDeps,
  input: unknown,
  now: Date,
  idempotencyKey: string | undefined,
  confined: string | undefined,
): { record: EventRecord; keyed: boolean; idempotencyKey?: string; payload: unknown } | ApiError {
  const invalid = (path: string, message: string) => invalidFields([{ path, message }]);
  // An event of a batch is worded on its own: `type`, not `events.3.type` (its item says which).
  const parsed = checked(EmitEvent, input, "event");
  if (!parsed.ok) return invalidFields(parsed.problems);
  const event = parsed.output;
  if (event.payload === undefined) return invalid("payload", "is required");
  const limits = checkPayloadLimits(event.payload);
  if ("problem" in limits && limits.problem.limit === "depth") return invalid("payload", limits.problem.message);
  if (confined !== undefined && event.tenantId !== undefined && event.tenantId !== confined) {
    return invalidField("tenantId", `must be this key's own tenant, ${confined}, or left out`, "forbidden", { tenantId: confined });
  }
  if ("problem" in limits) {
    return invalidField("payload", `must be at most ${MAX_ENCODED_BODY_BYTES} bytes once encoded for the queue`, "payload_too_large", {
      limit: MAX_ENCODED_BODY_BYTES,
    });
  }
  const tenantId = confined ?? event.tenantId ?? "default";
  const { body } = limits;
  const { deliverAt } = event;
  const horizonMs = deps.scheduling.horizonHours * 3_600_000;
  if (deliverAt !== undefined && Date.parse(deliverAt) > now.getTime() + horizonMs) {
    return invalidFields([
      {
        path: "deliverAt",
        message: `must be at most ${deps.scheduling.horizonHours} hours ahead (SCHEDULE_HORIZON_HOURS), not after ${new Date(now.getTime() + horizonMs).toISOString()}`,
        maxHours: deps.scheduling.horizonHours,
      },
    ]);
  }
  const key = event.id ?? idempotencyKey;
  const id = event.id ?? (key ? eventIdForKey(tenantId, key) : newId("evt", now.getTime()));
  const record: EventRecord = {
    id,
    tenantId,
    messageId: messageIdFor(tenantId, id),
    type: event.type,
    body,
    createdAt: now.toISOString(),
    // A repeat that asks for another time is a conflicting reuse of the key, not a replay.
    requestHash: deliverAt === undefined ? requestHash(tenantId, event.type, body) : requestHash(tenantId, event.type, body, deliverAt),
    endpointIds: [],
    ...(deliverAt !== undefined && { deliverAt }),
    // A held event is kept for the retention counted from its own time, so its log outlives its delivery.
    expiresAt: expiresAt(
      deliverAt !== undefined && Date.parse(deliverAt) > now.getTime() ? new Date(deliverAt) : now,
      deps.logRetentionDays,
    ),
  };
  return {
    record,
    keyed: key !== undefined,
    ...(event.id === undefined && idempotencyKey !== undefined && { idempotencyKey }),
    payload: event.payload,
  };
}

async function endpointsOfTenants(deps: IntakeDeps, candidates: Candidate[]): Promise<Map<string, Subscription[]>> {
  const tenantIds = [...new Set(candidates.map((c) => c.record.tenantId))];
  const lists = await Promise.all(tenantIds.map((t) => deps.subscriptions.subscriptionsOf(t)));
  return new Map(tenantIds.map((t, i) => [t, lists[i] ?? []]));
}

function asDependencyError(cause: unknown): DependencyError {
  return cause instanceof DependencyError ? cause : new DependencyError("queue", "Could not accept the event", { cause });
}

function failAll(results: IntakeResult[], candidates: Candidate[], cause: unknown): IntakeResult[] {
  const error = asDependencyError(cause);
  for (const c of candidates) results[c.index] = { ok: false, error };
  return results;
}
