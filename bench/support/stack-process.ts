/**
 * The local stack (local/stack.ts) for the end-to-end stages, with what a benchmark puts around it:
 * counting proxies in front of the emulators (every AWS call and its billed units) and timing of
 * every handler invocation. Delivery polling starts and stops on request, so the fan-out stage can
 * measure intake alone; no dead-letter consumer or sweeper runs. Runs in its own process; talks to
 * the bench over IPC; its stdout carries only the functions' own logs, which the bench measures.
 */
import { fileURLToPath } from "node:url";
import { GetQueueAttributesCommand, PurgeQueueCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { createSqsClient } from "../../functions/adapters/lambda/aws-clients.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { startLocalStack } from "../../local/stack.ts";
import type { Handler } from "../../local/stack-options.ts";
import { caller, invokeAs, tagCallers } from "./caller.ts";
import { forkChild, serveParent } from "./child.ts";
import { type Counts, type KeyWrites, startCountingProxy } from "./counting-proxy.ts";
import type { EmulatorsReady } from "./emulator-process.ts";
import { startIntakeFloor } from "./intake-floor.ts";
import type { LaneInvocation } from "./lane-thread-hooks.ts";

export interface StackReady {
  apiUrl: string;
  /** The counting proxies: anything the bench sends through them is counted too. */
  dynamoUrl: string;
  sqsUrl: string;
  deliveryQueueUrl: string;
  deadLetterQueueUrl: string;
}

/**
 * Per-function handler wall times and CPU times (ms, see invokeAs) and batch sizes since the last
 * `take`; the CPU times again for the invocations that no other overlapped on their thread.
 */
export interface Invocations {
  api: number[];
  delivery: number[];
  apiCpu: number[];
  deliveryCpu: number[];
  apiCpuAlone: number[];
  deliveryCpuAlone: number[];
  deliveryBatchSizes: number[];
}

const noInvocations = (): Invocations => ({
  api: [],
  delivery: [],
  apiCpu: [],
  deliveryCpu: [],
  apiCpuAlone: [],
  deliveryCpuAlone: [],
  deliveryBatchSizes: [],
});

tagCallers();

let invocations = noInvocations();
const errors: string[] = [];

/** The counting proxies' counts, wherever the proxies run (this process, or the emulators' own). */
interface Counting {
  take(): Promise<{ dynamodb: Counts; sqs: Counts }>;
  peek(): Promise<{ dynamodb: Counts; sqs: Counts }>;
  takeKeyWrites(): Promise<KeyWrites>;
}
const inProcess: Partial<Record<"dynamodb" | "sqs", Awaited<ReturnType<typeof startCountingProxy>>>> = {};
let counting: Counting | undefined;
/** BENCH_EMULATORS_APART=1: the emulators and their proxies run in emulator-process.ts (see there why). */
const apart = process.env.BENCH_EMULATORS_APART === "1";

/** Forks the emulators' process; both emulators stop when it does. */
async function emulatorsApart() {
  const child = await forkChild<EmulatorsReady>(fileURLToPath(new URL("./emulator-process.ts", import.meta.url)));
  counting = {
    take: () => child.call("take"),
    peek: () => child.call("peek"),
    takeKeyWrites: () => child.call("takeKeyWrites"),
  };
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= child.stop();
    return stopped;
  };
  return { dynamodb: { url: child.ready.dynamoUrl, stop }, sqs: { url: child.ready.sqsUrl, stop } };
}

const stack = await startLocalStack({
  port: 0,
  dataDir: undefined,
  deadLetterConsumer: false,
  concurrency: 4,
  deliverAutomatically: false,
  faultInjection: false,
  sweepIntervalMs: false,
  log: (line) => {
    if (errors.length < 20) errors.push(line);
  },
  hooks: {
    ...(apart
      ? { startEmulators: emulatorsApart }
      : {
          async frontEmulator(service: "dynamodb" | "sqs", url: string) {
            const proxy = await startCountingProxy(url);
            inProcess[service] = proxy;
            return proxy;
          },
        }),
    // The slow lane's thread counts its calls and times its invocations the same way, and posts the times here.
    laneThreadHooks: new URL("./lane-thread-hooks.ts", import.meta.url).href,
    onLaneThreadMessage(data) {
      const { ms, cpuMs, alone, batchSize } = data as LaneInvocation;
      invocations.delivery.push(ms);
      invocations.deliveryCpu.push(cpuMs);
      if (alone) invocations.deliveryCpuAlone.push(cpuMs);
      invocations.deliveryBatchSizes.push(batchSize);
    },
    wrapHandler<E, R>(name: string, handler: Handler<E, R>): Handler<E, R> {
      if (name !== "api" && name !== "delivery") return handler;
      return (event, context) =>
        invokeAs(
          name,
          () => handler(event, context),
          (ms, cpuMs, alone) => {
            if (name === "api") {
              invocations.api.push(ms);
              invocations.apiCpu.push(cpuMs);
              if (alone) invocations.apiCpuAlone.push(cpuMs);
            } else {
              invocations.delivery.push(ms);
              invocations.deliveryCpu.push(cpuMs);
              if (alone) invocations.deliveryCpuAlone.push(cpuMs);
              invocations.deliveryBatchSizes.push((event as SQSEvent).Records.length);
            }
          },
        );
    },
  },
});
if (!apart) {
  const dynamo = inProcess.dynamodb as NonNullable<typeof inProcess.dynamodb>;
  const sqs = inProcess.sqs as NonNullable<typeof inProcess.sqs>;
  counting = {
    take: async () => ({ dynamodb: dynamo.take(), sqs: sqs.take() }),
    peek: async () => ({ dynamodb: dynamo.peek(), sqs: sqs.peek() }),
    takeKeyWrites: async () => dynamo.takeKeyWrites(),
  };
}
const counts = counting as Counting;
// The bench's own queue calls go through the counting proxy too, uncounted as any function's.
const sqsClient = createSqsClient();

