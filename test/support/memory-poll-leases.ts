import type { PollLease, PollLeaseStore, PollScope } from "../../functions/core/feed/deps.ts";

/**
 * Long-poll leases in memory, with the adapter's semantics: a take writes its slot only when no lease
 * live at its `nowMs` holds it, a release ends only the lease that holds the slot. `afterLook` runs
 * after each read of a scope, so a test can interleave concurrent polls between their look and take.
 */
export class MemoryPollLeases implements PollLeaseStore {
  readonly slots = new Map<string, Map<number, PollLease>>();
  afterLook?: (scope: PollScope) => Promise<void>;

  private scope(scope: PollScope): Map<number, PollLease> {
    const key = `${scope.kind}:${scope.id}`;
    let slots = this.slots.get(key);
    if (!slots) {
      slots = new Map();
      this.slots.set(key, slots);
    }
    return slots;
  }

  async leases(scope: PollScope): Promise<PollLease[]> {
    const leases = [...this.scope(scope).values()].map((lease) => ({ ...lease }));
    await this.afterLook?.(scope);
    return leases;
  }

  async take(scope: PollScope, lease: PollLease, nowMs: number): Promise<boolean> {
    const slots = this.scope(scope);
    const holder = slots.get(lease.slot);
    if (holder && holder.untilMs >= nowMs) return false;
    slots.set(lease.slot, { ...lease });
    return true;
  }

  async release(scope: PollScope, lease: PollLease): Promise<void> {
    const slots = this.scope(scope);
    if (slots.get(lease.slot)?.id === lease.id) slots.set(lease.slot, { ...lease, untilMs: 0 });
  }

  /** Leases of the scope live at `nowMs`. */
  live(scope: PollScope, nowMs: number): PollLease[] {
    return [...this.scope(scope).values()].filter((lease) => lease.untilMs >= nowMs);
  }
}
