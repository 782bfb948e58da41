import { parseArgs } from "node:util";
import { generateSecret } from "../functions/core/signing.ts";
import { startLocalStack } from "./stack.ts";

/** `npm start`: the whole dispatcher on 127.0.0.1, with DynamoDB and SQS emulated in-process. */
const { values } = parseArgs({
  options: {
    "in-memory": { type: "boolean", default: false },
    "no-dead-letter-consumer": { type: "boolean", default: false },
    "ready-json": { type: "boolean", default: false },
    "fault-injection": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const port = Number(process.env.PORT ?? 3000);
const dataDir = values["in-memory"] ? undefined : (process.env.DATA_DIR ?? ".data");
const stack = await startLocalStack({
  port,
  dataDir,
  deadLetterConsumer: !values["no-dead-letter-consumer"],
  concurrency: Number(process.env.LOCAL_CONCURRENCY ?? 4),
  slowConcurrency: Number(process.env.LOCAL_SLOW_CONCURRENCY ?? 4),
  deliverAutomatically: true,
  faultInjection: values["fault-injection"],
  sweepIntervalMs: Number(process.env.LOCAL_SWEEP_INTERVAL_MS ?? 30_000),
  visibilityTimeoutSeconds: process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS ? Number(process.env.LOCAL_VISIBILITY_TIMEOUT_SECONDS) : undefined,
  log: (line) => process.stderr.write(`${line}\n`),
});

if (values["ready-json"]) {
  process.stdout.write(
    `READY ${JSON.stringify({ apiUrl: stack.apiUrl, sqsUrl: stack.sqsUrl, dynamoUrl: stack.dynamoUrl, deliveryQueueUrl: stack.deliveryQueueUrl, slowQueueUrl: stack.slowQueueUrl, deadLetterQueueUrl: stack.deadLetterQueueUrl, listening: stack.listening })}\n`,
  );
}
if (!values.quiet) printWalkthrough(stack.apiUrl, stack.adminKey, dataDir);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: finishing deliveries in flight, then stopping\n`);
  await stack.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
// With --fault-injection, SIGUSR2 makes LOCAL_OUTAGE_TARGETS (default "dynamodb,sqs") unreachable
// for LOCAL_OUTAGE_MS (default 5 s).
process.on("SIGUSR2", () => {
  const ms = Number(process.env.LOCAL_OUTAGE_MS ?? 5_000);
  const targets = (process.env.LOCAL_OUTAGE_TARGETS ?? "dynamodb,sqs").split(",").filter((t) => t === "dynamodb" || t === "sqs");
  if (stack.outage(ms, targets)) process.stderr.write(`SIGUSR2: ${targets.join(" and ")} unreachable for ${ms} ms\n`);
});

function printWalkthrough(api: string, key: string, dir: string | undefined): void {
  const secret = generateSecret();
  const auth = `-H 'authorization: Bearer ${key}' -H 'content-type: application/json'`;
  process.stdout.write(`
hookrelay local stack
  API        ${api}   (health: ${api}/v1/health)
  Console    ${api}/console   (sign in with the admin key)
  Admin key  ${key}
  Data       ${dir ? `${dir}/ (kept across restarts; --in-memory for a throwaway run)` : "in memory (gone when this process stops)"}

Walkthrough (copy and paste):
  # 1. in another terminal, a receiver on 127.0.0.1:4000 that checks signatures
  WEBHOOK_SECRET=${secret} npm run receiver

  # 2. register it as an endpoint
  curl -s ${api}/v1/endpoints ${auth} \\
    -d '{"url":"http://127.0.0.1:4000/webhooks","secret":"${secret}","eventTypes":["invoice.paid"]}'

  #    or, without registering a URL: a temporary polling endpoint whose feed is forwarded to the
  #    receiver (Ctrl-C deletes the endpoint)
  npx hookrelay listen --api ${api} --key ${key} --secret ${secret} \\
    --forward-to http://127.0.0.1:4000/webhooks --events invoice.paid

  # 3. emit an event: the receiver prints it, signature verified
  curl -s ${api}/v1/events ${auth} \\
    -d '{"type":"invoice.paid","payload":{"invoice":"in_123","amount":4200}}'

  # 4. read the event's deliveries and attempts (use the id from step 3)
  curl -s ${api}/v1/events/EVENT_ID -H 'authorization: Bearer ${key}'
  curl -s ${api}/v1/events/EVENT_ID/attempts -H 'authorization: Bearer ${key}'

Each delivery attempt is logged below as one line. Ctrl-C stops gracefully.
`);
}
