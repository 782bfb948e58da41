import type { DeliveryDeps, ReceivedMessage, RetryControl } from "../delivery/deps.ts";

/*
 * The ordered consumer's ports and settings: a leaf that its modules import. It reuses the delivery
 * worker's services (delivery/deps.ts) and adds the ordered queue's own control.
 */

/** The ordered FIFO queue as its consumer drives it. */
export interface OrderedLine extends RetryControl {
  /**
   * Keeps the received messages hidden for `seconds` from now (0 to 43,200): a waiting head and the
   * deliveries held back behind it come back together, head first, when it is time for its retry.
   */
  hold(receiptHandles: string[], seconds: number): Promise<void>;
}

/** A message of the ordered queue: when SQS took it (SentTimestamp) says how close it is to the queue's retention. */
export interface OrderedReceived extends ReceivedMessage {
  sentAtMs: number;
}

/** What the ordered consumer tells its wiring (a log line and a metric each); none changes what it does. */
export type OrderedEvent =
  /** The head waits (a retry, Retry-After, an open circuit, the rate limit) and holds back `behind` deliveries of its batch. */
  | { kind: "held"; endpointId: string; eventId: string; seconds: number; behind: number; reason: "retry" | "wait" | "our_failure" }
  /** The head was given up (exhausted, 410, or out of receives): the next delivery goes. */
  | { kind: "given_up"; endpointId: string; eventId: string; messageId: string | undefined; reason: string }
  /** A delivery waited so long that the queue's retention would soon delete it: the endpoint is disabled. */
  | { kind: "stuck"; endpointId: string; eventId: string; waitedMs: number };

/**
 * The ordered consumer's dependencies: the delivery worker's (its `queue` is the ordered line,
 * whose dead-letter sends go to the standard dead-letter queue) and the line itself.
 */
export type OrderedDeps = Omit<DeliveryDeps, "queue" | "lane" | "slowLane" | "onLaneMove" | "requeue" | "recovery" | "line"> & {
  queue: OrderedLine;
  /** The ordered queue's retention in seconds: a delivery older than this less STUCK_MARGIN disables its endpoint. */
  retentionSeconds: number;
  onOrdered?: (event: OrderedEvent) => void;
};
