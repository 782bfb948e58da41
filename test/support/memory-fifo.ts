import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import type { Unsent } from "../../functions/core/kernel/ports.ts";
import { serializeMessage } from "../../functions/core/kernel/queue-message.ts";
import { orderedDeduplicationId } from "../../functions/core/ordering/dedup.ts";
import type { OrderedLine, OrderedReceived } from "../../functions/core/ordering/ordered-deps.ts";
import type { FakeClock } from "./fakes.ts";

interface Stored {
  id: string;
  group: string;
  body: string;
  dedup: string;
  sentAtMs: number;
  receiveCount: number;
  handle?: string;
  visibleAtMs: number;
}

/**
 * SQS FIFO as the ordered consumer sees it, on a fake clock: messages of a group are received in
 * the order sent, several per receive, and a group with a message in flight gives nothing more
 * until that message is deleted or visible again. A receive past `maxReceiveCount` moves the
 * message to `redriven`, as the redrive policy does.
 */
export class MemoryFifo implements OrderedLine {
  readonly messages: Stored[] = [];
  readonly deadLetters: { body: string; reason: string }[] = [];
  readonly redriven: string[] = [];
  readonly holds: { count: number; seconds: number }[] = [];
  private next = 0;
  private readonly clock: FakeClock;
  readonly visibilitySeconds: number;
  readonly maxReceiveCount: number;
  constructor(clock: FakeClock, visibilitySeconds = 60, maxReceiveCount = 1_000) {
    this.clock = clock;
    this.visibilitySeconds = visibilitySeconds;
    this.maxReceiveCount = maxReceiveCount;
  }

  async send(messages: DeliveryMessage[]): Promise<Unsent[]> {
    for (const message of messages) {
      const dedup = orderedDeduplicationId(message);
      if (this.messages.some((m) => m.dedup === dedup)) continue;
      const now = this.clock.now().getTime();
      this.messages.push({
        id: `m${this.next++}`,
        group: message.endpointId,
        body: serializeMessage(message),
        dedup,
        sentAtMs: now,
        receiveCount: 0,
        visibleAtMs: now,
      });
    }
    return [];
  }

  /** Up to `max` messages, group by group, each group's in order. */
  receive(max = 10): OrderedReceived[] {
    const now = this.clock.now().getTime();
    const blocked = new Set(this.messages.filter((m) => m.handle !== undefined && m.visibleAtMs > now).map((m) => m.group));
    const out: OrderedReceived[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (blocked.has(m.group) || m.visibleAtMs > now) {
        blocked.add(m.group);
        continue;
      }
      m.receiveCount += 1;
      if (m.receiveCount > this.maxReceiveCount) {
        this.messages.splice(this.messages.indexOf(m), 1);
        this.redriven.push(m.body);
        continue;
      }
      m.handle = `${m.id}#${m.receiveCount}`;
      m.visibleAtMs = now + this.visibilitySeconds * 1000;
      out.push({ messageId: m.id, receiptHandle: m.handle, body: m.body, receiveCount: m.receiveCount, sentAtMs: m.sentAtMs });
    }
    return out;
  }

  /** What the event source does after a batch: deletes every message not kept. */
  settle(batch: OrderedReceived[], kept: string[]): void {
    for (const r of batch) {
      if (kept.includes(r.messageId)) continue;
      const i = this.messages.findIndex((m) => m.handle === r.receiptHandle);
      if (i >= 0) this.messages.splice(i, 1);
    }
  }

  /** When the next message in flight becomes visible again (undefined: nothing in flight). */
  nextVisibleAtMs(): number | undefined {
    const now = this.clock.now().getTime();
    const times = this.messages.filter((m) => m.visibleAtMs > now).map((m) => m.visibleAtMs);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  async hold(receiptHandles: string[], seconds: number): Promise<void> {
    this.holds.push({ count: receiptHandles.length, seconds });
    for (const m of this.messages)
      if (m.handle && receiptHandles.includes(m.handle)) m.visibleAtMs = this.clock.now().getTime() + seconds * 1000;
  }

  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await this.hold([receiptHandle], seconds);
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    this.deadLetters.push({ body, reason });
  }
}
