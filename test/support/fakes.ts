import { JsonSchemaCompiler } from "../../functions/adapters/schemas/json-schemas.ts";
import type { EndpointHealthStore, HttpSender, RateCounter, RetryControl, SlowWatch } from "../../functions/core/delivery/deps.ts";
import type { Subscription, TenantSubscriptions } from "../../functions/core/endpoints/subscriptions.ts";
import type { EventTypeRecord, EventTypeStore } from "../../functions/core/event-types/event-types.ts";
import type { OperationalEvents, OperationalType } from "../../functions/core/intake/operational.ts";
import type { Clock } from "../../functions/core/kernel/clock.ts";
import { DependencyError } from "../../functions/core/kernel/errors.ts";
import type {
  ApiKeyRecord,
  AttemptRecord,
  AttemptStatus,
  CircuitState,
  DeliveryMessage,
  DisabledReason,
  Endpoint,
  EventRecord,
  Lane,
  RecoveryRecord,
  StashedDelivery,
} from "../../functions/core/kernel/model.ts";
import type {
  ApiKeyStore,
  AttemptLog,
  DeliveryQueue,
  EndpointStore,
  EventListFilter,
  EventStore,
  Page,
  RecoveryStore,
  Requeue,
  Unsent,
} from "../../functions/core/kernel/ports.ts";
import { queueText } from "../../functions/core/kernel/queue-text.ts";
import { TenantStatusCache } from "../../functions/core/lifecycle/retention.ts";
import type { SendResult } from "../../functions/core/policy/outcome.ts";
import { MemoryScheduleStore } from "./memory-schedule.ts";
import { MemoryTenantStore } from "./memory-tenants.ts";

