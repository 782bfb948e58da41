import type { EndpointLookup } from "../delivery/deps.ts";
import type { DeliveryMessage } from "../kernel/model.ts";
import type { DeliveryQueue, Unsent } from "../kernel/ports.ts";
import { isOrdered } from "./ordering-rules.ts";

/** Ordering is fixed at creation, so what is learnt of an endpoint stays true; the cache only bounds memory. */
const KNOWN_LIMIT = 10_000;

/**
 * The delivery queue every sender uses (intake, the sweeper, replay, recovery, operational events):
 * deliveries to ordered endpoints go to the ordered FIFO queue, in the order given, the rest to
 * the standard queue. Whether an endpoint is ordered is read once per container (a consistent read)
 * and remembered; an endpoint not found is not remembered (a deleted one never comes back).
 */
export class OrderedRouting implements DeliveryQueue {
  private readonly standard: DeliveryQueue;
  private readonly ordered: DeliveryQueue;
  private readonly endpoints: EndpointLookup;
  private readonly known = new Map<string, boolean>();

  constructor(standard: DeliveryQueue, ordered: DeliveryQueue, endpoints: EndpointLookup) {
    this.standard = standard;
    this.ordered = ordered;
    this.endpoints = endpoints;
  }

  /**
   * Sends each message to its queue; the answer's indexes are those of `messages`. `delaySeconds`
   * (a near scheduled message's) goes with the standard queue's messages. The FIFO queue takes no
   * per-message delay, so an ordered endpoint's delayed message goes to the standard queue too, and
   * the standard worker sends it on to the line when it is due (functions/core/ordering/to-line.ts).
   */
  async send(messages: DeliveryMessage[], delaySeconds?: readonly number[]): Promise<Unsent[]> {
    const ordered = await this.orderedAmong([...new Set(messages.map((m) => m.endpointId))]);
    const split: Record<"standard" | "ordered", { messages: DeliveryMessage[]; index: number[] }> = {
      standard: { messages: [], index: [] },
      ordered: { messages: [], index: [] },
    };
    messages.forEach((message, i) => {
      // A delayed one (a scheduled delivery due soon) waits on the standard queue's delay, whose
      // worker hands it to the line when due: it takes its place then, not before (docs/ordering.md).
      const toLine = ordered.has(message.endpointId) && (delaySeconds?.[i] ?? 0) === 0;
      const part = split[toLine ? "ordered" : "standard"];
      part.messages.push(message);
      part.index.push(i);
    });
    const answers = await Promise.all(
      (["standard", "ordered"] as const).map(async (name) => {
        const { messages: some, index } = split[name];
        if (some.length === 0) return [];
        const sent =
          name === "ordered"
            ? await this.ordered.send(some)
            : await this.standard.send(some, delaySeconds && index.map((i) => delaySeconds[i] ?? 0));
        return sent.map((u) => ({ ...u, index: index[u.index] as number }));
      }),
    );
    return answers.flat();
  }

  /** Dead-letter notices (unsendable events) go to the standard dead-letter queue, as before. */
  deadLetter(body: string, reason: string): Promise<void> {
    return this.standard.deadLetter(body, reason);
  }

  private async orderedAmong(ids: string[]): Promise<Set<string>> {
    const unknown = ids.filter((id) => !this.known.has(id));
    const found = await Promise.all(unknown.map((id) => this.endpoints.get(id)));
    if (this.known.size + unknown.length > KNOWN_LIMIT) this.known.clear();
    found.forEach((endpoint, i) => {
      if (endpoint) this.known.set(unknown[i] as string, isOrdered(endpoint));
    });
    return new Set(ids.filter((id) => this.known.get(id) === true || isOrdered(found[unknown.indexOf(id)])));
  }
}
