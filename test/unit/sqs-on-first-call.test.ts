import { GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { type SqsSender, sqsOnFirstCall } from "../../functions/adapters/lambda/aws-clients.ts";

/** A client that answers every command with its own name and the command's input, counting its calls. */
function recordingClient(sent: unknown[]): SqsSender {
  return {
    send: (async (command: { input: unknown }) => {
      sent.push(command.input);
      return { answered: command.input };
    }) as unknown as SQSClient["send"],
  };
}

describe("the SQS client made on its first call", () => {
  it("makes no client until a command is sent, then one client for every command, each answer passed back", async () => {
    const sent: unknown[] = [];
    let made = 0;
    const sqs = sqsOnFirstCall(undefined, () => {
      made += 1;
      return recordingClient(sent);
    });
    expect(made).toBe(0);
    const first = await sqs.send(new GetQueueUrlCommand({ QueueName: "first" }));
    const second = await sqs.send(new GetQueueUrlCommand({ QueueName: "second" }));
    expect(made).toBe(1);
    expect(sent).toEqual([{ QueueName: "first" }, { QueueName: "second" }]);
    expect([first, second]).toEqual([{ answered: { QueueName: "first" } }, { answered: { QueueName: "second" } }]);
  });
});
