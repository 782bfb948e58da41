/**
 * The push path's store calls per item, counted on the in-memory ports (no emulator, no clock
 * noise): the websocket stage's shape, batches of 10 appended and pushed as the table's stream does,
 * a consumer acking every `ackEvery`-th item. What a loaded machine cannot show in latency shows here.
 */
import { connect, pushEndpoint, receive } from "../../functions/core/push/session.ts";
import { memoryPushDeps } from "../../test/support/push-deps.ts";

/** Calls per pushed item, by port method (`connections.get`, `feed.head`, …), and their total. */
export interface PushCalls {
  items: number;
  ackEvery: number;
  perItem: Record<string, number>;
  totalPerItem: number;
}

/** Pushes `total` items to one connection and counts the store calls it took. */
export async function countPushCalls(total: number, ackEvery: number): Promise<PushCalls> {
  const t = memoryPushDeps();
  await t.init();
  const counts = new Map<string, number>();
  const counted = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const key = `${name}.${String(property)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return value.apply(object, args);
        };
      },
    });
  const deps = {
    ...t.deps,
    connections: counted("connections", t.deps.connections),
    feed: counted("feed", t.deps.feed),
    endpoints: counted("endpoints", t.deps.endpoints),
  };
  await connect(deps, "bench");
  await receive(deps, "bench", JSON.stringify({ action: "subscribe", endpointId: "ep_1", authorization: "Bearer admin-key" }));
  counts.clear();
  const items = () => (t.deps.channel.of("bench") as { type: string; cursor?: string }[]).filter((f) => f.type === "item");
  let handled = 0;
  for (let first = 0; first < total; first += 10) {
    for (let k = 0; k < Math.min(10, total - first); k++) await t.append();
    await pushEndpoint(deps, "ep_1");
    const got = items();
    for (; handled < got.length; handled++) {
      if ((handled + 1) % ackEvery === 0 || handled === got.length - 1) {
        await receive(deps, "bench", JSON.stringify({ action: "ack", cursor: got[handled]?.cursor }));
      }
    }
    t.deps.clock.advance(100);
  }
  const pushed = items().length;
  const perItem = Object.fromEntries([...counts].sort().map(([key, n]) => [key, Math.round((n / pushed) * 100) / 100]));
  const totalPerItem = Math.round(([...counts.values()].reduce((a, b) => a + b, 0) / pushed) * 100) / 100;
  return { items: pushed, ackEvery, perItem, totalPerItem };
}
