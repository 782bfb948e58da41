import { describe, expect, it } from "vitest";
import type { DeliveryLog } from "../../functions/core/delivery/deps.ts";
import { sharingNewestReads } from "../../functions/core/delivery/shared-reads.ts";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";

/** A log whose reads wait until released, counting the reads that reach it. */
function slowLog() {
  const reads: string[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const log: DeliveryLog = {
    record: async () => undefined as never,
    ofDelivery: async () => [],
    byEndpoint: async (endpointId, limit, cursor, status) => {
      reads.push([endpointId, limit, cursor ?? "-", status ?? "-"].join(" "));
      await gate;
      return { items: [{ endpointId } as AttemptRecord] };
    },
  };
  return {
    log,
    reads,
    release: () => {
      release();
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  };
}

describe("sharing reads of an endpoint's newest attempts", () => {
  it("answers concurrent reads of one endpoint with one read, and reads afresh once it has settled", async () => {
    const { log, reads, release } = slowLog();
    const shared = sharingNewestReads(log);
    const wave = [shared.byEndpoint("ep_1", 10), shared.byEndpoint("ep_1", 10), shared.byEndpoint("ep_1", 10)];
    release();
    const answers = await Promise.all(wave);
    expect(answers.map((a) => a.items[0]?.endpointId)).toEqual(["ep_1", "ep_1", "ep_1"]);
    expect(reads).toEqual(["ep_1 10 - -"]);
    const later = shared.byEndpoint("ep_1", 10);
    release();
    await later;
    expect(reads).toEqual(["ep_1 10 - -", "ep_1 10 - -"]);
  });

  it("never shares reads of other endpoints, other sizes, pages or filters", async () => {
    const { log, reads, release } = slowLog();
    const shared = sharingNewestReads(log);
    const all = [
      shared.byEndpoint("ep_1", 10),
      shared.byEndpoint("ep_2", 10),
      shared.byEndpoint("ep_1", 4),
      shared.byEndpoint("ep_1", 10, "cursor"),
      shared.byEndpoint("ep_1", 10, undefined, "failed"),
      shared.byEndpoint("ep_1", 10, undefined, "failed"),
    ];
    release();
    await Promise.all(all);
    expect(reads).toEqual(["ep_1 10 - -", "ep_2 10 - -", "ep_1 4 - -", "ep_1 10 cursor -", "ep_1 10 - failed", "ep_1 10 - failed"]);
  });

  it("hands a failed read's error to every reader that shared it, and reads afresh after it", async () => {
    let calls = 0;
    const log: DeliveryLog = {
      record: async () => undefined as never,
      ofDelivery: async () => [],
      byEndpoint: async () => {
        calls++;
        if (calls === 1) throw new Error("DynamoDB unreachable");
        return { items: [] };
      },
    };
    const shared = sharingNewestReads(log);
    const wave = await Promise.allSettled([shared.byEndpoint("ep_1", 10), shared.byEndpoint("ep_1", 10)]);
    expect(wave.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await shared.byEndpoint("ep_1", 10)).toEqual({ items: [] });
    expect(calls).toBe(2);
  });

  it("shares concurrent summary reads (the breaker's count) the same way, one per endpoint and size", async () => {
    const reads: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log: DeliveryLog = {
      record: async () => undefined as never,
      ofDelivery: async () => [],
      byEndpoint: async () => ({ items: [] }),
      recentOfEndpoint: async (endpointId, limit) => {
        reads.push(`${endpointId} ${limit}`);
        await gate;
        return [];
      },
    };
    const shared = sharingNewestReads(log);
    const wave = [
      shared.recentOfEndpoint?.("ep_1", 10),
      shared.recentOfEndpoint?.("ep_1", 10),
      shared.recentOfEndpoint?.("ep_2", 10),
      shared.recentOfEndpoint?.("ep_1", 4),
    ];
    release();
    await Promise.all(wave);
    expect(reads).toEqual(["ep_1 10", "ep_2 10", "ep_1 4"]);
  });
});
