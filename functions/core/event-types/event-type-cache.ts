import type { Clock } from "../kernel/clock.ts";
import type { Page } from "../kernel/ports.ts";
import type { EventTypeRecord, EventTypeStore } from "./event-types.ts";

/**
 * The catalog as intake reads it: each name's entry (a type, or that there is none) is kept for
 * `ttlSeconds` per container, so a busy container reads DynamoDB for a type about once per TTL
 * rather than once per request. Writes through this container forget the name at once; other
 * containers see a change within the TTL (docs/api.md, Event types, says so).
 */
export class CachedEventTypeStore implements EventTypeStore {
  private readonly entries = new Map<string, { type: EventTypeRecord | undefined; until: number }>();
  private readonly store: EventTypeStore;
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(store: EventTypeStore, clock: Clock, ttlSeconds: number) {
    this.store = store;
    this.clock = clock;
    this.ttlMs = ttlSeconds * 1000;
  }

  async getMany(names: string[]): Promise<Map<string, EventTypeRecord>> {
    const now = this.clock.now().getTime();
    const stale = names.filter((n) => (this.entries.get(n)?.until ?? 0) <= now);
    if (stale.length > 0) {
      const read = await this.store.getMany(stale);
      for (const name of stale) this.entries.set(name, { type: read.get(name), until: now + this.ttlMs });
    }
    const found = new Map<string, EventTypeRecord>();
    for (const name of names) {
      const type = this.entries.get(name)?.type;
      if (type) found.set(name, type);
    }
    return found;
  }

  create(type: EventTypeRecord): Promise<boolean> {
    this.entries.delete(type.name);
    return this.store.create(type);
  }

  replace(type: EventTypeRecord): Promise<boolean> {
    this.entries.delete(type.name);
    return this.store.replace(type);
  }

  delete(name: string): Promise<boolean> {
    this.entries.delete(name);
    return this.store.delete(name);
  }

  /** Always read through: the API's own reads of one type or a page show the stored state. */
  get(name: string): Promise<EventTypeRecord | undefined> {
    return this.store.get(name);
  }

  list(limit: number, cursor?: string): Promise<Page<EventTypeRecord>> {
    return this.store.list(limit, cursor);
  }
}