/** A clock that only moves when told to, with scripted randomness. */
export class FakeClock implements Clock {
  time: number;
  randomValue = 0.5;
  constructor(start = Date.parse("2026-11-01T00:00:00Z")) {
    this.time = start;
  }
  now = (): Date => new Date(this.time);
  random = (): number => this.randomValue;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Makes every call of the wrapped port fail while `down` is true. */
export class Outage {
  down = false;
  check(what: string): void {
    if (this.down) throw new DependencyError(what, `${what} is down`);
  }
}

function page<T>(items: T[], limit: number, cursor?: string): Page<T> {
  const start = cursor ? Number(cursor) : 0;
  const slice = items.slice(start, start + limit);
  return { items: slice, nextCursor: start + limit < items.length ? String(start + limit) : undefined };
}

export class MemoryEndpointStore implements EndpointStore, TenantSubscriptions {
  readonly items = new Map<string, Endpoint>();
  readonly outage = new Outage();
  async put(endpoint: Endpoint) {
    this.outage.check("dynamodb");
    this.items.set(endpoint.id, structuredClone(endpoint));
  }
  async create(endpoint: Endpoint, maxPerTenant: number) {
    this.outage.check("dynamodb");
    if ([...this.items.values()].filter((e) => e.tenantId === endpoint.tenantId).length >= maxPerTenant) return false;
    this.items.set(endpoint.id, structuredClone(endpoint));
    return true;
  }
  async replace(endpoint: Endpoint) {
    this.outage.check("dynamodb");
    const current = this.items.get(endpoint.id);
    if (!current || (current.revision ?? 0) !== (endpoint.revision ?? 0)) return false;
    this.items.set(endpoint.id, { ...structuredClone(endpoint), revision: (endpoint.revision ?? 0) + 1 });
    return true;
  }
  async get(id: string) {
    this.outage.check("dynamodb");
    const found = this.items.get(id);
    return found && structuredClone(found);
  }
  async delete(id: string) {
    this.outage.check("dynamodb");
    return this.items.delete(id);
  }
  /** By creation time, then id, as the table's index sorts them. */
  async listByTenant(tenantId: string, limit: number, cursor?: string) {
    const position = (e: Endpoint) => `${e.createdAt}#${e.id}`;
    return page(
      this.ofTenant(tenantId).sort((a, b) => (position(a) < position(b) ? -1 : 1)),
      limit,
      cursor,
    );
  }
  async subscriptionsOf(tenantId: string): Promise<Subscription[]> {
    return this.ofTenant(tenantId).map(({ id, enabled, eventTypes, disabledReason, lane }) => ({
      id,
      enabled,
      ...(eventTypes !== undefined && { eventTypes }),
      ...(disabledReason !== undefined && { disabledReason }),
      ...(lane !== undefined && { lane }),
    }));
  }
  private ofTenant(tenantId: string): Endpoint[] {
    this.outage.check("dynamodb");
    return [...this.items.values()].filter((e) => e.tenantId === tenantId).map((e) => structuredClone(e));
  }
}

/** Events by tenant and id, as the table keys them: the same id in two tenants is two events. */
export class MemoryEventStore implements EventStore {
  /** Keyed by `tenantId/id` (a tenant id has no "/"). */
  readonly items = new Map<string, EventRecord>();
  readonly outage = new Outage();
  /** The stored event of that tenant and id, for assertions. */
  of(tenantId: string, id: string) {
    return this.items.get(`${tenantId}/${id}`);
  }
  async get(tenantId: string, id: string) {
    this.outage.check("dynamodb");
    return this.of(tenantId, id);
  }
  async getMany(tenantId: string, ids: string[]) {
    this.outage.check("dynamodb");
    return new Map(ids.flatMap((id) => (this.of(tenantId, id) ? [[id, this.of(tenantId, id) as EventRecord] as const] : [])));
  }
  async putNew(events: EventRecord[]) {
    this.outage.check("dynamodb");
    // As the table's condition: an expired event's id may be taken again.
    for (const e of events) {
      const stored = this.of(e.tenantId, e.id);
      if (!stored || stored.expiresAt <= Math.floor(Date.parse(e.createdAt) / 1000))
        this.items.set(`${e.tenantId}/${e.id}`, structuredClone(e));
    }
  }
  async expunge(tenantId: string, id: string, at: string) {
    this.outage.check("dynamodb");
    const event = this.of(tenantId, id);
    if (!event) return false;
    event.body = "null";
    event.expungedAt ??= at;
    return true;
  }
  async markSent(tenantId: string, id: string) {
    this.outage.check("dynamodb");
    const event = this.of(tenantId, id);
    if (event) delete event.unsent;
  }
  /**
   * Newest first. As the table's filtered reads do, a filtered page reads a bounded number of events
   * (twice the page) and may come back short, its cursor on the last event read, shown or not.
   */
  async listByTenant(tenantId: string, filter: EventListFilter, limit: number, cursor?: string) {
    this.outage.check("dynamodb");
    const position = (e: EventRecord) => `${e.createdAt}#${e.id}`;
    const keep = (e: EventRecord) =>
      (!filter.type || e.type === filter.type) && (!filter.endpointIds || e.endpointIds.some((id) => filter.endpointIds?.includes(id)));
    const after = [...this.items.values()]
      .filter((e) => e.tenantId === tenantId && (!filter.before || e.createdAt < filter.before))
      .filter((e) => cursor === undefined || position(e) < cursor)
      .sort((a, b) => position(b).localeCompare(position(a)));
    const filtered = filter.type !== undefined || filter.endpointIds !== undefined;
    const read = filtered ? after.slice(0, 2 * limit) : after;
    const all = read.filter(keep);
    const items = all.slice(0, limit);
    const tail = all.length > limit ? items.at(-1) : read.length < after.length ? read.at(-1) : undefined;
    return { items, nextCursor: tail && position(tail) };
  }
  async addEndpoint(tenantId: string, id: string, endpointId: string) {
    this.outage.check("dynamodb");
    const event = this.of(tenantId, id);
    if (event && !event.endpointIds.includes(endpointId)) event.endpointIds.push(endpointId);
  }
  async listUnsent(createdBefore: string, limit: number) {
    this.outage.check("dynamodb");
    return [...this.items.values()]
      .filter((e) => e.unsent && e.createdAt < createdBefore)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, limit);
  }
}

/** Newest first by time, as the table's index sorts them; records of the same instant newest written first. */
function newestFirst(records: AttemptRecord[]): AttemptRecord[] {
  return [...records].reverse().sort((a, b) => b.at.localeCompare(a.at));
}

export class MemoryAttemptLog implements AttemptLog {
  readonly items: AttemptRecord[] = [];
  readonly outage = new Outage();
  async record(attempt: AttemptRecord) {
    this.outage.check("dynamodb");
    this.items.push(structuredClone(attempt));
  }
  async ofDelivery(eventId: string, endpointId: string) {
    this.outage.check("dynamodb");
    return this.items.filter((a) => a.eventId === eventId && a.endpointId === endpointId);
  }
  async byEndpointBetween(endpointId: string, since: string, until: string, limit: number, cursor?: string) {
    this.outage.check("dynamodb");
    const mine = this.items.filter((a) => a.endpointId === endpointId && a.at >= since && a.at < until);
    return page(newestFirst(mine), limit, cursor);
  }
  async allOfEvent(tenantId: string, eventId: string) {
    this.outage.check("dynamodb");
    return this.items.filter((a) => a.tenantId === tenantId && a.eventId === eventId);
  }
  async byEndpoint(endpointId: string, limit: number, cursor?: string, status?: AttemptStatus) {
    this.outage.check("dynamodb");
    const mine = newestFirst(this.items.filter((a) => a.endpointId === endpointId && (!status || a.status === status)));
    return page(mine, limit, cursor);
  }
}

