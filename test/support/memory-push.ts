import type { PushChannel, PushConnection, PushConnectionStore, PushPosition, SubscribeDeadlines } from "../../functions/core/push/deps.ts";

/** Push connections in memory, with the adapter's semantics: versioned position writes, acks that only move up. */
export class MemoryPushConnections implements PushConnectionStore {
  readonly items = new Map<string, { connection: PushConnection; position?: PushPosition }>();

  async open(connection: PushConnection): Promise<void> {
    this.items.set(connection.id, { connection: structuredClone(connection) });
  }
  async get(id: string) {
    const found = this.items.get(id);
    return found && structuredClone(found);
  }
  async subscribe(connection: PushConnection, position: PushPosition): Promise<void> {
    this.items.set(connection.id, { connection: structuredClone(connection), position: structuredClone(position) });
  }
  async move(id: string, position: PushPosition, expectedVersion: number): Promise<boolean> {
    const found = this.items.get(id);
    if (!found?.position || found.position.version !== expectedVersion) return false;
    const { ackedNext, ackedAtMs, pokes } = found.position;
    found.position = { ...structuredClone(position), ackedNext, ackedAtMs, pokes };
    return true;
  }
  async poke(id: string): Promise<void> {
    const position = this.items.get(id)?.position;
    if (position) position.pokes += 1;
  }
  async ack(id: string, next: number, atMs: number): Promise<void> {
    const position = this.items.get(id)?.position;
    if (position && next > position.ackedNext) Object.assign(position, { ackedNext: next, ackedAtMs: atMs });
  }
  async remove(id: string): Promise<void> {
    this.items.delete(id);
  }
  async ofEndpoint(endpointId: string) {
    return this.subscribed().filter((c) => c.subscription?.endpointId === endpointId);
  }
  async ofTenant(tenantId: string) {
    return this.subscribed().filter((c) => c.subscription?.tenantId === tenantId);
  }
  async all() {
    return [...this.items.values()].map((found) => structuredClone(found.connection));
  }
  private subscribed() {
    return [...this.items.values()].filter((found) => found.connection.subscription).map((found) => structuredClone(found.connection));
  }
}

/** A channel that keeps every frame and close per connection; a connection in `gone` answers 410. */
export class RecordingChannel implements PushChannel {
  readonly frames = new Map<string, unknown[]>();
  readonly closes = new Map<string, { code: number; reason: string }>();
  readonly gone = new Set<string>();

  async send(connectionId: string, frame: string): Promise<boolean> {
    if (this.gone.has(connectionId) || this.closes.has(connectionId)) return false;
    this.of(connectionId).push(JSON.parse(frame));
    return true;
  }
  async close(connectionId: string, code: number, reason: string): Promise<void> {
    this.of(connectionId).push({ type: "close", code, reason });
    this.closes.set(connectionId, { code, reason });
  }
  of(connectionId: string): unknown[] {
    let list = this.frames.get(connectionId);
    if (!list) {
      list = [];
      this.frames.set(connectionId, list);
    }
    return list;
  }
}

/** Subscribe deadlines kept in memory: each is due `delayMs` after it was scheduled, on the fake clock; `due()` takes the ones that are. */
export class MemoryDeadlines implements SubscribeDeadlines {
  readonly scheduled: { connectionId: string; atMs: number }[] = [];
  private readonly clock: { now(): Date };
  constructor(clock: { now(): Date }) {
    this.clock = clock;
  }

  async schedule(connectionId: string, delayMs: number): Promise<void> {
    this.scheduled.push({ connectionId, atMs: this.clock.now().getTime() + delayMs });
  }

  /** The connection ids whose deadline has come, taken off the list (as the queue delivers them). */
  due(): string[] {
    const now = this.clock.now().getTime();
    const due = this.scheduled.filter((d) => d.atMs <= now);
    for (const d of due) this.scheduled.splice(this.scheduled.indexOf(d), 1);
    return due.map((d) => d.connectionId);
  }
}
