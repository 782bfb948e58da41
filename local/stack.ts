import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { createSqsClient } from "../functions/adapters/lambda/aws-clients.ts";
import { processListeners } from "../functions/adapters/lambda/process-listeners.ts";
import { parseConfig } from "../functions/core/config/config.ts";
import { localDefaults } from "../functions/core/config/settings.ts";
import { queueSettings, RESOURCE_NAMES } from "../lib/resource-settings.ts";
import { endpointUrlsSetting, startCustomerAccount } from "./customer-account.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { startDynamo, startSqs } from "./emulators.ts";
import { startFaultProxy } from "./fault-proxy.ts";
import { lambdaContext, startHttpGateway } from "./http-gateway.ts";
import { startLaneThread } from "./lane-thread.ts";
import { ensureOrderedQueues } from "./ordered-queues.ts";
import { ensurePushDeadlineQueue, ensureQueues, ensureTable } from "./provision.ts";
import { startSqsEventSource } from "./sqs-event-source.ts";
import type { FunctionName, Handler, LocalStackOptions } from "./stack-options.ts";
import { listenFailure } from "./startup-errors.ts";
import { LocalSocketChannel, startWsServer } from "./ws-server.ts";

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
 * SDK reaches the emulators through AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS. Every socket
 * it listens on is registered as the process's own, so no delivery can reach it.
 */
