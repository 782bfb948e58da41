import type { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SqsDeliveryQueue } from "../../functions/adapters/sqs-delivery-queue.ts";
import type { DeliveryMessage } from "../../functions/core/model.ts";
import { queueText } from "../../functions/core/queue-text.ts";

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
    const queue = new SqsDeliveryQueue(client, "http://127.0.0.1:1/q", "http://127.0.0.1:1/dlq");
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
          const queue = new SqsDeliveryQueue(client, "http://127.0.0.1:1/q", "http://127.0.0.1:1/dlq");
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
