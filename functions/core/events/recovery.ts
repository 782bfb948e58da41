import { createHash } from "node:crypto";
import { canSee } from "../access/principal.ts";
import { type Clock, expiresAt } from "../kernel/clock.ts";
import { ApiError, DependencyError, invalidFields } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import type {
  AttemptRecord,
  AttemptSummary,
  DeliveryMessage,
  Endpoint,
  EventRecord,
  RecoveryRecord,
  StashedDelivery,
} from "../kernel/model.ts";
import type { AttemptLog, DeliveryQueue, EndpointStore, EventStore, RecoveryStore, Requeue } from "../kernel/ports.ts";
import { deliveryMessage, type RecoveryTask, recoveryTask, serializeMessage } from "../kernel/queue-message.ts";
import type { TenantStatusReader } from "../lifecycle/retention.ts";
import { byEmission, emissionKey } from "../ordering/emission-order.ts";
import { isOrdered } from "../ordering/ordering-rules.ts";
import { latestRecord } from "./event-queries.ts";

/** What the worker needs to work through a recovery. */
export interface RecoveryStepDeps {
  attempts: Pick<AttemptLog, "byEndpointBetween" | "ofDelivery">;
  events: Pick<EventStore, "getMany">;
  queue: DeliveryQueue;
  requeue: Requeue;
  recoveries: Pick<RecoveryStore, "get" | "advance" | "stash" | "stashed">;
  clock: Clock;
  /** A deleted tenant's recovery stops: nothing of it is written again (docs/lifecycle.md). */
  tenantStatus: TenantStatusReader;
}

/** What the API needs to start and show recoveries. */
export interface RecoveryDeps {
  endpoints: Pick<EndpointStore, "get">;
  recoveries: Pick<RecoveryStore, "put" | "get" | "fail">;
  requeue: Requeue;
  clock: Clock;
  /** The tenant's retention: the recovery record expires with the attempts it resends. */
  tenantStatus: TenantStatusReader;
}

/** Attempt records looked at per step: one step is one queue message, well inside the worker's timeout. */
const PAGE = 100;
const RECOVERABLE = new Set(["failed", "exhausted", "skipped"]);

/**
 * POST /v1/endpoints/{id}/recover: records a running recovery of the endpoint's failed, exhausted and
 * skipped deliveries whose latest attempt is in [since, until), and queues its first step. The worker
 * works through the window page by page (functions/core/events/recovery.ts `runRecoveryStep`).
 */
export async function startRecovery(
  deps: RecoveryDeps,
  endpointId: string,
  window: { since: string; until?: string },
  confined?: string,
): Promise<ReturnType<typeof recoveryView>> {
  const endpoint = await visibleEndpoint(deps.endpoints, endpointId, confined);
  if (!endpoint.enabled) throw new ApiError("endpoint_disabled", `Endpoint ${endpointId} is disabled: enable it before recovering`);
  const { retentionDays } = await deps.tenantStatus.statusOf(endpoint.tenantId);
  const now = deps.clock.now();
  const since = new Date(window.since).toISOString();
  const until = new Date(window.until ?? now).toISOString();
  if (since >= until) throw invalidFields([{ path: "since", message: "must be before until" }]);
  const recovery: RecoveryRecord = {
    id: newId("rcv", now.getTime()),
    endpointId,
    tenantId: endpoint.tenantId,
    since,
    until,
    status: "running",
    steps: 0,
    resent: 0,
    scanned: 0,
    ...(isOrdered(endpoint) && { ordered: true }),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: expiresAt(now, retentionDays),
  };
  await deps.recoveries.put(recovery);
  try {
    await deps.requeue.later(serializeMessage(recoveryTask(endpointId, recovery.id, 0)), 0);
  } catch (error) {
    // Nothing will drive it: say so on the record rather than leave it "running" for ever.
    await deps.recoveries.fail(endpointId, recovery.id, now.toISOString(), "its first step could not be queued").catch(() => undefined);
    throw error;
  }
  return recoveryView(recovery);
}

