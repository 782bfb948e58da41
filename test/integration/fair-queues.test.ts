import {
  CreateQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startSqs } from "../../local/emulators.ts";
import { fairOrder } from "../../local/fair-queues.ts";

/*
 * The local SQS emulator serves standard queues as SQS fair queues: a tenant (MessageGroupId) that
 * holds more than 10 % of the messages in flight and at least 30 of its own is noisy, and the quiet
 * tenants' messages are handed out ahead of its backlog.
 */
describe("the fair-queue rule", () => {
  const msg = (group: string | undefined, n: number) => ({ ...(group !== undefined && { messageGroupId: group }), n });
  const inFlight = (group: string, count: number) => Array.from({ length: count }, () => ({ messageGroupId: group }));

  it("leaves the order alone while no tenant is noisy", () => {
    const messages = [msg("a", 1), msg("a", 2), msg("b", 3)];
    expect(fairOrder(messages, inFlight("a", 29), 1)).toBe(messages);
  });

  it("puts quiet tenants, and messages without a group, ahead of a noisy tenant's backlog", () => {
    const messages = [msg("a", 1), msg("a", 2), msg(undefined, 3), msg("a", 4), msg("b", 5)];
    expect(fairOrder(messages, inFlight("a", 30), 2).map((m) => m.n)).toEqual([3, 5, 1, 2, 4]);
  });

  it("serves the noisy tenant with the fewest messages in flight first", () => {
    const messages = [msg("a", 1), msg("b", 2), msg("a", 3), msg("b", 4)];
    const held = [...inFlight("a", 50), ...inFlight("b", 40)];
    expect(fairOrder(messages, held, 1).map((m) => m.n)).toEqual([2, 4, 1, 3]);
  });
});

describe("fauxqs with the rule", () => {
  let sqs: Emulator;
  let client: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    sqs = await startSqs(undefined);
    client = new SQSClient({
      endpoint: sqs.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      useQueueUrlAsEndpoint: false,
    });
    queueUrl = (await client.send(new CreateQueueCommand({ QueueName: "fair", Attributes: { VisibilityTimeout: "60" } })))
      .QueueUrl as string;
  });
  afterAll(async () => {
    client?.destroy();
    await sqs?.stop();
  });

  const receive = async (): Promise<Message[]> =>
    (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];

  it("hands a quiet tenant's message out ahead of a noisy tenant's backlog", async () => {
    for (let batch = 0; batch < 10; batch++) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: String(i),
            MessageBody: `a-${batch * 10 + i}`,
            MessageGroupId: "tenant-a",
          })),
        }),
      );
    }
    // Tenant A's first 40 are in flight: it is noisy. Without the rule B's message would come after A's other 60.
    const held: Message[] = [];
    for (let i = 0; i < 4; i++) held.push(...(await receive()));
    expect(held.map((m) => m.Body)).toEqual(Array.from({ length: 40 }, (_, i) => `a-${i}`));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "b-0", MessageGroupId: "tenant-b" }));
    const next = await receive();
    expect(next.map((m) => m.Body)).toEqual(["b-0", ...Array.from({ length: 9 }, (_, i) => `a-${40 + i}`)]);
  });
});
