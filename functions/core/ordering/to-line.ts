import type { DeliveryDeps, ReceivedMessage } from "../delivery/deps.ts";
import { DependencyError } from "../kernel/errors.ts";
import type { DeliveryMessage } from "../kernel/model.ts";

/*
 * A scheduled delivery to an ordered endpoint takes its place in the line when it is due, not
 * when it is queued: the FIFO queue has no per-message delay, so it waits on the standard queue's
 * delay (the routing queue sends it there), and the standard worker, receiving it due, sends it
 * on to the line. Events emitted before it was due go before it, and it holds no line while it waits.
 */

/** Sends a due delivery of an ordered endpoint from the standard queue to its line (no delay: the routing queue puts it on the FIFO queue). */
export async function handToLine(
  deps: Required<Pick<DeliveryDeps, "line">> & Pick<DeliveryDeps, "queue">,
  received: ReceivedMessage,
  message: DeliveryMessage,
): Promise<"done"> {
  const [unsent] = await deps.line.send([message]);
  // Not taken for now: the standard queue gives it back and it is handed over again (the FIFO
  // queue's deduplication id keeps a repeat within five minutes from queueing it twice).
  if (unsent && !unsent.permanent) throw new DependencyError("sqs", `the ordered queue did not take a due delivery: ${unsent.reason}`);
  if (unsent) await deps.queue.deadLetter(received.body, "unsendable");
  return "done";
}
