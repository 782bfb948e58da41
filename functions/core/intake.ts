import * as v from "valibot";
import { type Clock, expiresAt } from "./clock.ts";
import { ApiError, DependencyError } from "./errors.ts";
import { eventIdForKey, newId, requestHash } from "./ids.ts";
import { endpointMatches } from "./matching.ts";
import type { DeliveryMessage, Endpoint, EventRecord } from "./model.ts";
import type { DeliveryQueue, EndpointStore, EventStore } from "./ports.ts";
import { describeIssues, EmitEvent, jsonDepth, MAX_PAYLOAD_DEPTH } from "./validation.ts";

export interface IntakeDeps {
  endpoints: EndpointStore;
  events: EventStore;
  queue: DeliveryQueue;
  clock: Clock;
  logRetentionDays: number;
}

/** What the caller learns of an accepted event. */
export interface AcceptedEvent {
  id: string;
  type: string;
  tenantId: string;
  createdAt: string;
  endpoints: number;
}

/** One result per submitted event: accepted, or the error that kept it out. */
export type IntakeResult = { ok: true; event: AcceptedEvent; replayed: boolean } | { ok: false; error: ApiError | DependencyError };

/** SQS's 256 KiB message limit (emulators and older regions) less room for the message's other fields. */
export const MAX_ENCODED_BODY_BYTES = 256 * 1024 - 2048;

interface Candidate {
  index: number;
  record: EventRecord;
  keyed: boolean;
}

/**
 * Accepts events: validates each, answers repeats of an idempotency key with the first result,
 * matches endpoints, enqueues one message per (event, endpoint) and records the event only once SQS
 * has accepted all of its messages. An event whose messages could not all be enqueued fails with a
 * DependencyError and is not recorded, so repeating the call finishes the work.
 */
export async function acceptEvents(
  deps: IntakeDeps,
  inputs: unknown[],
  idempotencyKey?: string,
  confined?: string,
): Promise<IntakeResult[]> {
  const results: IntakeResult[] = new Array(inputs.length);
  const now = deps.clock.now();
  const candidates: Candidate[] = [];
  inputs.forEach((input, index) => {
    const prepared = prepare(deps, input, now, idempotencyKey, confined);
    if (prepared instanceof ApiError) results[index] = { ok: false, error: prepared };
    else candidates.push({ index, ...prepared });
  });

  const { fresh, followers } = await answerRepeats(deps, candidates, results);
  await enqueueAndRecord(deps, fresh, results);
  // A repeat inside the same batch shares the result of its first occurrence.
  for (const [index, first] of followers) {
    const result = results[first.index] as IntakeResult;
    results[index] = result.ok ? { ...result, replayed: true } : result;
  }
  return results;
}

async function enqueueAndRecord(deps: IntakeDeps, fresh: Candidate[], results: IntakeResult[]): Promise<void> {
  if (fresh.length === 0) return;

  let tenants: Map<string, Endpoint[]>;
  try {
    tenants = await endpointsOfTenants(deps, fresh);
  } catch (cause) {
    failAll(results, fresh, cause);
    return;
  }
  const messages: DeliveryMessage[] = [];
  const owner: number[] = [];
  fresh.forEach((c, i) => {
    const matched = (tenants.get(c.record.tenantId) ?? []).filter((e) => endpointMatches(e, c.record.type));
    c.record.endpointIds = matched.map((e) => e.id);
    for (const endpoint of matched) {
      const { id, tenantId, type, createdAt, body } = c.record;
      messages.push({ v: 1, eventId: id, endpointId: endpoint.id, tenantId, type, createdAt, body });
      owner.push(i);
    }
  });

  let failedMessages: number[];
  try {
    failedMessages = await deps.queue.send(messages);
  } catch (cause) {
    failAll(results, fresh, cause);
    return;
  }
  const failedEvents = new Set(failedMessages.map((m) => owner[m]));
  const enqueued = fresh.filter((_, i) => !failedEvents.has(i));
  failAll(
    results,
    fresh.filter((_, i) => failedEvents.has(i)),
    new Error("SQS refused some messages"),
  );

  try {
    await deps.events.putNew(enqueued.map((c) => c.record));
  } catch (cause) {
    failAll(results, enqueued, cause);
    return;
  }
  for (const c of enqueued) results[c.index] = { ok: true, event: accepted(c.record), replayed: false };
}