export class MemoryApiKeyStore implements ApiKeyStore {
  readonly items = new Map<string, ApiKeyRecord>();
  async put(key: ApiKeyRecord) {
    this.items.set(key.id, structuredClone(key));
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async delete(id: string) {
    return this.items.delete(id);
  }
  async list(limit: number, cursor?: string) {
    return page([...this.items.values()], limit, cursor);
  }
}

/** The event-type catalog in a map, listed by name as the table's index lists it. */
export class MemoryEventTypeStore implements EventTypeStore {
  readonly items = new Map<string, EventTypeRecord>();
  readonly outage = new Outage();
  async create(type: EventTypeRecord) {
    if (this.items.has(type.name)) return false;
    this.items.set(type.name, structuredClone(type));
    return true;
  }
  async replace(type: EventTypeRecord) {
    if (!this.items.has(type.name)) return false;
    this.items.set(type.name, structuredClone(type));
    return true;
  }
  async get(name: string) {
    return structuredClone(this.items.get(name));
  }
  async getMany(names: string[]) {
    this.outage.check("dynamodb");
    return new Map(names.flatMap((n) => (this.items.has(n) ? [[n, structuredClone(this.items.get(n) as EventTypeRecord)] as const] : [])));
  }
  async delete(name: string) {
    return this.items.delete(name);
  }
  async list(limit: number, cursor?: string) {
    const byName = [...this.items.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return page(structuredClone(byName), limit, cursor);
  }
}

/**
 * A queue that keeps what it was sent and can refuse chosen messages: for now (`refuse`, as when
 * SQS is throttled), or for good (`refuseForGood`, and every message over `maxMessageBytes` as SQS
 * writes it, as SQS refuses a message over its size limit).
 */
export class MemoryQueue implements DeliveryQueue, RetryControl, Requeue {
  readonly sent: DeliveryMessage[] = [];
  /** The DelaySeconds each message of `sent` was sent with, by index. */
  readonly sentDelays: number[] = [];
  readonly delays: { receiptHandle: string; seconds: number }[] = [];
  readonly deadLetters: { body: string; reason: string }[] = [];
  refuse: (message: DeliveryMessage) => boolean = () => false;
  refuseForGood: (message: DeliveryMessage) => boolean = () => false;
  maxMessageBytes = Number.POSITIVE_INFINITY;
  readonly outage = new Outage();
  async send(messages: DeliveryMessage[], delaySeconds?: readonly number[]): Promise<Unsent[]> {
    this.outage.check("sqs");
    const failed: Unsent[] = [];
    messages.forEach((m, index) => {
      if (Buffer.byteLength(queueText(JSON.stringify(m))) > this.maxMessageBytes) {
        failed.push({ index, permanent: true, reason: "InvalidParameterValue: Message must be shorter" });
      } else if (this.refuseForGood(m)) failed.push({ index, permanent: true, reason: "InvalidMessageContents: refused" });
      else if (this.refuse(m)) failed.push({ index, permanent: false, reason: "RequestThrottled: refused for now" });
      else {
        this.sent.push(m);
        this.sentDelays.push(delaySeconds?.[index] ?? 0);
      }
    });
    return failed;
  }
  async retryAfter(receiptHandle: string, seconds: number) {
    this.outage.check("sqs");
    this.delays.push({ receiptHandle, seconds });
  }
  async deadLetter(body: string, reason: string) {
    this.outage.check("sqs");
    this.deadLetters.push({ body, reason });
  }
  /** Bodies sent back with a delay (waiting copies, recovery steps). */
  readonly requeued: { body: string; delaySeconds: number; tenantId?: string }[] = [];
  async later(body: string, delaySeconds: number, tenantId?: string) {
    this.outage.check("sqs");
    this.requeued.push({ body, delaySeconds, ...(tenantId !== undefined && { tenantId }) });
  }
}

/** Endpoint health transitions applied to a MemoryEndpointStore's items, with the same conditions as DynamoDB's. */
export class MemoryEndpointHealth implements EndpointHealthStore {
  readonly writes: string[] = [];
  readonly store: MemoryEndpointStore;
  constructor(store: MemoryEndpointStore) {
    this.store = store;
  }
  private change(what: string, id: string, condition: (e: Endpoint) => boolean, apply: (e: Endpoint) => void): boolean {
    this.store.outage.check("dynamodb");
    const endpoint = this.store.items.get(id);
    if (!endpoint || !condition(endpoint)) return false;
    apply(endpoint);
    endpoint.revision = (endpoint.revision ?? 0) + 1;
    this.writes.push(what);
    return true;
  }
  async markFailing(id: string, since: string) {
    return this.change(
      "failing",
      id,
      (e) => e.failingSince === undefined,
      (e) => {
        e.failingSince = since;
      },
    );
  }
  async markHealthy(id: string) {
    return this.change(
      "healthy",
      id,
      (e) => e.failingSince !== undefined,
      (e) => {
        delete e.failingSince;
      },
    );
  }
  async openCircuit(id: string, circuit: CircuitState, seenOpenUntil: string | undefined) {
    return this.change(
      "open",
      id,
      (e) => (seenOpenUntil === undefined ? !e.circuit : e.circuit?.openUntil === seenOpenUntil),
      (e) => {
        e.circuit = structuredClone(circuit);
      },
    );
  }
  async takeProbe(id: string, seenOpenUntil: string, now: string, probeUntil: string) {
    return this.change(
      "probe",
      id,
      (e) => e.circuit?.openUntil === seenOpenUntil && (e.circuit.state === "open" || (e.circuit.probeUntil ?? "") < now),
      (e) => {
        if (e.circuit) e.circuit = { ...e.circuit, state: "half-open", probeUntil };
      },
    );
  }
  async closeCircuit(id: string, seenOpenUntil: string) {
    return this.change(
      "close",
      id,
      (e) => e.circuit?.openUntil === seenOpenUntil,
      (e) => {
        delete e.circuit;
      },
    );
  }
  async disable(id: string, reason: DisabledReason, at: string, url: string) {
    return this.change(
      "disable",
      id,
      (e) => e.enabled && e.url === url,
      (e) => {
        Object.assign(e, { enabled: false, disabledReason: reason, disabledAt: at, updatedAt: at });
      },
    );
  }
  async moveLane(id: string, from: Lane, to: Lane, since: string, demotions?: number) {
    return this.change(
      `lane ${to}`,
      id,
      (e) => (e.lane ?? "fast") === from,
      (e) => {
        Object.assign(e, { lane: to, laneSince: since, laneFastSuccesses: 0 }, demotions !== undefined && { laneDemotions: demotions });
      },
    );
  }
  async countFastSuccess(id: string, seenSince: string) {
    const counted = this.change(
      "fast success",
      id,
      (e) => e.laneSince === seenSince && e.lane !== undefined && e.lane !== "fast",
      (e) => {
        e.laneFastSuccesses = (e.laneFastSuccesses ?? 0) + 1;
      },
    );
    return counted ? (this.store.items.get(id)?.laneFastSuccesses ?? 0) : 0;
  }
  async resetFastSuccesses(id: string, seenSince: string) {
    return this.change(
      "fast successes reset",
      id,
      (e) => e.laneSince === seenSince && e.lane !== undefined && e.lane !== "fast",
      (e) => {
        e.laneFastSuccesses = 0;
      },
    );
  }
}

/** A rate counter shared by every "worker" of a test. */
export class MemoryRateCounter implements RateCounter {
  readonly windows = new Map<string, number>();
  async take(endpointId: string, second: number) {
    const key = `${endpointId}#${second}`;
    const count = (this.windows.get(key) ?? 0) + 1;
    this.windows.set(key, count);
    return count;
  }
}

export class MemoryRecoveryStore implements RecoveryStore {
  readonly items = new Map<string, RecoveryRecord>();
  async put(recovery: RecoveryRecord) {
    this.items.set(`${recovery.endpointId}#${recovery.id}`, structuredClone(recovery));
  }
  async get(endpointId: string, id: string) {
    const found = this.items.get(`${endpointId}#${id}`);
    return found && structuredClone(found);
  }
  async advance(recovery: RecoveryRecord, seenSteps: number) {
    const current = this.items.get(`${recovery.endpointId}#${recovery.id}`);
    if (!current || (current.steps ?? 0) !== seenSteps || current.status !== "running") return false;
    await this.put(recovery);
    return true;
  }
  async fail(endpointId: string, id: string, at: string, error: string) {
    const current = this.items.get(`${endpointId}#${id}`);
    if (current?.status === "running") Object.assign(current, { status: "failed", error, updatedAt: at });
  }
  /** Each recovery's stash, by key: a repeated key writes the same entry. */
  readonly stashes = new Map<string, Map<string, StashedDelivery>>();
  async stash(recovery: Pick<RecoveryRecord, "endpointId" | "id">, entries: readonly StashedDelivery[]) {
    const name = `${recovery.endpointId}#${recovery.id}`;
    const stash = this.stashes.get(name) ?? new Map<string, StashedDelivery>();
    this.stashes.set(name, stash);
    for (const entry of entries) stash.set(entry.key, { ...entry });
  }
  async stashed(endpointId: string, id: string, limit: number, cursor?: string) {
    const stash = this.stashes.get(`${endpointId}#${id}`) ?? new Map<string, StashedDelivery>();
    const sorted = [...stash.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return page(sorted, limit, cursor);
  }
}

/** Records the operational events emitted, and can fail like a dependency. */
export class RecordingOperationalEvents implements OperationalEvents {
  readonly emitted: { tenantId: string; type: OperationalType; key: string; at: string; data: Record<string, unknown> }[] = [];
  readonly outage = new Outage();
  async emit(tenantId: string, type: OperationalType, key: string, at: string, data: Record<string, unknown>) {
    this.outage.check("sqs");
    this.emitted.push({ tenantId, type, key, at, data });
  }
  types(): OperationalType[] {
    return this.emitted.map((e) => e.type);
  }
}

/** An HTTP sender that answers from a script and records each request. */
export class ScriptedSender implements HttpSender {
  readonly requests: { url: string; headers: Record<string, string>; body: string; timeoutMs?: number; watchedAfterMs?: number }[] = [];
  /** Answers each request; `timeoutMs` is the limit the worker gave the POST (undefined: the sender's own). */
  answer: (url: string, timeoutMs?: number) => SendResult = () => ({ kind: "response", statusCode: 200, body: "ok", durationMs: 3 });
  /** As the real sender does, tells a watch whose time an answer's duration passed, before the answer. */
  async post(url: string, headers: Record<string, string>, body: string, timeoutMs?: number, watch?: SlowWatch) {
    this.requests.push({
      url,
      headers,
      body,
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(watch !== undefined && { watchedAfterMs: watch.afterMs }),
    });
    const result = this.answer(url, timeoutMs);
    if (watch && result.durationMs > watch.afterMs) watch.onSlow();
    return result;
  }
}

/** A stored endpoint with sensible defaults. */
export function endpointFixture(overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    id: "ep_1",
    tenantId: "default",
    url: "https://receiver.example/hook",
    enabled: true,
    headers: {},
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...overrides,
  };
}

/** A log that keeps its warnings, for the components that only warn. */
export class RecordedWarnings {
  readonly lines: { message: string; fields?: Record<string, unknown> }[] = [];
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ message, ...(fields && { fields }) });
  }
}

