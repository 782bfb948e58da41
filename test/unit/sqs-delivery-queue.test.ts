import type { SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messageGroup, SqsDeliveryQueue } from "../../functions/adapters/sqs-delivery-queue.ts";
import { SqsRequeue } from "../../functions/adapters/sqs-requeue.ts";
import { parseConfig } from "../../functions/core/config.ts";
import type { DeliveryMessage } from "../../functions/core/model.ts";

/** An SQS client that keeps each command's input and accepts every entry. */
function recordingClient() {
  const inputs: (SendMessageBatchCommand["input"] & SendMessageCommand["input"])[] = [];
  const client = {
    send: async (command: SendMessageBatchCommand | SendMessageCommand) => {
      const input = command.input as SendMessageBatchCommand["input"] & SendMessageCommand["input"];
      inputs.push(input);
      return { Successful: input.Entries?.map((e) => ({ Id: e.Id })), Failed: [] };
    },
  } as unknown as SQSClient;
  return { client, inputs };
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

/** The minimum environment parseConfig needs, with FAIR_QUEUES as given (undefined: unset). */
const configWith = (fairQueues: string | undefined) =>
  parseConfig({
    TABLE_NAME: "t",
    DELIVERY_QUEUE_URL: "http://127.0.0.1:1/q",
    DEAD_LETTER_QUEUE_URL: "http://127.0.0.1:1/dlq",
    ...(fairQueues !== undefined && { FAIR_QUEUES: fairQueues }),
  });

/** Tenant ids as the API accepts them, and batches of messages of a few tenants, past one SQS batch. */
const tenant = fc.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/);
const batch = fc
  .tuple(fc.uniqueArray(tenant, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 35 }))
  .map(([tenants, picks]) => picks.map((pick, i) => message(`evt_${i}`, tenants[pick % tenants.length] as string)));
/** FAIR_QUEUES as the environment spells it. */
const setting = fc.constantFrom("true", "false");

describe("sending delivery messages", () => {
  it("names each message's tenant as its MessageGroupId when FAIR_QUEUES is true, and none when it is false", async () => {
    await fc.assert(
      fc.asyncProperty(setting, batch, async (raw, messages) => {
        const { fairQueues } = configWith(raw);
        const { client, inputs } = recordingClient();
        const queue = new SqsDeliveryQueue(client, "http://127.0.0.1:1/q", "http://127.0.0.1:1/dlq", fairQueues);
        expect(await queue.send(messages)).toEqual([]);
        const entries = inputs.flatMap((b) => b.Entries ?? []);
        expect(entries).toHaveLength(messages.length);
        for (const entry of entries) {
          const sent = JSON.parse(entry.MessageBody as string) as DeliveryMessage;
          if (raw === "true") expect(entry.MessageGroupId).toBe(sent.tenantId);
          else expect(entry).not.toHaveProperty("MessageGroupId");
        }
      }),
      { numRuns: 200 },
    );
  });

  it("sends a waiting copy with its tenant as MessageGroupId only when FAIR_QUEUES is true", async () => {
    await fc.assert(
      fc.asyncProperty(setting, fc.option(tenant, { nil: undefined }), fc.integer({ min: 0, max: 900 }), async (raw, tenantId, delay) => {
        const { client, inputs } = recordingClient();
        await new SqsRequeue(client, "http://127.0.0.1:1/q", configWith(raw).fairQueues).later("{}", delay, tenantId);
        const [input] = inputs;
        expect(input?.DelaySeconds).toBe(delay);
        if (raw === "true" && tenantId !== undefined) expect(input?.MessageGroupId).toBe(tenantId);
        else expect(input).not.toHaveProperty("MessageGroupId");
      }),
      { numRuns: 200 },
    );
  });

  it("defaults FAIR_QUEUES to true in the functions, and refuses anything but true or false", () => {
    expect(configWith(undefined).fairQueues).toBe(true);
    expect(messageGroup(true, "tenant-a")).toEqual({ MessageGroupId: "tenant-a" });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s !== "true" && s !== "false"),
        (raw) => {
          expect(() => configWith(raw)).toThrow(/FAIR_QUEUES must be true or false/);
        },
      ),
    );
  });
});
