import { parseArgs } from "node:util";
import { readLocalSettings } from "./local-settings.ts";
import { startLocalStack } from "./stack.ts";
import { failStartup, listenFailure } from "./startup-errors.ts";
import { destinationsText, walkthroughSecret, walkthroughText } from "./walkthrough.ts";

/** `npm start`: the whole dispatcher on 127.0.0.1, with DynamoDB and SQS emulated in-process. */
async function start() {
  const { values } = parseArgs({
    options: {
      "in-memory": { type: "boolean", default: false },
      "no-dead-letter-consumer": { type: "boolean", default: false },
      "ready-json": { type: "boolean", default: false },
      "fault-injection": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  });
  const settings = readLocalSettings(process.env);
  const dataDir = values["in-memory"] ? undefined : settings.dataDir;
  const stack = await startLocalStack({
    port: settings.port,
    wsPort: settings.wsPort,
    dataDir,
    deadLetterConsumer: !values["no-dead-letter-consumer"],
    concurrency: settings.concurrency,
    slowConcurrency: settings.slowConcurrency,
    deliverAutomatically: true,
    faultInjection: values["fault-injection"],
    sweepIntervalMs: settings.sweepIntervalMs,
    scheduleIntervalMs: settings.scheduleIntervalMs,
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
    log: (line) => process.stderr.write(`${line}\n`),
  }).catch((error: unknown) => {
    throw listenFailure("PORT", settings.port, error);
  });
  return { stack, settings, dataDir, values };
}

// Read before anything else: once READY is printed, whoever started npm may kill it at once (kill -9),
// and a PID read after that would already be the new parent's.
const launcher = process.ppid;
const { stack, settings, dataDir, values } = await start().catch((error: unknown) => failStartup("npm start", error));

if (values["ready-json"]) {
  const { apiUrl, websocketUrl, sqsUrl, dynamoUrl, deliveryQueueUrl, slowQueueUrl, deadLetterQueueUrl, listening } = stack;
  const ready = {
    pid: process.pid,
    apiUrl,
    websocketUrl,
    sqsUrl,
    dynamoUrl,
    deliveryQueueUrl,
    slowQueueUrl,
    deadLetterQueueUrl,
    listening,
  };
  process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
}
if (!values.quiet) {
  const secret = walkthroughSecret(dataDir);
  process.stdout.write(
    walkthroughText({
      api: stack.apiUrl,
      websocket: stack.websocketUrl,
      key: stack.adminKey,
      dataDir,
      receiverPort: settings.receiverPort,
      secret,
    }),
  );
  process.stdout.write(destinationsText(stack.apiUrl, stack.adminKey, stack.customer.urls));
}

let stopping = false;
const shutdown = async (reason: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${reason}: finishing deliveries in flight, then stopping\n`);
  const started = Date.now();
  await stack.stop();
  const kept = dataDir ? `the data is kept in ${dataDir}` : "the in-memory data is gone";
  process.stderr.write(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s: the deliveries in flight finished; ${kept}\n`);
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
// `npm start` runs this process in place of its shell (`exec` in package.json), so the SIGTERM or
// SIGINT npm forwards arrives here. Should npm end without forwarding one (kill -9), or a shell stay
// in between, this process is handed to another parent: it stops rather than serve on unowned.
if (settings.startedByNpm) {
  setInterval(() => {
    if (process.ppid !== launcher) void shutdown(`npm (PID ${launcher}) exited`);
  }, 500).unref();
}
// With --fault-injection, SIGUSR2 makes LOCAL_OUTAGE_TARGETS (default "dynamodb,sqs") unreachable
// for LOCAL_OUTAGE_MS (default 5 s).
process.on("SIGUSR2", () => {
  const { outageMs, outageTargets } = settings;
  if (stack.outage(outageMs, outageTargets))
    process.stderr.write(`SIGUSR2: ${outageTargets.join(" and ")} unreachable for ${outageMs} ms\n`);
});
