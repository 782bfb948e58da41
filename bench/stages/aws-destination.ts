import http from "node:http";
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";

/*
 * Deliveries per second into a local SQS destination (fauxqs playing the customer's queue) through
 * the whole local pipeline (API, queue, worker, table), against the emulator's own limit for the same
 * sends (SendMessage of the same body and four attributes, 10 at a time) measured in the same run,
 * and what a million such deliveries cost beyond a webhook's.
 */

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
/** SQS standard, per million requests (us-east-1); each 64 KB chunk of a message is a request. Billed to the queue's owner. */
const SQS_PER_MILLION = 0.4;

export interface AwsDestinationResult {
  events: number;
  deliveriesPerSecond: number;
  /** The same pipeline, the same run, into a webhook receiver on loopback: what the destination's send step costs beside a POST. */
  webhookDeliveriesPerSecond: number;
  emulatorSendsPerSecond: number;
  /** deliveriesPerSecond / emulatorSendsPerSecond. */
  ratio: number;
  cost: { customerSqsPerMillion: number; stsPerMillion: number; note: string };
}

/** Runs the stage: `events` deliveries through the pipeline, then as many bare sends. */
export async function benchAwsDestination(events: number, progress: (line: string) => void): Promise<AwsDestinationResult> {
  const stack: LocalStack = await startLocalStack({
    port: 0,
    dataDir: undefined,
    deadLetterConsumer: false,
    concurrency: 10,
    deliverAutomatically: true,
    faultInjection: false,
    sweepIntervalMs: false,
    log: () => undefined,
  });
  try {
    const sqs = new SQSClient({ endpoint: stack.customer.direct.fauxqs, region: "us-east-1", credentials });
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-destination" }))).QueueUrl as string;
    const call = async (path: string, body: unknown) => {
      const response = await fetch(stack.apiUrl + path, {
        method: "POST",
        headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    await call("/v1/endpoints", { kind: "sqs", queueUrl, eventTypes: ["bench.destination"] });
    const payload = { order: "o_1", amount: 4200, note: "x".repeat(900) };
    const batches = Array.from({ length: Math.ceil(events / 100) }, (_, b) =>
      Array.from({ length: Math.min(100, events - b * 100) }, () => ({ type: "bench.destination", payload })),
    );
    progress(`    ${events} events through the pipeline into the local SQS destination`);
    const started = performance.now();
    await mapWithConcurrency(batches, 4, (batch) => call("/v1/events/batch", { events: batch }));
    const count = async () =>
      Number(
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes
          ?.ApproximateNumberOfMessages ?? 0,
      );
    // Read every 250 ms: the emulator counts a queue's messages one by one.
    while ((await count()) < events) await new Promise((resolve) => setTimeout(resolve, 250));
    const deliveriesPerSecond = events / ((performance.now() - started) / 1000);

    progress(`    ${events} events through the same pipeline into a webhook receiver on loopback`);
    let received = 0;
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received++;
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    const port = (receiver.address() as AddressInfo).port;
    await call("/v1/endpoints", { url: `http://127.0.0.1:${port}/hook`, eventTypes: ["bench.webhook"] });
    const webhookStarted = performance.now();
    const hooks = batches.map((batch) => batch.map((e) => ({ ...e, type: "bench.webhook" })));
    await mapWithConcurrency(hooks, 4, (batch) => call("/v1/events/batch", { events: batch }));
    while (received < events) await new Promise((resolve) => setTimeout(resolve, 250));
    const webhookDeliveriesPerSecond = events / ((performance.now() - webhookStarted) / 1000);
    receiver.close();

    progress(`    ${events} bare SendMessage calls of the same message, 10 at a time`);
    const bareUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-destination-bare" }))).QueueUrl as string;
    const body = JSON.stringify(payload);
    const attribute = (value: string) => ({ DataType: "String", StringValue: value });
    const bareStarted = performance.now();
    await mapWithConcurrency(
      Array.from({ length: events }, (_, i) => i),
      10,
      (i) =>
        sqs.send(
          new SendMessageCommand({
            QueueUrl: bareUrl,
            MessageBody: body,
            MessageAttributes: {
              "webhook-id": attribute(`msg_${i}`),
              "webhook-timestamp": attribute("1800000000"),
              "webhook-signature": attribute(`v1,${"A".repeat(44)}`),
              "webhook-type": attribute("bench.destination"),
            },
          }),
        ),
    );
    const emulatorSendsPerSecond = events / ((performance.now() - bareStarted) / 1000);
    return {
      events,
      deliveriesPerSecond: Math.round(deliveriesPerSecond),
      webhookDeliveriesPerSecond: Math.round(webhookDeliveriesPerSecond),
      emulatorSendsPerSecond: Math.round(emulatorSendsPerSecond),
      ratio: Math.round((deliveriesPerSecond / emulatorSendsPerSecond) * 100) / 100,
      cost: {
        customerSqsPerMillion: SQS_PER_MILLION * Math.max(1, Math.ceil(Buffer.byteLength(body) / 65_536)),
        // AssumeRole is free, and one session serves a role (or a tenant's tag) for an hour.
        stsPerMillion: 0,
        note: "the dispatcher's own side is a webhook delivery's (bench/results/cost.md) with the POST replaced by one SendMessage, billed to the queue's owner",
      },
    };
  } finally {
    await stack.stop();
  }
}

/** The stage's section of the results, in Markdown. */
export function awsDestinationSection(r: AwsDestinationResult, command: string): string[] {
  return [
    "## AWS destination: deliveries into a local SQS queue",
    "",
    `\`${command}\`: ${r.events} events, each delivered into fauxqs playing the customer's queue.`,
    "",
    "| what | figure |",
    "|---|---|",
    `| deliveries per second through the local pipeline (API, queue, worker, table, SendMessage) | ${r.deliveriesPerSecond} |`,
    `| the same pipeline, the same run, into a webhook receiver on loopback | ${r.webhookDeliveriesPerSecond} per second |`,
    `| the emulator's own limit: SendMessage of the same message, 10 at a time | ${r.emulatorSendsPerSecond} per second |`,
    `| ratio | ${r.ratio} |`,
    `| SQS send into the customer's queue, per million deliveries (its owner's bill) | $${r.cost.customerSqsPerMillion.toFixed(2)} |`,
    `| STS per million deliveries | $${r.cost.stsPerMillion.toFixed(2)} |`,
    "",
    `Cost beside it: ${r.cost.note}.`,
  ];
}
