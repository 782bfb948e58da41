import type { Clock } from "../../functions/core/kernel/clock.ts";
import type { TenantEraser } from "../../functions/core/lifecycle/tenant-deletion.ts";
import type { MemoryApiKeyStore, MemoryAttemptLog, MemoryEndpointStore, MemoryEventStore, MemoryRecoveryStore } from "./fakes.ts";
import type { MemoryFeed } from "./memory-feed.ts";
import type { MemoryScheduleStore } from "./memory-schedule.ts";
import type { MemoryTenantStore } from "./memory-tenants.ts";

/** What the fake eraser removes from: the API's in-memory stores. */
export interface ErasableStores {
  endpoints: MemoryEndpointStore;
  events: MemoryEventStore;
  attempts: MemoryAttemptLog;
  apiKeys: MemoryApiKeyStore;
  recoveries: MemoryRecoveryStore;
  feed: MemoryFeed;
  tenants: MemoryTenantStore;
  scheduling: { store: unknown };
}

/** The table eraser's steps over the fakes, `pageSize` items a page, so tests see a job take several pages. */
export class MemoryTenantEraser implements TenantEraser {
  readonly steps = ["events", "endpoints", "keys", "scheduled", "tenant"] as const;
  pages = 0;
  private readonly stores: () => ErasableStores;
  private readonly pageSize: number;
  constructor(stores: () => ErasableStores, pageSize = 2) {
    this.stores = stores;
    this.pageSize = pageSize;
  }

  async erase(tenantId: string, step: string, _cursor?: string) {
    this.pages++;
    const s = this.stores();
    const take = <T>(items: T[]) => items.slice(0, this.pageSize);
    if (step === "events") {
      const events = take([...s.events.items].filter(([, e]) => e.tenantId === tenantId));
      for (const [key] of events) s.events.items.delete(key);
      const attempts = take(s.attempts.items.filter((a) => a.tenantId === tenantId));
      for (const a of attempts) s.attempts.items.splice(s.attempts.items.indexOf(a), 1);
      return { removed: events.length + attempts.length, done: events.length + attempts.length === 0 };
    }
    if (step === "endpoints") {
      const endpoints = take([...s.endpoints.items.values()].filter((e) => e.tenantId === tenantId));
      for (const e of endpoints) {
        s.endpoints.items.delete(e.id);
        s.feed.feeds.delete(e.id);
        for (const key of s.recoveries.items.keys()) if (key.startsWith(`${e.id}#`)) s.recoveries.items.delete(key);
      }
      return { removed: endpoints.length, done: endpoints.length === 0 };
    }
    if (step === "keys") {
      const found = take([...s.apiKeys.items.values()].filter((k) => k.tenantId === tenantId));
      for (const k of found) s.apiKeys.items.delete(k.id);
      return { removed: found.length, done: found.length === 0 };
    }
    if (step === "scheduled") {
      const store = s.scheduling.store as MemoryScheduleStore;
      const found = take([...store.items].filter(([, item]) => item.tenantId === tenantId));
      for (const [key] of found) store.items.delete(key);
      if (found.length === 0) store.counts.delete(tenantId);
      return { removed: found.length, done: found.length === 0 };
    }
    const had = s.tenants.items.delete(tenantId);
    return { removed: had ? 1 : 0, done: true };
  }
}

/** The sweeper's deletion deps for a test that deletes no tenant: a run finds no pending deletion, and an erase would be a failure. */
export function noDeletions(tenants: MemoryTenantStore, clock: Clock) {
  const eraser: TenantEraser = {
    steps: [],
    erase: async () => {
      throw new Error("this test deletes no tenant");
    },
  };
  return { tenants, deletions: tenants, eraser, clock, more: () => true };
}
