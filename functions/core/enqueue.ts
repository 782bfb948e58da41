import type { DeliveryMessage, EventRecord } from "./model.ts";
import type { DeliveryQueue } from "./ports.ts";

/** Where intake enqueues deliveries. */
export interface EnqueueDeps {
  queue: DeliveryQueue;
  /**
   * The slow lane's queue: deliveries to endpoints in the slow lane or on probation go straight
   * there. Without it everything goes to `queue`, and the fast lane forwards them unsent.
   */
  slowQueue?: DeliveryQueue;
}

/** The queue message that delivers the event to one endpoint; intake, the sweeper, replay and recovery all build it here. */
export function deliveryMessage(record: EventRecord, endpointId: string): DeliveryMessage {
  const { id, messageId, tenantId, type, createdAt, body } = record;
  return { v: 1, eventId: id, ...(messageId !== undefined && { messageId }), endpointId, tenantId, type, createdAt, body };
}

/**
 * Enqueues one message per (event, endpoint), those to the endpoints in `slow` on the slow lane's
 * queue when there is one; returns, per event, the endpoints whose message SQS refused. A message
 * sent later for an unsent one (a repeat, the sweeper) goes to the delivery queue, whose worker
 * forwards it if its endpoint is slow.
 */
export async function sendMessages(
  deps: EnqueueDeps,
  work: [EventRecord, string[]][],
  slow: ReadonlySet<string> = new Set(),
): Promise<string[][]> {
  const lanes = new Map<DeliveryQueue, { messages: DeliveryMessage[]; owner: [number, string][] }>();
  work.forEach(([record, endpointIds], i) => {
    for (const endpointId of endpointIds) {
      const queue = deps.slowQueue && slow.has(endpointId) ? deps.slowQueue : deps.queue;
      const lane = lanes.get(queue) ?? { messages: [], owner: [] };
      lanes.set(queue, lane);
      lane.messages.push(deliveryMessage(record, endpointId));
      lane.owner.push([i, endpointId]);
    }
  });
  const unsent: string[][] = work.map(() => []);
  await Promise.all(
    [...lanes].map(async ([queue, { messages, owner }]) => {
      let failed: number[];
      try {
        failed = await queue.send(messages);
      } catch {
        failed = messages.map((_, i) => i);
      }
      for (const m of failed) {
        const [event, endpointId] = owner[m] as [number, string];
        unsent[event]?.push(endpointId);
      }
    }),
  );
  return unsent;
}
