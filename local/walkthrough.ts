/**
 * The copy-paste walkthrough `npm start` prints. Every command is complete as printed (the API URL,
 * key, receiver port and secret filled in) and can run again as it is: the secret is kept in the
 * data directory, so a receiver started earlier still verifies after a restart; the endpoint is
 * registered only if none has its description yet (not its URL: an endpoint another example put at
 * that URL signs with another secret, which the receiver rejects); the event's id is captured into
 * EVENT_ID with grep, so no step needs jq or a value pasted by hand.
 * test/integration/walkthrough.test.ts runs the printed commands in bash, twice.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSecret } from "../functions/core/kernel/signing.ts";

/** The file in the data directory that keeps the walkthrough's signing secret across restarts. */
export const SECRET_FILE = "walkthrough-secret";

/** The walkthrough's secret: the one kept in `dataDir`, or a new one (kept there, if there is a directory). */
export function walkthroughSecret(dataDir: string | undefined): string {
  if (dataDir === undefined) return generateSecret();
  const file = join(dataDir, SECRET_FILE);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (/^whsec_[A-Za-z0-9+/=]+$/.test(kept)) return kept;
  } catch {
    // None kept yet.
  }
  const secret = generateSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** What the walkthrough needs to know about the running stack. */
export interface WalkthroughFacts {
  api: string;
  /** The WebSocket push URL. */
  websocket?: string;
  key: string;
  dataDir: string | undefined;
  receiverPort: number;
  secret: string;
}

/** The banner and walkthrough, as printed. */
export function walkthroughText({ api, websocket, key, dataDir, receiverPort, secret }: WalkthroughFacts): string {
  const auth = `-H 'authorization: Bearer ${key}'`;
  const json = `${auth} -H 'content-type: application/json'`;
  const receiver = `http://127.0.0.1:${receiverPort}/webhooks`;
  const description = `npm start walkthrough: ${receiver}`;
  const data = dataDir ? `${dataDir}/ (kept across restarts; --in-memory for a throwaway run)` : "in memory (gone when this process stops)";
  return `
hookrelay local stack
  API        ${api}   (health: ${api}/v1/health)
  Console    ${api}/console   (sign in with the admin key)${websocket === undefined ? "" : `\n  WebSocket  ${websocket}   (push of polling endpoints' feeds: docs/websocket.md)`}
  Admin key  ${key}
  Data       ${data}

Walkthrough (copy and paste each step's commands; each step can run again as it is):
  # 1. in another terminal, a receiver on 127.0.0.1:${receiverPort} that checks signatures
  #    (for another port: RECEIVER_PORT=<port> npm start prints these commands for it)
  RECEIVER_PORT=${receiverPort} WEBHOOK_SECRET=${secret} npm run receiver

  # 2. register it as an endpoint with the receiver's secret, unless an earlier run did
  curl -s '${api}/v1/endpoints?limit=250' ${auth} | grep -qF '"description":"${description}"' ||
    curl -s -w '\\n' ${api}/v1/endpoints ${json} \\
      -d '{"url":"${receiver}","secret":"${secret}","eventTypes":["invoice.paid"],"description":"${description}"}'

  #    or, without registering a URL: a temporary polling endpoint whose feed is forwarded to the
  #    receiver (Ctrl-C deletes the endpoint)
  npx hookrelay listen --api ${api} --key ${key} --secret ${secret} \\
    --forward-to ${receiver} --events invoice.paid

  # 3. emit an event (the receiver prints it, signature verified) and keep its id in EVENT_ID
  EVENT_ID=$(curl -s ${api}/v1/events ${json} \\
    -d '{"type":"invoice.paid","payload":{"invoice":"in_123","amount":4200}}' | grep -o 'evt_[0-9a-f]*' | head -n 1)
  echo "$EVENT_ID"

  # 4. read the event's deliveries and its attempts
  curl -s -w '\\n' ${api}/v1/events/$EVENT_ID ${auth}
  curl -s -w '\\n' ${api}/v1/events/$EVENT_ID/attempts ${auth}

Each delivery attempt is logged below as one line. Ctrl-C stops gracefully.
`;
}

/** The emulators that play the customer's AWS account for AWS destinations (local/customer-account.ts). */
export type CustomerUrls = Record<"sqs" | "sns" | "s3" | "kinesis" | "events" | "sts", string>;

/**
 * Printed after the walkthrough (its ports change at every start, the walkthrough's do not): the
 * emulators' URLs, and a queue created, registered as an `sqs` destination and read. It runs again
 * as it is: the queue is created once, and the endpoint is registered only if none has its
 * description (not its queue URL, whose port changes; the destination's calls go to the emulator,
 * whatever port the URL names).
 */
export function destinationsText(api: string, key: string, aws: CustomerUrls): string {
  const sqs = (target: string, body: string) =>
    `curl -s -w '\\n' ${aws.sqs} -H 'x-amz-target: AmazonSQS.${target}' -H 'content-type: application/x-amz-json-1.0' -d '${body}'`;
  const queueUrl = `${aws.sqs}/000000000000/my-events`;
  const description = "npm start destinations: my-events";
  return `
AWS destinations: these emulators play your AWS account (docs/destinations.md)
  SQS, SNS, S3  ${aws.sqs} (SNS ${aws.sns}, S3 ${aws.s3})
  Kinesis       ${aws.kinesis}
  EventBridge   ${aws.events} (records PutEvents)   STS ${aws.sts} (records AssumeRole)
  # create a queue, register it as an sqs destination (unless an earlier run did), and read what arrived
  ${sqs("CreateQueue", '{"QueueName":"my-events"}')}
  curl -s '${api}/v1/endpoints?limit=250' -H 'authorization: Bearer ${key}' | grep -qF '"description":"${description}"' ||
    curl -s -w '\\n' ${api}/v1/endpoints -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\
      -d '{"kind":"sqs","queueUrl":"${queueUrl}","eventTypes":["invoice.paid"],"description":"${description}"}'
  ${sqs("ReceiveMessage", `{"QueueUrl":"${queueUrl}","MessageAttributeNames":["All"],"WaitTimeSeconds":5}`)}
`;
}