/** Intake's ports on in-memory fakes, with a clock that stands still; `endpoints` is the store `subscriptions` reads. */
export function memoryIntakeDeps() {
  const endpoints = new MemoryEndpointStore();
  const tenants = new MemoryTenantStore();
  const clock = new FakeClock();
  return {
    endpoints,
    subscriptions: endpoints,
    events: new MemoryEventStore(),
    queue: new MemoryQueue(),
    clock,
    logRetentionDays: 30,
    scheduling: { store: new MemoryScheduleStore(), maxPerTenant: 100, horizonHours: 168, leadSeconds: 180 },
    tenants,
    // The real cache over the fake store: tests see the bound production has.
    tenantStatus: new TenantStatusCache(tenants, clock, 30),
    eventTypes: new MemoryEventTypeStore(),
    // The real compiler: the validator is a library without I/O, and a stand-in would test nothing.
    schemas: new JsonSchemaCompiler(new RecordedWarnings()),
  };
}

/** The dead-letter consumer's ports on fakes: a recording operational port and an empty recovery store. */
export function deadLetterDeps(attempts: MemoryAttemptLog, clock: FakeClock = new FakeClock()) {
  return {
    attempts,
    clock,
    logRetentionDays: 30,
    tenantStatus: new TenantStatusCache(new MemoryTenantStore(), clock, 30),
    operational: new RecordingOperationalEvents(),
    recoveries: new MemoryRecoveryStore(),
  };
}
