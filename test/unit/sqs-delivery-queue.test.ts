import type { SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messageGroup, SqsDeliveryQueue } from "../../functions/adapters/sqs/sqs-delivery-queue.ts";
import { SqsRequeue } from "../../functions/adapters/sqs/sqs-requeue.ts";
import { parseConfig } from "../../functions/core/config/config.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { queueText } from "../../functions/core/kernel/queue-text.ts";

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

/** What SQS and its emulator accept in a message body (the emulator refuses astral characters too). */
const SQS_TEXT = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD]*$/;

/** Any string, with the characters SQS refuses (U+FFFE, U+FFFF, lone surrogates, astral characters) made common. */
const anyText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc
    .array(fc.constantFrom("\uFFFE", "\uFFFF", "\uD800", "\uDFFF", "\u{1F600}", "\u0000", "\u2028", "a", '"', "\\"), { maxLength: 20 })
    .map((a) => a.join("")),
);

describe("the text of a queue message", () => {
  it("holds no character SQS refuses, and parses back to the same message, whatever the payload holds", () => {
    fc.assert(
      fc.property(anyText, fc.jsonValue(), (text, extra) => {
        const m = { ...message("evt_1", "t"), body: JSON.stringify({ text, extra }) };
        const sent = queueText(JSON.stringify(m));
        expect(SQS_TEXT.test(sent)).toBe(true);
        expect(JSON.parse(sent)).toEqual(m);
        // Escaping is done once: the text of a received message is sent again as it is.
        expect(queueText(sent)).toBe(sent);
      }),
      { numRuns: 500 },
    );
  });

  it("is what the adapter sends, to the delivery queue and to the dead-letter queue", async () => {
    const { client, batches, singles } = scriptedClient(() => undefined);
    const queue = new SqsDeliveryQueue(client, "http://127.0.0.1:1/q", "http://127.0.0.1:1/dlq", true);
    const m = { ...message("evt_1", "t"), body: JSON.stringify({ s: "\uFFFF\u{1F600}" }) };
    expect(await queue.send([m])).toEqual([]);
    await queue.deadLetter(JSON.stringify(m), "exhausted");
    for (const body of [batches[0]?.Entries?.[0]?.MessageBody, singles[0]?.MessageBody]) {
      expect(SQS_TEXT.test(body ?? "")).toBe(true);
      expect(JSON.parse(body ?? "")).toEqual(m);
    }
  });
});

/** The codes with which SQS refuses the message itself, and codes of failures that may pass. */
const REFUSALS = ["InvalidMessageContents", "BatchRequestTooLong", "InvalidParameterValue", "MessageTooLong"];
const PASSING = [
  "RequestThrottled",
  "ThrottlingException",
  "KmsThrottled",
  "KmsDisabled",
  "KmsAccessDenied",
  "AccessDenied",
  "QueueDoesNotExist",
  "InternalError",
  "ServiceUnavailable",
  "TimeoutError",
  "ECONNRESET",
];

/**
 * An SQS client whose answer to each SendMessageBatch entry `script` decides: undefined accepts it,
 * {entry} fails the entry with that code and SenderFault, {thrown} throws that error for the whole request.
 */
function scriptedClient(
  script: (body: string, batchSize: number) => { entry?: [string, boolean]; thrown?: [string, "client" | "server"] } | undefined,
) {
  const batches: SendMessageBatchCommand["input"][] = [];
  const singles: { MessageBody?: string }[] = [];
  const client = {
    send: async (command: SendMessageBatchCommand | { input: { MessageBody?: string } }) => {
      if (!("Entries" in command.input)) {
        singles.push(command.input);
        return {};
      }
      const input = (command as SendMessageBatchCommand).input;
      batches.push(input);
      const entries = input.Entries ?? [];
      const answers = entries.map((e) => script(e.MessageBody ?? "", entries.length));
      const thrown = answers.find((a) => a?.thrown)?.thrown;
      if (thrown) throw Object.assign(new Error(`${thrown[0]} from the fake`), { name: thrown[0], $fault: thrown[1] });
      const failed = entries.flatMap((e, i) => {
        const entry = answers[i]?.entry;
        return entry ? [{ Id: e.Id, Code: entry[0], SenderFault: entry[1], Message: "from the fake" }] : [];
      });
      return { Successful: [], Failed: failed };
    },
  } as unknown as SQSClient;
  return { client, batches, singles };
}

describe("what the adapter reports of messages SQS did not take", () => {
  it("calls a refusal permanent only when the sender is at fault and the code names the message, entry by entry or for the whole batch", async () => {
    const failure = fc.record({
      code: fc.constantFrom(...REFUSALS, ...PASSING),
      senderFault: fc.boolean(),
      whole: fc.boolean(),
    });
    await fc.assert(
      // Half the plans fail entries only, so that every message is judged; the other half also fail whole batches.
      fc.asyncProperty(
        fc.array(fc.option(failure, { nil: undefined }), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        async (drawn, wholeToo) => {
          const plan = drawn.map((f) => (f && !wholeToo ? { ...f, whole: false } : f));
          const messages = plan.map((_, i) => message(`evt_${i}`, "t"));
          const planOf = (body: string) => plan[Number((JSON.parse(body) as DeliveryMessage).eventId.slice(4))];
          const { client } = scriptedClient((body) => {
            const f = planOf(body);
            if (!f) return undefined;
            return f.whole ? { thrown: [f.code, f.senderFault ? "client" : "server"] } : { entry: [f.code, f.senderFault] };
          });
          const queue = new SqsDeliveryQueue(client, "http://127.0.0.1:1/q", "http://127.0.0.1:1/dlq", true);
          const unsent = await queue.send(messages);
          const refusedForGood = (f: NonNullable<(typeof plan)[number]>) => f.senderFault && REFUSALS.includes(f.code);
          // A whole batch failing for now leaves every message in it to be sent again: none can be judged then.
          const batchFailsForNow = plan.some((f) => f?.whole && !refusedForGood(f));
          for (const [i, f] of plan.entries()) {
            const reported = unsent.find((u) => u.index === i);
            if (reported?.permanent) expect(f && refusedForGood(f) && reported.reason.startsWith(f.code)).toBe(true);
            if (f) expect(reported).toBeDefined();
            if (batchFailsForNow) continue;
            if (f === undefined) expect(reported).toBeUndefined();
            else expect(reported?.permanent).toBe(refusedForGood(f));
          }
          // No message is reported twice.
          expect(new Set(unsent.map((u) => u.index)).size).toBe(unsent.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
