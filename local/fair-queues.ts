/*
 * SQS fair queues, emulated in fauxqs. In AWS a standard queue whose messages carry a MessageGroupId
 * is a fair queue: when one tenant (message group) holds a disproportionate share of the messages in
 * flight, consumers are handed the quiet tenants' messages first, so one tenant's backlog does not
 * hold back everybody else's. The dispatcher relies on that for tenant fairness (each delivery
 * carries its tenant as MessageGroupId), and fauxqs ignores MessageGroupId on standard queues, so the
 * local stack adds the documented rule to fauxqs' receive:
 *   - a tenant is noisy when it holds more than 10 % of the queue's messages in flight and at least
 *     30 of its own;
 *   - quiet tenants' messages, and messages without a group (each its own tenant), go first, in queue
 *     order; then the noisy tenants', the one with the fewest in flight first.
 * AWS also flags a tenant by its share of recent processing time, and stops flagging it after five
 * quiet minutes; neither is emulated. FIFO queues are left as they are.
 */

/** What the rule reads of a queued message. */
export interface GroupedMessage {
  messageGroupId?: string;
}

const NOISY_SHARE = 0.1;
const NOISY_MIN_IN_FLIGHT = 30;

/**
 * The visible messages reordered so that the next receive of `count` takes what a fair queue would
 * hand out: answers `messages` itself when no tenant is noisy.
 */
export function fairOrder<M extends GroupedMessage>(messages: M[], inFlight: Iterable<GroupedMessage>, count: number): M[] {
  if (messages.length <= count) return messages;
  const held = new Map<string, number>();
  let total = 0;
  for (const message of inFlight) {
    total++;
    if (message.messageGroupId !== undefined) held.set(message.messageGroupId, (held.get(message.messageGroupId) ?? 0) + 1);
  }
  const noisy = new Set([...held].filter(([, n]) => n > total * NOISY_SHARE && n >= NOISY_MIN_IN_FLIGHT).map(([group]) => group));
  if (noisy.size === 0) return messages;
  const isNoisy = (m: M) => m.messageGroupId !== undefined && noisy.has(m.messageGroupId);
  const quiet = messages.filter((m) => !isNoisy(m));
  if (quiet.length === 0 && noisy.size === 1) return messages;
  const byHeld = [...noisy].sort((a, b) => (held.get(a) ?? 0) - (held.get(b) ?? 0));
  return [...quiet, ...byHeld.flatMap((group) => messages.filter((m) => m.messageGroupId === group))];
}

/** The parts of fauxqs the emulation uses (fauxqs is pinned exactly; see emulators.ts). */
interface FauxqsQueue {
  isFifo(): boolean;
  processTimers(): void;
  messages: GroupedMessage[];
  inflightMessages: Map<string, { message: GroupedMessage }>;
  dequeue(maxCount: number, ...rest: unknown[]): unknown;
}
type Created = GroupedMessage & { messageId: string };
type Action = (body: SendBody, ...rest: unknown[]) => unknown;
interface SendBody {
  MessageGroupId?: string;
  Entries?: { Id: string; MessageGroupId?: string }[];
}
export interface FauxqsClasses {
  SqsQueue: { prototype: object };
  SqsStore: { createMessage(...args: unknown[]): unknown };
  SqsRouter: { prototype: object };
}

const PATCHED = Symbol.for("hookrelay.fairQueues");

/**
 * Makes fauxqs' standard queues fair queues (once per process). fauxqs drops MessageGroupId on a
 * standard queue's message, so its send actions are wrapped to put it back on the messages they
 * create (the actions are synchronous: nothing else creates a message meanwhile), and its receive
 * takes messages in the order `fairOrder` gives.
 */
export function emulateFairQueues(classes: FauxqsClasses): void {
  const queue = classes.SqsQueue.prototype as FauxqsQueue & { [PATCHED]?: true };
  if (queue[PATCHED]) return;
  queue[PATCHED] = true;
  const dequeue = queue.dequeue;
  queue.dequeue = function (this: FauxqsQueue, maxCount: number, ...rest: unknown[]) {
    if (!this.isFifo()) {
      // Delayed messages whose time has come join the visible ones first, as fauxqs' own receive does.
      this.processTimers();
      const inFlight = [...this.inflightMessages.values()].map((entry) => entry.message);
      this.messages = fairOrder(this.messages, inFlight, Math.min(maxCount, 10));
    }
    return dequeue.call(this, maxCount, ...rest);
  };

  let created: Created[] | undefined;
  const createMessage = classes.SqsStore.createMessage;
  classes.SqsStore.createMessage = function (this: unknown, ...args: unknown[]) {
    const message = createMessage.apply(this, args) as Created;
    created?.push(message);
    return message;
  };
  const router = classes.SqsRouter.prototype as { register(action: string, handler: Action): void };
  const register = router.register;
  router.register = function (this: unknown, action: string, handler: Action) {
    if (action !== "SendMessage" && action !== "SendMessageBatch") return register.call(this, action, handler);
    return register.call(this, action, (body: SendBody, ...rest: unknown[]) => {
      created = [];
      try {
        const result = handler(body, ...rest) as { MessageId?: string; Successful?: { Id: string; MessageId: string }[] };
        const groupOf = new Map<string, string | undefined>(
          action === "SendMessage"
            ? [[result.MessageId ?? "", body.MessageGroupId]]
            : (result.Successful ?? []).map((ok) => [ok.MessageId, body.Entries?.find((e) => e.Id === ok.Id)?.MessageGroupId]),
        );
        for (const message of created) message.messageGroupId ??= groupOf.get(message.messageId);
        return result;
      } finally {
        created = undefined;
      }
    });
  };
}