/**
 * Resolves once `attempts` attempt records have been written and `count` delivery-queue messages
 * deleted since the counts were last taken (a delivery is done when it is logged and deleted).
 */
async function awaitDone(count: number, attempts: number, timeoutMs: number): Promise<number> {
  // Intake puts a new (probation) endpoint's deliveries on the slow lane's queue: both lanes' deletes count.
  const deletes = [RESOURCE_NAMES.deliveryQueue, RESOURCE_NAMES.slowQueue].map((queue) => `event source: SQS DeleteMessageBatch ${queue}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { sqs, dynamodb } = await counts.peek();
    const deleted = deletes.reduce((sum, key) => sum + (sqs[key]?.entries ?? 0), 0);
    const logged = dynamodb["delivery: DynamoDB PutItem attempt"]?.requests ?? 0;
    if ((deleted >= count && logged >= attempts) || Date.now() > deadline) return Math.min(deleted, logged);
    // Over IPC a peek copies every count: a slower poll keeps that off the measured processes.
    await new Promise((r) => setTimeout(r, apart ? 20 : 5));
  }
}

let intakeFloor: Awaited<ReturnType<typeof startIntakeFloor>> | undefined;

serveParent(
  {
    /** The intake stage's floor (intake-floor.ts), in this process beside the API; its calls count as the bench's. */
    startIntakeFloor: async () => {
      intakeFloor ??= await startIntakeFloor(RESOURCE_NAMES.table);
      return { url: intakeFloor.url, queueUrl: intakeFloor.queueUrl };
    },
    /** The floor's bare pollers deliver `total` of its messages to `receiverUrl` (intake-floor.ts). */
    drainIntakeFloor: async ({ receiverUrl, total, pollers, timeoutMs }) => {
      await intakeFloor?.deliver(String(receiverUrl), Number(total), Number(pollers), Number(timeoutMs));
      return true;
    },
    /** This process's CPU time so far (µs, user and system): the intake stage's CPU per event. */
    cpuMicros: () => {
      const used = process.cpuUsage();
      return used.user + used.system;
    },
    startDelivery: ({ concurrency }) => {
      // The pollers' own calls (ReceiveMessage, DeleteMessageBatch) are the event source's.
      caller.run("event source", () => stack.startDelivery(Number(concurrency)));
      return true;
    },
    stopDelivery: async () => {
      await stack.stopDelivery();
      return true;
    },
    /** Empties both delivery queues (the fast lane's and the slow lane's). */
    purge: async () => {
      for (const QueueUrl of [stack.deliveryQueueUrl, stack.slowQueueUrl]) await sqsClient.send(new PurgeQueueCommand({ QueueUrl }));
      return true;
    },
    /** Messages the slow lane's pollers hold (received, not yet deleted). */
    slowLaneInFlight: async () => {
      const out = await sqsClient.send(
        new GetQueueAttributesCommand({ QueueUrl: stack.slowQueueUrl, AttributeNames: ["ApproximateNumberOfMessagesNotVisible"] }),
      );
      return Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    },
    /** Messages in both delivery queues (intake puts a probation endpoint's on the slow lane's). */
    queueDepth: async () => {
      let depth = 0;
      for (const QueueUrl of [stack.deliveryQueueUrl, stack.slowQueueUrl]) {
        const out = await sqsClient.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
          }),
        );
        depth +=
          Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      }
      return depth;
    },
    awaitDone: ({ count, attempts, timeoutMs }) => awaitDone(Number(count), Number(attempts ?? count), Number(timeoutMs ?? 60_000)),
    /** DynamoDB write units per partition key since the last call (see counting-proxy.ts). */
    takeKeyWrites: () => counts.takeKeyWrites(),
    /** Counts and invocations since the last take; then starts afresh. */
    take: async () => {
      const taken = { ...(await counts.take()), invocations, errors: errors.splice(0) };
      invocations = noInvocations();
      return taken;
    },
  },
  async () => {
    await intakeFloor?.stop();
    await stack.stop();
  },
);

process.send?.({
  apiUrl: stack.apiUrl,
  // The URLs the functions reach the emulators at: the counting proxies.
  dynamoUrl: process.env.AWS_ENDPOINT_URL_DYNAMODB as string,
  sqsUrl: process.env.AWS_ENDPOINT_URL_SQS as string,
  deliveryQueueUrl: stack.deliveryQueueUrl,
  deadLetterQueueUrl: stack.deadLetterQueueUrl,
} satisfies StackReady);
