import type { Clock } from "../kernel/clock.ts";
import type { DeliveryMessage, EventRecord } from "../kernel/model.ts";
import type { DeliveryQueue, Unsent } from "../kernel/ports.ts";
import { deliveryMessage, UNSENDABLE, unsendableNotice } from "../kernel/queue-message.ts";
import { delaySecondsUntil } from "../scheduling/schedule.ts";

/** Where intake enqueues deliveries. */
export interface EnqueueDeps {
  queue: DeliveryQueue;
  /**
   * The slow lane's queue: deliveries to endpoints in the slow lane or on probation go straight
   * there. Without it everything goes to `queue`, and the fast lane forwards them unsent.
   */
  slowQueue?: DeliveryQueue;
  /** Dates the delay of a scheduled event's messages (its `deliverAt`). */
  clock: Clock;
}

/** What became of one event's messages: the endpoints still to send, and those whose delivery ended unsendable. */
export interface EventSend {
  /** The queue failed for now: a repeat of the call, or the sweeper, sends these. */
  unsent: string[];
  /** The queue refused the message for good: the deliveries were dead-lettered as unsendable and end exhausted. */
  unsendable: string[];
}

/**
 * Enqueues one message per (event, endpoint), those to the endpoints in `slow` on the slow lane's
 * queue when there is one; returns, per event, what was not sent. A message sent later for an unsent
 * one (a repeat, the sweeper) goes to the delivery queue, whose worker forwards it if its endpoint is
 * slow. A message the queue refuses for good is never tried again: one notice per event goes to the
 * dead-letter queue, whose consumer ends those deliveries `exhausted` with error "unsendable". When
 * the notice cannot be sent, they stay unsent, and the next try classifies them again. A scheduled
 * event's messages (`deliverAt`) carry it as `notBefore` and are hidden until then, at most 15 minutes
 * (DelaySeconds, rounded up); a message that comes earlier anyway waits again (delivery/admit.ts).
 */
export async function sendMessages(
  deps: EnqueueDeps,
  work: [EventRecord, string[]][],
  slow: ReadonlySet<string> = new Set(),
): Promise<EventSend[]> {
  const lanes = new Map<DeliveryQueue, { messages: DeliveryMessage[]; delays: number[]; owner: [number, string][] }>();
  const nowMs = deps.clock.now().getTime();
  work.forEach(([record, endpointIds], i) => {
    const dueMs = record.deliverAt === undefined ? undefined : Date.parse(record.deliverAt);
    const later = dueMs !== undefined && dueMs > nowMs;
    for (const endpointId of endpointIds) {
      const queue = deps.slowQueue && slow.has(endpointId) ? deps.slowQueue : deps.queue;
      const lane = lanes.get(queue) ?? { messages: [], delays: [], owner: [] };
      lanes.set(queue, lane);
      const message = deliveryMessage(record, endpointId);
      lane.messages.push(later ? { ...message, notBefore: record.deliverAt } : message);
      lane.delays.push(later ? delaySecondsUntil(dueMs, nowMs) : 0);
      lane.owner.push([i, endpointId]);
    }
  });
  const results: EventSend[] = work.map(() => ({ unsent: [], unsendable: [] }));
  const refused: { endpointIds: string[]; reason: string }[] = work.map(() => ({ endpointIds: [], reason: "" }));
  await Promise.all(
    [...lanes].map(async ([queue, { messages, delays, owner }]) => {
      let failed: Unsent[];
      try {
        failed = await queue.send(messages, delays.some((d) => d > 0) ? delays : undefined);
      } catch (error) {
        failed = messages.map((_, index) => ({ index, permanent: false, reason: String(error) }));
      }
      for (const { index, permanent, reason } of failed) {
        const [event, endpointId] = owner[index] as [number, string];
        if (!permanent) (results[event] as EventSend).unsent.push(endpointId);
        else {
          const ended = refused[event] as { endpointIds: string[]; reason: string };
          ended.endpointIds.push(endpointId);
          ended.reason = reason;
        }
      }
    }),
  );
  await Promise.all(
    work.map(async ([record], i) => {
      const { endpointIds, reason } = refused[i] as { endpointIds: string[]; reason: string };
      if (endpointIds.length === 0) return;
      const result = results[i] as EventSend;
      try {
        await deps.queue.deadLetter(unsendableNotice(record, endpointIds, reason), UNSENDABLE);
        result.unsendable.push(...endpointIds);
      } catch {
        result.unsent.push(...endpointIds);
      }
    }),
  );
  return results;
}