/** A recovery as the API shows it: without its cursor, TTL and an ordered recovery's bookkeeping. */
export function recoveryView(recovery: RecoveryRecord) {
  const { cursor: _cursor, expiresAt: _expires, ordered: _ordered, phase: _phase, ...view } = recovery;
  return view;
}

/** GET /v1/endpoints/{id}/recoveries/{recoveryId}: where a recovery stands. */
export async function getRecovery(deps: RecoveryDeps, endpointId: string, id: string, confined?: string) {
  await visibleEndpoint(deps.endpoints, endpointId, confined);
  const recovery = await deps.recoveries.get(endpointId, id);
  if (!recovery) throw new ApiError("not_found", `No recovery ${id}`);
  return recoveryView(recovery);
}

/**
 * One step of a recovery: reads a page of the endpoint's attempts in the window, resends each
 * delivery whose latest record is that page's failed, exhausted or skipped record (so each delivery
 * is resent once, whatever page its older records are on), then queues the next step or completes.
 * A recovery of an ordered endpoint resends nothing while it reads: it keeps each chosen delivery
 * under its emission key, and once the window is read, its further steps resend what it kept in
 * that order, a page at a time, so the line takes the whole recovery in emission order.
 * Steps are numbered: a redelivered step that was applied already is not applied again (its counts
 * would double), but makes sure the step after it was queued. Two copies of a step running at once
 * resend into the same manual chains, whose log turns the second send into a no-op.
 */
export async function runRecoveryStep(deps: RecoveryStepDeps, task: RecoveryTask): Promise<void> {
  const recovery = await deps.recoveries.get(task.endpointId, task.recoveryId);
  if (!recovery || recovery.status !== "running") return;
  if ((await deps.tenantStatus.statusOf(recovery.tenantId)).deleted) return;
  const step = task.step ?? 0;
  const applied = recovery.steps ?? 0;
  if (step < applied) {
    // Still running after it: the step after it is due (its cursor is absent on an ordered recovery's first resend).
    if (step === applied - 1) await queueStep(deps, task, applied, recovery.cursor);
    return;
  }
  const done = recovery.phase === "send" ? await resendStashed(deps, recovery, task.cursor) : await readPage(deps, recovery, task.cursor);
  const now = deps.clock.now().toISOString();
  const { cursor: _done, ...rest } = recovery;
  // An ordered recovery that has read its window goes on to resend, from the start of what it kept.
  const toSend = done.nextCursor === undefined && recovery.ordered === true && recovery.phase !== "send";
  const next: RecoveryRecord = {
    ...rest,
    steps: applied + 1,
    resent: recovery.resent + done.resent,
    scanned: recovery.scanned + done.scanned,
    updatedAt: now,
    ...(toSend
      ? { phase: "send" as const }
      : done.nextCursor === undefined
        ? { status: "completed" as const, completedAt: now }
        : { cursor: done.nextCursor }),
  };
  if (!(await deps.recoveries.advance(next, applied))) return; // another copy of this step got there first
  if (next.status === "running") await queueStep(deps, task, next.steps, next.cursor);
}

/** What one step did, and where the next one starts (none: this phase is over). */
type StepDone = { resent: number; scanned: number; nextCursor: string | undefined };

/** A page of the window: its chosen deliveries resent oldest first, or, on an ordered recovery, kept for later. */
async function readPage(deps: RecoveryStepDeps, recovery: RecoveryRecord, cursor: string | undefined): Promise<StepDone> {
  const page = await deps.attempts.byEndpointBetween(recovery.endpointId, recovery.since, recovery.until, PAGE, cursor);
  const chosen: { latest: AttemptRecord; history: AttemptRecord[] }[] = [];
  for (const candidate of newestPerEvent(page.items.filter((a) => RECOVERABLE.has(a.status)))) {
    const history = await deps.attempts.ofDelivery(candidate.eventId, recovery.endpointId);
    const latest = latestRecord(history);
    if (latest && RECOVERABLE.has(latest.status) && sameRecord(latest, candidate)) chosen.push({ latest, history });
  }
  const events = await sendable(
    deps,
    recovery,
    chosen.map((c) => c.latest.eventId),
  );
  const kept: (StashedDelivery & { event: EventRecord })[] = [];
  for (const { latest, history } of chosen) {
    const event = events.get(latest.eventId);
    if (event) kept.push({ key: emissionKey(event, history), eventId: event.id, event });
  }
  kept.sort(byEmission);
  if (recovery.ordered) {
    if (kept.length > 0)
      await deps.recoveries.stash(
        recovery,
        kept.map(({ key, eventId }) => ({ key, eventId })),
      );
    return { resent: 0, scanned: page.items.length, nextCursor: page.nextCursor };
  }
  return {
    resent: await resend(
      deps,
      recovery,
      kept.map((k) => k.event),
    ),
    scanned: page.items.length,
    nextCursor: page.nextCursor,
  };
}