/** Validates one submitted event and builds its record, or says why it cannot be accepted. */
function prepare(
  deps: IntakeDeps,
  input: unknown,
  now: Date,
  idempotencyKey: string | undefined,
  confined: string | undefined,
): { record: EventRecord; keyed: boolean } | ApiError {
  const invalid = (path: string, message: string) => new ApiError("validation_failed", "The event is not valid", [{ path, message }]);
  const parsed = v.safeParse(EmitEvent, input);
  if (!parsed.success) return new ApiError("validation_failed", "The event is not valid", describeIssues(parsed.issues));
  const event = parsed.output;
  if (event.payload === undefined) return invalid("payload", "is required");
  if (jsonDepth(event.payload) > MAX_PAYLOAD_DEPTH) return invalid("payload", `must nest at most ${MAX_PAYLOAD_DEPTH} levels deep`);
  if (confined !== undefined && event.tenantId !== undefined && event.tenantId !== confined) {
    return new ApiError("forbidden", "This key emits only into its own tenant", { tenantId: confined });
  }
  const tenantId = confined ?? event.tenantId ?? "default";
  const body = JSON.stringify(event.payload);
  // The body travels JSON-escaped inside a queue message, whose size SQS limits.
  if (Buffer.byteLength(JSON.stringify(body)) > MAX_ENCODED_BODY_BYTES) {
    return new ApiError("payload_too_large", `The payload is over ${MAX_ENCODED_BODY_BYTES} bytes once encoded for the queue`);
  }
  const key = event.id ?? idempotencyKey;
  const id = event.id ?? (key ? eventIdForKey(tenantId, key) : newId("evt", now.getTime()));
  const record: EventRecord = {
    id,
    tenantId,
    type: event.type,
    body,
    createdAt: now.toISOString(),
    requestHash: requestHash(tenantId, event.type, body),
    endpointIds: [],
    expiresAt: expiresAt(now, deps.logRetentionDays),
  };
  return { record, keyed: key !== undefined };
}

/** Fills in the results of events recorded before; returns the new candidates and the in-batch repeats of them. */
async function answerRepeats(
  deps: IntakeDeps,
  candidates: Candidate[],
  results: IntakeResult[],
): Promise<{ fresh: Candidate[]; followers: [number, Candidate][] }> {
  const keyed = candidates.filter((c) => c.keyed).map((c) => c.record.id);
  let existing = new Map<string, EventRecord>();
  if (keyed.length > 0) {
    try {
      existing = await deps.events.getMany([...new Set(keyed)]);
    } catch (cause) {
      failAll(results, candidates, cause);
      return { fresh: [], followers: [] };
    }
  }
  const fresh: Candidate[] = [];
  const followers: [number, Candidate][] = [];
  const firstInBatch = new Map<string, Candidate>();
  for (const c of candidates) {
    const first = existing.get(c.record.id) ?? firstInBatch.get(c.record.id)?.record;
    const leader = firstInBatch.get(c.record.id);
    if (!first) {
      firstInBatch.set(c.record.id, c);
      fresh.push(c);
    } else if (first.requestHash !== c.record.requestHash) {
      results[c.index] = {
        ok: false,
        error: new ApiError("idempotency_conflict", `Event ${c.record.id} was already submitted with a different body`),
      };
    } else if (leader) {
      followers.push([c.index, leader]);
    } else {
      results[c.index] = { ok: true, event: accepted(first), replayed: true };
    }
  }
  return { fresh, followers };
}

async function endpointsOfTenants(deps: IntakeDeps, candidates: Candidate[]): Promise<Map<string, Endpoint[]>> {
  const tenantIds = [...new Set(candidates.map((c) => c.record.tenantId))];
  const lists = await Promise.all(tenantIds.map((t) => deps.endpoints.allOfTenant(t)));
  return new Map(tenantIds.map((t, i) => [t, lists[i] ?? []]));
}

function failAll(results: IntakeResult[], candidates: Candidate[], cause: unknown): IntakeResult[] {
  const error = cause instanceof DependencyError ? cause : new DependencyError("queue", "Could not accept the event", { cause });
  for (const c of candidates) results[c.index] = { ok: false, error };
  return results;
}

function accepted(record: EventRecord): AcceptedEvent {
  const { id, type, tenantId, createdAt, endpointIds } = record;
  return { id, type, tenantId, createdAt, endpoints: endpointIds.length };
}
