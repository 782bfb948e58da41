import type { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { SqsDeliveryQueue } from "../../functions/adapters/sqs-delivery-queue.ts";
import type { DeliveryMessage } from "../../functions/core/model.ts";

/** An SQS client that keeps each SendMessageBatch's input and accepts every entry. */
function recordingClient() {
  const batches: SendMessageBatchCommand["input"][] = [];
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      batches.push(command.input);
      return { Successful: command.input.Entries?.map((e) => ({ Id: e.Id })), Failed: [] };
    },
  } as unknown as SQSClient;
  return { client, batches };
}

const message = (eventId: string, tenantId: string): DeliveryMessage => ({
  v: 1,
  eventId,
  endpointId: "ep_1",
  tenantId,
  type: "invoice.paid",
  createdAt: "2026-12-02T01:00:00.000Z",
  body: "{}",
});

describe("sending delivery messages", () => {
  it("names each message's tenant as its MessageGroupId, so that a fair queue serves tenants apart", async () => {
    const { client, batches } = recordingClient();
    const queue = new SqsDeliveryQueue(client, "http://127.0.0.1:1/q", "http://127.0.0.1:1/dlq");
    const messages = Array.from({ length: 12 }, (_, i) => message(`evt_${i}`, i % 3 === 0 ? "tenant-b" : "tenant-a"));
    expect(await queue.send(messages)).toEqual([]);
    const entries = batches.flatMap((b) => b.Entries ?? []);
    expect(entries).toHaveLength(12);
    for (const entry of entries) {
      const sent = JSON.parse(entry.MessageBody as string) as DeliveryMessage;
      expect(entry.MessageGroupId).toBe(sent.tenantId);
    }
    expect(new Set(entries.map((e) => e.MessageGroupId))).toEqual(new Set(["tenant-a", "tenant-b"]));
  });
});