export async function startLocalStack(options: LocalStackOptions) {
  const hooks = options.hooks ?? {};
  const forget: (() => void)[] = [];
  const listening: string[] = [];
  const own = (url: string) => {
    const { hostname, port } = new URL(url);
    forget.push(processListeners.add({ host: hostname, port: Number(port) }));
    listening.push(url);
  };
  for (const [key, value] of Object.entries(LOCAL_DEFAULTS)) process.env[key] ??= value;
  process.env.TABLE_NAME ??= RESOURCE_NAMES.table;
  // The functions' config is checked before anything starts. The queues' settings derive from it;
  // the queue URLs it also requires do not exist yet, so placeholders stand in for this one reading.
  const config = parseConfig({
    ...process.env,
    DELIVERY_QUEUE_URL: "-",
    DEAD_LETTER_QUEUE_URL: "-",
    SLOW_QUEUE_URL: "-",
    ORDERED_QUEUE_URL: "-",
  });
  const lock = options.dataDir === undefined ? undefined : lockDataDir(options.dataDir);
  const apart = await hooks.startEmulators?.();
  const dynamo = apart?.dynamodb ?? (await startDynamo(options.dataDir && join(options.dataDir, "dynamodb")));
  const sqs = apart?.sqs ?? (await startSqs(options.dataDir && join(options.dataDir, "sqs")));
  own(dynamo.url);
  own(sqs.url);
  // The customer's account for AWS destinations: the destination clients reach it, never the dispatcher's own endpoints' settings.
  const customer = await startCustomerAccount(sqs.url);
  for (const url of [...Object.values(customer.urls), customer.direct.kinesis]) own(url);
  process.env.DESTINATION_ENDPOINT_URLS ??= endpointUrlsSetting(customer);
  // Tenant-tagged sessions go through the recording STS too, as they go through STS in AWS.
  process.env.DESTINATION_ROLE_ARN ??= "arn:aws:iam::000000000000:role/hookrelay-destinations";
  const proxies = options.faultInjection
    ? await Promise.all([startFaultProxy(new URL(dynamo.url)), startFaultProxy(new URL(sqs.url))])
    : [];
  for (const proxy of proxies) own(proxy.url);
  const fronts = hooks.frontEmulator
    ? await Promise.all([
        hooks.frontEmulator("dynamodb", proxies[0]?.url ?? dynamo.url),
        hooks.frontEmulator("sqs", proxies[1]?.url ?? sqs.url),
      ])
    : [];
  for (const front of fronts) own(front.url);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = fronts[0]?.url ?? proxies[0]?.url ?? dynamo.url;
  process.env.AWS_ENDPOINT_URL_SQS = fronts[1]?.url ?? proxies[1]?.url ?? sqs.url;
  const derived = queueSettings(config.retrySchedule, config.deliveryTimeoutMs);
  const settings = { ...derived, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? derived.visibilityTimeoutSeconds };
  const sqsClient = createSqsClient();
  const dynamoClient = new DynamoDBClient({});
  await ensureTable(dynamoClient, process.env.TABLE_NAME);
  const queues = await ensureQueues(
    sqsClient,
    { delivery: RESOURCE_NAMES.deliveryQueue, slow: RESOURCE_NAMES.slowQueue, deadLetter: RESOURCE_NAMES.deadLetterQueue },
    settings,
  );
  process.env.DELIVERY_QUEUE_URL = queues.deliveryQueueUrl;
  process.env.SLOW_QUEUE_URL = queues.slowQueueUrl;
  process.env.DEAD_LETTER_QUEUE_URL = queues.deadLetterQueueUrl;
  const ordered = await ensureOrderedQueues(sqsClient, settings.visibilityTimeoutSeconds, settings.deadLetterRetentionSeconds);
  process.env.ORDERED_QUEUE_URL = ordered.orderedQueueUrl;
  const pushDeadlines = await ensurePushDeadlineQueue(sqsClient);
  process.env.PUSH_DEADLINE_QUEUE_URL = pushDeadlines.queueUrl;

  // The push server starts first: the API tells its URL (WEBSOCKET_URL) from its configuration. Its
  // handler is bound once the modules are loaded; a frame before that waits for it.
  const channel = new LocalSocketChannel();
  let bindPush!: (handler: Handler) => void;
  const pushHandler = new Promise<Handler>((resolve) => {
    bindPush = resolve;
  });
  const wsServer = await startWsServer(
    async (event, context) => (await pushHandler)(event as never, context),
    channel,
    options.wsPort ?? 0,
    (error) => options.log(`error push: ${String(error)}`),
  ).catch(async (error: unknown) => {
    await Promise.all([sqs.stop(), dynamo.stop(), ...proxies.map((p) => p.stop()), ...fronts.map((f) => f.stop())]);
    for (const f of forget) f();
    lock?.release();
    // Named here, since main.ts takes any other busy port for PORT's.
    throw listenFailure("WS_PORT", options.wsPort ?? 0, error);
  });
  own(wsServer.url.replace(/^ws:/, "http:"));
  process.env.WEBSOCKET_URL = wsServer.url;

  // The same modules Lambda loads, imported once the environment is in place.
  const entries = {
    api: await import("../functions/api/index.ts"),
    delivery: await import("../functions/delivery/index.ts"),
    "dead-letter": await import("../functions/dead-letter/index.ts"),
    sweeper: await import("../functions/sweeper/index.ts"),
  };
  const handlerOf = (name: Exclude<FunctionName, "push">) => {
    const handler = entries[name].handler as unknown as Handler;
    return hooks.wrapHandler ? hooks.wrapHandler(name, handler) : handler;
  };
  {
    const [{ createPushHandler }, { pushDeps }, { createRuntime }] = await Promise.all([
      import("../functions/push/handler.ts"),
      import("../functions/push/wiring.ts"),
      import("../functions/runtime.ts"),
    ]);
    const runtime = createRuntime("push");
    const handler = createPushHandler(pushDeps(runtime, channel), runtime.log) as unknown as Handler;
    bindPush(hooks.wrapHandler ? hooks.wrapHandler("push", handler) : handler);
  }
  // The subscribe deadlines, as in AWS: $connect's delayed message, consumed by the push function.
  const deadlineSource = startSqsEventSource(
    sqsClient,
    (async (event: never, context: Context) => (await pushHandler)(event, context)) as never,
    {
      queueUrl: pushDeadlines.queueUrl,
      queueArn: pushDeadlines.queueArn,
      functionName: "push",
      batchSize: 10,
      concurrency: 1,
      waitTimeSeconds: 1,
      onError: (error) => options.log(`error push deadline poller: ${String(error)}`),
    },
  );

  const onError = (where: string) => (error: unknown) => options.log(`error ${where}: ${String(error)}`);
  // The API's port is known, and registered as the stack's own, before any delivery is polled.
  const stopEmulators = () =>
    Promise.all([customer.stop().then(() => sqs.stop()), dynamo.stop(), ...proxies.map((p) => p.stop()), ...fronts.map((f) => f.stop())]);
  // The port is the caller's choice and may be taken: what started is stopped before the error goes up.
  const gateway = await startHttpGateway(handlerOf("api") as never, options.port, onError("api")).catch(async (error: unknown) => {
    await Promise.all([wsServer.stop(), deadlineSource.stop()]);
    await stopEmulators();
    for (const f of forget) f();
    lock?.release();
    throw error;
  });
  own(gateway.url);
  const arnOf = async (url: string) =>
    (await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";
  const deliveryArn = await arnOf(queues.deliveryQueueUrl);
  const slowArn = await arnOf(queues.slowQueueUrl);
  const deliveryHandler = handlerOf("delivery");
  // One function, two event sources, as in AWS: the fast lane's and the slow lane's, each with its
  // own pollers. The slow lane's run on a thread of their own (lane-worker.ts), as its invocations
  // run in execution environments of their own in AWS: settling its timed-out POSTs takes no CPU
  // from the fast lane.
  let deliverySources: { stop(): Promise<void> }[] = [];
  /** Starts polling both delivery queues (once; a second call while polling does nothing). */
  const startDelivery = (concurrency = options.concurrency, slowConcurrency = options.slowConcurrency ?? concurrency) => {
    if (deliverySources.length > 0) return;
    const source = { functionName: "delivery", batchSize: 10, waitTimeSeconds: 1 };
    deliverySources = [
      startSqsEventSource(sqsClient, deliveryHandler as never, {
        ...source,
        queueUrl: queues.deliveryQueueUrl,
        queueArn: deliveryArn,
        concurrency,
        onError: onError("delivery poller"),
      }),
      // The ordered queue: a third event source of the same function, its batches delivered line by line.
      startSqsEventSource(sqsClient, deliveryHandler as never, {
        ...source,
        queueUrl: ordered.orderedQueueUrl,
        queueArn: ordered.orderedQueueArn,
        concurrency,
        onError: onError("ordered poller"),
      }),
      startLaneThread({
        source: { ...source, queueUrl: queues.slowQueueUrl, queueArn: slowArn, concurrency: slowConcurrency },
        listening,
        ...(hooks.laneThreadHooks !== undefined && { hooks: hooks.laneThreadHooks }),
        onError: (where, error) => options.log(`error ${where}: ${error}`),
        ...(hooks.onLaneThreadMessage && { onHookMessage: hooks.onLaneThreadMessage }),
      }),
    ];
  };
  /** Stops polling the delivery queues once the batches in flight are done. */
  const stopDelivery = async () => {
    const sources = deliverySources;
    deliverySources = [];
    await Promise.all(sources.map((source) => source.stop()));
  };
  if (options.deliverAutomatically) startDelivery();
  const deadLetterSource = (queueUrl: string, queueArn: string) =>
    startSqsEventSource(sqsClient, handlerOf("dead-letter") as never, {
      queueUrl,
      queueArn,
      functionName: "dead-letter",
      batchSize: 10,
      concurrency: 1,
      waitTimeSeconds: 1,
      onError: onError("dead-letter poller"),
    });
  // Two event sources of the dead-letter function: the standard dead-letter queue and the ordered one.
  const deadLetterSources = options.deadLetterConsumer
    ? [
        deadLetterSource(queues.deadLetterQueueUrl, await arnOf(queues.deadLetterQueueUrl)),
        deadLetterSource(ordered.orderedDeadLetterQueueUrl, ordered.orderedDeadLetterQueueArn),
      ]
    : [];
  const sweeper = handlerOf("sweeper") as Handler<object>;
  // A tick is skipped while the previous run of its job runs, as in AWS, where the function's timeout
  // is shorter than its schedule: two sweeps at once would both send the same half-sent event.
  const every = (intervalMs: number | false | undefined, event: object) => {
    if (intervalMs === false || intervalMs === undefined) return { stop: async () => undefined };
    let running: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      running ??= sweeper(event, lambdaContext("sweeper"))
        .catch(onError("sweeper"))
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  };
  const sweep = every(options.sweepIntervalMs, {});
  const schedule = every(options.scheduleIntervalMs, { job: "scheduled" });

  return {
    apiUrl: gateway.url,
    /** The WebSocket push URL (ws://127.0.0.1:…). */
    websocketUrl: wsServer.url,
    adminKey: process.env.ADMIN_API_KEY as string,
    dynamoUrl: dynamo.url,
    sqsUrl: sqs.url,
    /** The customer's account for AWS destinations (emulators, fault proxies, recording STS and EventBridge). */
    customer,
    ...queues,
    orderedQueueUrl: ordered.orderedQueueUrl,
    orderedDeadLetterQueueUrl: ordered.orderedDeadLetterQueueUrl,
    settings,
    /** Every URL the stack listens on (API, emulators, proxies): none of them is a delivery destination. */
    listening,
    startDelivery,
    stopDelivery,
    /** Makes DynamoDB and/or SQS unreachable for `ms` milliseconds (only with faultInjection). */
    outage(ms: number, targets: readonly ("dynamodb" | "sqs")[] = ["dynamodb", "sqs"]): boolean {
      if (targets.includes("dynamodb")) proxies[0]?.outage(ms);
      if (targets.includes("sqs")) proxies[1]?.outage(ms);
      return proxies.length > 0;
    },
    /** Graceful stop: no new requests, no new polls, in-flight batches finish, then the emulators close. */
    async stop(): Promise<void> {
      await Promise.all([sweep.stop(), schedule.stop()]);
      await Promise.all([gateway.stop(), wsServer.stop()]);
      await Promise.all([stopDelivery(), deadlineSource.stop(), ...deadLetterSources.map((source) => source.stop())]);
      await stopEmulators();
      for (const f of forget) f();
      lock?.release();
    },
  };
}

/** A running local stack. */
export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
