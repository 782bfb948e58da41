import { DependencyError } from "../../functions/core/kernel/errors.ts";
import type { Page } from "../../functions/core/kernel/ports.ts";
import type { HoldResult, ScheduledItem, ScheduleStore } from "../../functions/core/scheduling/schedule.ts";

/** Held scheduled messages in memory, with the conditions and the per-tenant count of the DynamoDB store. */
export class MemoryScheduleStore implements ScheduleStore {
  readonly items = new Map<string, ScheduledItem>();
  readonly counts = new Map<string, number>();
  /** While true every call fails as DynamoDB being down does. */
  down = false;
  /** Called after the claim of `end`'s condition is checked: a test's way to crash a move between its steps. */
  beforeEnd: (item: ScheduledItem, state: string) => void = () => undefined;

  private check(): void {
    if (this.down) throw new DependencyError("dynamodb", "dynamodb is down");
  }

  async hold(item: ScheduledItem, max: number): Promise<HoldResult> {
    this.check();
    const count = this.counts.get(item.tenantId) ?? 0;
    if (count >= max) return "full";
    if (this.items.has(key(item.tenantId, item.eventId)) && this.items.get(key(item.tenantId, item.eventId))?.state !== "dropped")
      return "exists";
    this.counts.set(item.tenantId, count + 1);
    this.items.set(key(item.tenantId, item.eventId), structuredClone(item));
    return "held";
  }
  async get(tenantId: string, eventId: string): Promise<ScheduledItem | undefined> {
    this.check();
    const item = this.items.get(key(tenantId, eventId));
    return item && structuredClone(item);
  }
  async listByTenant(tenantId: string, limit: number, cursor?: string): Promise<Page<ScheduledItem>> {
    this.check();
    const all = [...this.items.values()].filter((i) => i.tenantId === tenantId && held(i)).sort(byDue);
    const start = cursor ? Number(cursor) : 0;
    return { items: all.slice(start, start + limit), nextCursor: start + limit < all.length ? String(start + limit) : undefined };
  }
  async due(dueBy: string, limit: number, after?: string): Promise<{ items: ScheduledItem[]; next?: string }> {
    this.check();
    const page = [...this.items.values()]
      .filter((i) => held(i) && i.deliverAt <= dueBy && (after === undefined || position(i) > after))
      .sort((a, b) => position(a).localeCompare(position(b)))
      .slice(0, limit)
      .map((i) => structuredClone(i));
    const last = page.at(-1);
    return { items: page, ...(page.length === limit && last && { next: position(last) }) };
  }
  async claim(item: ScheduledItem, at: string): Promise<boolean> {
    this.check();
    const stored = this.items.get(key(item.tenantId, item.eventId));
    if (!stored || !held(stored) || stored.state !== item.state || stored.claimedAt !== item.claimedAt) return false;
    Object.assign(stored, { state: "moving", claimedAt: at });
    return true;
  }
  async end(item: ScheduledItem, state: "sent" | "cancelled" | "dropped", at: string): Promise<boolean> {
    this.check();
    const stored = this.items.get(key(item.tenantId, item.eventId));
    const ok = state === "cancelled" ? stored?.state === "waiting" : stored?.state === "moving" && stored.claimedAt === item.claimedAt;
    if (!stored || !ok) return false;
    this.beforeEnd(item, state);
    Object.assign(stored, { state, endedAt: at });
    this.counts.set(item.tenantId, (this.counts.get(item.tenantId) ?? 1) - 1);
    return true;
  }
}

const key = (tenantId: string, eventId: string) => `${tenantId}\u0000${eventId}`;
const position = (i: ScheduledItem) => `${i.deliverAt}#${i.tenantId}#${i.eventId}`;
const held = (i: ScheduledItem) => i.state === "waiting" || i.state === "moving";
/** The tenant list's order: due time, then event id (the gsi2 sort key). */
const byDue = (a: ScheduledItem, b: ScheduledItem) => `${a.deliverAt}#${a.eventId}`.localeCompare(`${b.deliverAt}#${b.eventId}`);
