import type { AttemptSummary } from "../kernel/model.ts";
import type { DeliveryLog } from "./deps.ts";

/**
 * The delivery log with concurrent reads of one endpoint's newest attempts shared. After a failure
 * the worker reads the endpoint's newest attempts to count its run of failures (a read that merges
 * the attempt list's 16 shards). When a wave of POSTs to one dead endpoint times out at once, every
 * failure of the wave would make that read at the same moment; with this, the failures that find a
 * read of the same endpoint in flight take its answer instead. That answer may miss an attempt
 * recorded after it began, which can only delay a transition (dating the run, opening the circuit)
 * to the next failure, never make one the log does not show. A read asked for after one settles
 * starts afresh; paged and filtered reads are never shared.
 */
export function sharingNewestReads(log: DeliveryLog): DeliveryLog {
  const inFlight = new Map<string, ReturnType<DeliveryLog["byEndpoint"]>>();
  const recentInFlight = new Map<string, Promise<AttemptSummary[]>>();
  const recentOfEndpoint = log.recentOfEndpoint?.bind(log);
  return {
    record: (...args) => log.record(...args),
    ofDelivery: (...args) => log.ofDelivery(...args),
    ...(log.flushLists && { flushLists: () => log.flushLists?.() ?? Promise.resolve() }),
    ...(log.listAgain && { listAgain: (attempt) => log.listAgain?.(attempt) }),
    ...(recentOfEndpoint && {
      recentOfEndpoint(endpointId: string, limit: number) {
        const key = `${endpointId}\n${limit}`;
        let read = recentInFlight.get(key);
        if (!read) {
          read = recentOfEndpoint(endpointId, limit).finally(() => recentInFlight.delete(key));
          recentInFlight.set(key, read);
        }
        return read;
      },
    }),
    byEndpoint(endpointId, limit, cursor, status) {
      if (cursor !== undefined || status !== undefined) return log.byEndpoint(endpointId, limit, cursor, status);
      const key = `${endpointId}\n${limit}`;
      let read = inFlight.get(key);
      if (!read) {
        read = log.byEndpoint(endpointId, limit).finally(() => inFlight.delete(key));
        inFlight.set(key, read);
      }
      return read;
    },
  };
}
