import type { OrderedEvent } from "./ordered-deps.ts";

/** The log line of an ordered-line event: a given-up delivery is named so that a receiver's owner can reconcile. */
export function orderedLine(event: OrderedEvent): string {
  switch (event.kind) {
    case "held":
      return "ordered endpoint held: its head waits and the deliveries behind it wait unattempted";
    case "given_up":
      return "ordered delivery given up: the next delivery to the endpoint goes";
    case "stuck":
      return "ordered endpoint stuck near the queue's retention: disabled, the deliveries behind are recorded skipped";
  }
}
