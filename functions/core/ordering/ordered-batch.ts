import { BatchEndpoints } from "../delivery/batch-endpoints.ts";
import { mapWithConcurrency } from "../kernel/concurrency.ts";
import { DependencyError } from "../kernel/errors.ts";
import type { DeliveryMessage } from "../kernel/model.ts";
import { parseMessage } from "../kernel/queue-message.ts";
import type { OrderedDeps, OrderedReceived } from "./ordered-deps.ts";
import { deliverHead } from "./ordered-head.ts";
import { OUR_FAILURE_HOLD_SECONDS } from "./receive-budget.ts";

/** One endpoint's messages of a batch, in the queue's order. */
type Line = { received: OrderedReceived; message: DeliveryMessage | undefined }[];

/**
 * Delivers a batch of the ordered queue and returns the ids of the messages the queue must keep.
 * Each endpoint (message group) is a line: its deliveries go one after another, in the order SQS
 * gave them; the lines of different endpoints go concurrently. When a head must wait (a retry,
 * Retry-After, an open circuit, the rate limit), it and every later message of its line are kept
 * and hidden together until the head's time, so they come back head first and nothing overtakes.
 */
export async function deliverOrderedBatch(deps: OrderedDeps, messages: OrderedReceived[]): Promise<string[]> {
  const endpoints = new BatchEndpoints(deps.endpoints);
  const lines = new Map<string, Line>();
  for (const received of messages) {
    const message = parseMessage(received.body);
    // An unreadable body cannot name its endpoint: a line of its own, dead-lettered at once.
    const key = message ? message.endpointId : `?${received.messageId}`;
    const line = lines.get(key) ?? [];
    lines.set(key, line);
    line.push({ received, message });
  }
  const kept = await mapWithConcurrency([...lines.values()], deps.concurrency ?? 64, (line) => deliverLine(deps, line, endpoints));
  return kept.flat();
}

async function deliverLine(deps: OrderedDeps, line: Line, endpoints: BatchEndpoints): Promise<string[]> {
  for (const [i, { received, message }] of line.entries()) {
    const rest = line.slice(i);
    let hold: { seconds: number; reason: "retry" | "wait" | "our_failure" };
    try {
      if (!message) {
        await deps.queue.deadLetter(received.body, "unparsable");
        continue;
      }
      const step = await deliverHead(deps, received, message, endpoints);
      if (step.kind === "next") continue;
      hold = step;
    } catch (error) {
      deps.onError?.(received, error);
      // The invocation's time ran out (a batch of slow POSTs): the line comes back at once; any other
      // failure of ours waits a while, since each return costs a receive of the line's budget.
      const outOfTime = error instanceof DependencyError && error.dependency === "time";
      hold = { seconds: outOfTime ? 0 : OUR_FAILURE_HOLD_SECONDS, reason: "our_failure" };
    }
    await holdLine(deps, rest, hold);
    return rest.map((r) => r.received.messageId);
  }
  return [];
}

/** Hides the head and the deliveries behind it until the head's time; if SQS refuses, they come back with the queue's visibility timeout. */
async function holdLine(deps: OrderedDeps, rest: Line, hold: { seconds: number; reason: "retry" | "wait" | "our_failure" }) {
  const head = rest[0];
  try {
    await deps.queue.hold(
      rest.map((r) => r.received.receiptHandle),
      hold.seconds,
    );
  } catch (error) {
    deps.onWarning?.("could not hold an ordered line; it comes back with the queue's visibility timeout", error);
  }
  if (head?.message) {
    const { endpointId, eventId } = head.message;
    deps.onOrdered?.({ kind: "held", endpointId, eventId, seconds: hold.seconds, behind: rest.length - 1, reason: hold.reason });
  }
}
