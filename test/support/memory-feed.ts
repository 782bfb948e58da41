import type { FeedHead, FeedReader, FeedSlot } from "../../functions/core/feed/deps.ts";

/** Feeds in memory, with the adapter's semantics: an atomic counter, and slots written only once. */
export class MemoryFeed implements FeedReader {
  readonly counters = new Map<string, FeedHead>();
  readonly feeds = new Map<string, Map<number, FeedSlot & { expiresAt: number }>>();
  /** Called between a number's allocation and its fill: a test delays or drops writers here. */
  beforeFill?: (endpointId: string, slot: FeedSlot) => Promise<void>;

  private feed(endpointId: string) {
    let slots = this.feeds.get(endpointId);
    if (!slots) {
      slots = new Map();
      this.feeds.set(endpointId, slots);
    }
    return slots;
  }

  async head(endpointId: string): Promise<FeedHead> {
    let head = this.counters.get(endpointId);
    if (!head) {
      head = { seq: 0, cursorKey: Buffer.from(`key of ${endpointId}`).toString("base64") };
      this.counters.set(endpointId, head);
    }
    return { ...head };
  }

  async allocate(endpointId: string): Promise<number> {
    await this.head(endpointId);
    const head = this.counters.get(endpointId) as FeedHead;
    head.seq += 1;
    return head.seq;
  }

  async fill(endpointId: string, slot: FeedSlot, expiresAt: number): Promise<boolean> {
    if (slot.entry) await this.beforeFill?.(endpointId, slot);
    const slots = this.feed(endpointId);
    if (slots.has(slot.seq)) return false;
    slots.set(slot.seq, { ...slot, expiresAt });
    return true;
  }

  async slot(endpointId: string, seq: number): Promise<FeedSlot | undefined> {
    return this.feed(endpointId).get(seq);
  }

  async slots(endpointId: string, from: number, to: number, limit: number): Promise<FeedSlot[]> {
    return this.sorted(endpointId)
      .filter((s) => s.seq >= from && s.seq <= to)
      .slice(0, limit);
  }

  async oldestSince(endpointId: string, since: string): Promise<FeedSlot | undefined> {
    return this.sorted(endpointId).find((s) => s.allocatedAt >= since);
  }

  async expunge(endpointId: string, eventId: string): Promise<number> {
    let changed = 0;
    for (const slot of this.feed(endpointId).values()) {
      if (slot.entry?.eventId !== eventId) continue;
      slot.entry = { ...slot.entry, body: "null" };
      changed++;
    }
    return changed;
  }

  /** Drops the slots TTL would have deleted by `nowSeconds`. */
  expire(endpointId: string, nowSeconds: number): void {
    for (const [seq, slot] of this.feed(endpointId)) if (slot.expiresAt < nowSeconds) this.feed(endpointId).delete(seq);
  }

  private sorted(endpointId: string): FeedSlot[] {
    return [...this.feed(endpointId).values()].sort((a, b) => a.seq - b.seq);
  }
}
