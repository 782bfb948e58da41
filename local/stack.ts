import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "../functions/adapters/aws-clients.ts";
import { parseConfig } from "../functions/core/config.ts";
import { localDefaults } from "../functions/core/settings.ts";
import { queueSettings, RESOURCE_NAMES } from "../lib/resource-settings.ts";
import { startDynamo, startSqs } from "./emulators.ts";
import { startFaultProxy } from "./fault-proxy.ts";
import { lambdaContext, startHttpGateway } from "./http-gateway.ts";
import { ensureQueues, ensureTable } from "./provision.ts";
import { startSqsEventSource } from "./sqs-event-source.ts";

export interface LocalStackOptions {
  port: number;
  /** Where DynamoDB and SQS keep their data; undefined runs in memory. */
  dataDir: string | undefined;
  deadLetterConsumer: boolean;
  /** Concurrent delivery pollers (Lambda concurrency). */
  concurrency: number;
  /** Put pausable proxies in front of the emulators (see `outage`). */
  faultInjection: boolean;
  /** How often the sweeper runs, as its EventBridge schedule does in AWS. */
  sweepIntervalMs: number;
  /** Overrides the delivery queue's visibility timeout (how long a crashed worker's message stays hidden). */
  visibilityTimeoutSeconds?: number;
  log: (line: string) => void;
}

/** Defaults of the local stack for the functions' settings; anything already in the environment wins. */
const LOCAL_DEFAULTS: Record<string, string> = {
  // The functions' own settings: the `local` column of the settings table.
  ...localDefaults(),
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
};

/**
 * Starts dynalite and fauxqs on loopback, creates the table and queues from the definitions the CDK
 * stack uses, then runs the very Lambda entry points: the API behind an HTTP API emulation, the
 * delivery worker and the dead-letter consumer behind SQS event-source emulations. The unmodified
 * SDK reaches the emulators through AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS.
 */
export async function startLocalStack(options: LocalStackOptions) {
  const dynamo = await startDynamo(options.dataDir && join(options.dataDir, "dynamodb"));
  const sqs = await startSqs(options.dataDir && join(options.dataDir, "sqs"));
  const proxies = options.faultInjection
    ? await Promise.all([startFaultProxy(new URL(dynamo.url)), startFaultProxy(new URL(sqs.url))])
    : [];
  for (const [key, value] of Object.entries(LOCAL_DEFAULTS)) process.env[key] ??= value;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxies[0]?.url ?? dynamo.url;
  process.env.AWS_ENDPOINT_URL_SQS = proxies[1]?.url ?? sqs.url;
  process.env.TABLE_NAME ??= RESOURCE_NAMES.table;

  // The queues' settings derive from the functions' own checked config; the queue URLs it also
  // requires do not exist yet, so placeholders stand in for this one reading.
  const config = parseConfig({ ...process.env, DELIVERY_QUEUE_URL: "-", DEAD_LETTER_QUEUE_URL: "-" });
  const derived = queueSettings(config.retrySchedule, config.deliveryTimeoutMs);
  const settings = { ...derived, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? derived.visibilityTimeoutSeconds };
  const sqsClient = createSqsClient();
  const dynamoClient = new DynamoDBClient({});
  await ensureTable(dynamoClient, process.env.TABLE_NAME);
  const queues = await ensureQueues(
    sqsClient,
    { delivery: RESOURCE_NAMES.deliveryQueue, deadLetter: RESOURCE_NAMES.deadLetterQueue },
    settings,
  );
  process.env.DELIVERY_QUEUE_URL = queues.deliveryQueueUrl;
  process.env.DEAD_LETTER_QUEUE_URL = queues.deadLetterQueueUrl;

  // The same modules Lambda loads, imported once the environment is in place.
  const api = await import("../functions/api/index.ts");
  const delivery = await import("../functions/delivery/index.ts");
  const deadLetter = await import("../functions/dead-letter/index.ts");
  const sweeper = await import("../functions/sweeper/index.ts");

  const onError = (where: string) => (error: unknown) => options.log(`error ${where}: ${String(error)}`);
  const arnOf = async (url: string) =>
    (await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";
  const deliverySource = startSqsEventSource(sqsClient, delivery.handler as never, {
    queueUrl: queues.deliveryQueueUrl,
    queueArn: await arnOf(queues.deliveryQueueUrl),
    functionName: "delivery",
    batchSize: 10,
    concurrency: options.concurrency,
    waitTimeSeconds: 1,
    onError: onError("delivery poller"),
  });
  const deadLetterSource = options.deadLetterConsumer
    ? startSqsEventSource(sqsClient, deadLetter.handler as never, {
        queueUrl: queues.deadLetterQueueUrl,
        queueArn: await arnOf(queues.deadLetterQueueUrl),
        functionName: "dead-letter",
        batchSize: 10,
        concurrency: 1,
        waitTimeSeconds: 1,
        onError: onError("dead-letter poller"),
      })
    : undefined;
  const gateway = await startHttpGateway(api.handler as never, options.port, onError("api"));
  const sweep = setInterval(() => {
    (sweeper.handler as unknown as (e: object, c: object) => Promise<unknown>)({}, lambdaContext("sweeper")).catch(onError("sweeper"));
  }, options.sweepIntervalMs);

  return {
    apiUrl: gateway.url,
    adminKey: process.env.ADMIN_API_KEY as string,
    dynamoUrl: dynamo.url,
    sqsUrl: sqs.url,
    ...queues,
    settings,
    /** Makes DynamoDB and/or SQS unreachable for `ms` milliseconds (only with faultInjection). */
    outage(ms: number, targets: readonly ("dynamodb" | "sqs")[] = ["dynamodb", "sqs"]): boolean {
      if (targets.includes("dynamodb")) proxies[0]?.outage(ms);
      if (targets.includes("sqs")) proxies[1]?.outage(ms);
      return proxies.length > 0;
    },
    /** Graceful stop: no new requests, no new polls, in-flight batches finish, then the emulators close. */
    async stop(): Promise<void> {
      clearInterval(sweep);
      await gateway.stop();
      await Promise.all([deliverySource.stop(), deadLetterSource?.stop()]);
      await Promise.all([sqs.stop(), dynamo.stop(), ...proxies.map((p) => p.stop())]);
    },
  };
}