/** A page of what an ordered recovery kept, resent in emission order. */
async function resendStashed(deps: RecoveryStepDeps, recovery: RecoveryRecord, cursor: string | undefined): Promise<StepDone> {
  const page = await deps.recoveries.stashed(recovery.endpointId, recovery.id, PAGE, cursor);
  const events = await sendable(
    deps,
    recovery,
    page.items.map((s) => s.eventId),
  );
  const inOrder = page.items.flatMap((s) => events.get(s.eventId) ?? []);
  return { resent: await resend(deps, recovery, inOrder), scanned: 0, nextCursor: page.nextCursor };
}

/** The events that can still be resent: in the log (the endpoint's attempts are its tenant's), payload not expunged. */
async function sendable(deps: RecoveryStepDeps, recovery: RecoveryRecord, ids: string[]): Promise<Map<string, EventRecord>> {
  if (ids.length === 0) return new Map();
  const found = await deps.events.getMany(recovery.tenantId, [...new Set(ids)]);
  return new Map([...found].filter(([, event]) => event.expungedAt === undefined));
}

/** Sends the events again, in the order given, each into its recovery chain; answers how many the queue took. */
async function resend(deps: RecoveryStepDeps, recovery: RecoveryRecord, events: EventRecord[]): Promise<number> {
  const messages: DeliveryMessage[] = events.map((event) =>
    deliveryMessage(event, recovery.endpointId, { chain: chainFor(recovery.id, event.id), recovers: true }),
  );
  const unsent = messages.length > 0 ? await deps.queue.send(messages) : [];
  // A message the queue refuses for good (an unsendable delivery) is not resent, and holds up no step.
  if (unsent.some((u) => !u.permanent)) throw new DependencyError("sqs", "SQS did not accept every recovered delivery");
  return messages.length - unsent.length;
}

async function queueStep(deps: RecoveryStepDeps, task: RecoveryTask, step: number, cursor: string | undefined): Promise<void> {
  await deps.requeue.later(serializeMessage(recoveryTask(task.endpointId, task.recoveryId, step, cursor)), 0);
}

/** The manual chain a recovery resends one event into: the same on a repeated step. */
export function chainFor(recoveryId: string, eventId: string): string {
  return `r${createHash("sha256").update(`${recoveryId}\u0000${eventId}`).digest("hex").slice(0, 24)}`;
}

async function visibleEndpoint(store: Pick<EndpointStore, "get">, id: string, confined: string | undefined): Promise<Endpoint> {
  const endpoint = await store.get(id);
  if (!endpoint || !canSee(confined, endpoint.tenantId)) throw new ApiError("not_found", `No endpoint ${id}`);
  return endpoint;
}

/** The first (newest) record of each event in a newest-first page. */
function newestPerEvent(records: AttemptSummary[]): AttemptSummary[] {
  const firsts = new Map<string, AttemptSummary>();
  for (const a of records) if (!firsts.has(a.eventId)) firsts.set(a.eventId, a);
  return [...firsts.values()];
}

function sameRecord(a: AttemptSummary, b: AttemptSummary): boolean {
  return a.at === b.at && a.attempt === b.attempt && a.chain === b.chain && a.trigger === b.trigger;
}
