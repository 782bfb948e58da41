/**
 * Stage 1's measuring process: the delivery handler (functions/delivery/handler.ts) fed SQS batches
 * directly, its endpoint store, attempt log and queue on in-memory stand-ins, posting to a loopback
 * receiver in another process; and, as its limit, raw node:http POSTs with the same keep-alive agent
 * settings, the same headers and body, to the same receiver, at the same concurrency.
 */
import http from "node:http";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { NodeHttpSender } from "../../functions/adapters/http/http-sender.ts";
import { createLog } from "../../functions/adapters/lambda/logger.ts";
import { createDeliveryMetrics } from "../../functions/adapters/lambda/metrics.ts";
import { parseConfig } from "../../functions/core/config/config.ts";
import {
  type DeliveryDeps,
  type DeliveryLog,
  deliveryPolicy,
  type EndpointLookup,
  type RetryControl,
} from "../../functions/core/delivery/deps.ts";
import { USER_AGENT } from "../../functions/core/delivery/send.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import type { AttemptRecord, Endpoint } from "../../functions/core/kernel/model.ts";
import { deliveryMessage, serializeMessage } from "../../functions/core/kernel/queue-message.ts";
import { Signer } from "../../functions/core/kernel/signing.ts";
import { TenantStatusCache } from "../../functions/core/lifecycle/retention.ts";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";
import { createDeliveryHandler } from "../../functions/delivery/handler.ts";
import { lambdaContext } from "../../local/http-gateway.ts";
import { idleDeliveryPorts } from "../../test/support/idle-ports.ts";
import { serveParent } from "../support/child.ts";
import { invoicePayload } from "../support/payload.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/** About 1 KB of JSON, the payload size of the cost figures. */
export const PAYLOAD = JSON.stringify(invoicePayload(1));

interface RunArgs {
  /** rawSignal: raw plus the one thing NodeHttpSender adds that costs most, an AbortSignal.timeout per request. */
  mode: "raw" | "rawSignal" | "sender" | "handler";
  url: string;
  /** Requests in flight: raw/sender loops, or handler invocations x batch size. */
  concurrency: number;
  batchSize: number;
  durationMs: number;
}

export interface RunResult {
  mode: string;
  operations: number;
  seconds: number;
  perSecond: number;
  cpuMicrosPerOperation: number;
  failures: number;
}

/** The same keep-alive agent settings as NodeHttpSender's. */
const rawAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1_000, maxSockets: 256, maxFreeSockets: 64, scheduling: "lifo" });

function rawPost(url: URL, headers: Record<string, string>, payload: Buffer, withSignal = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const signal = withSignal ? AbortSignal.timeout(15_000) : undefined;
    const request = http.request(url, { method: "POST", agent: rawAgent, headers, ...(signal && { signal }) });
    request.on("error", reject);
    request.on("response", (response) => {
      response.on("data", () => undefined);
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.end(payload);
  });
}

// The handler's ports: a fixed endpoint, an attempt log and a queue that only count.
let recorded = 0;
let notSucceeded = 0;
const endpointFor = (url: string): Endpoint => ({
  id: "ep_bench",
  tenantId: "default",
  url,
  enabled: true,
  headers: {},
  secret: SECRET,
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
});

/** The configuration's defaults, as a deployed worker without overrides has them. */
const DEFAULTS = parseConfig({ TABLE_NAME: "-", DELIVERY_QUEUE_URL: "-", DEAD_LETTER_QUEUE_URL: "-" });

function handlerFor(url: string) {
  const endpoint = endpointFor(url);
  const endpoints: EndpointLookup = { get: async () => endpoint };
  const attempts: DeliveryLog = {
    record: async (a: AttemptRecord) => {
      recorded++;
      if (a.status !== "succeeded") notSucceeded++;
    },
    ofDelivery: async () => [],
    byEndpoint: async () => ({ items: [] }),
  };
  const queue: RetryControl = { retryAfter: async () => undefined, deadLetter: async () => undefined };
  // As functions/delivery/index.ts wires it in Lambda: JSON logs and embedded metrics on stdout.
  const log = createLog("json", "INFO", "delivery");
  const metrics = createDeliveryMetrics("json", "delivery");
  const deps: DeliveryDeps = {
    endpoints,
    attempts,
    http: new NodeHttpSender({ timeoutMs: 15_000, policy: new DestinationPolicy(["127.0.0.0/8"], { allowHttp: true }) }),
    queue,
    clock: systemClock,
    retrySchedule: DEFAULTS.retrySchedule,
    logRetentionDays: 30,
    // No tenant records here: every tenant keeps the default, read once per container.
    tenantStatus: new TenantStatusCache({ status: async () => ({}) }, systemClock, 30),
    // First attempts that succeed to a healthy endpoint without a rate limit touch none of these.
    ...idleDeliveryPorts(),
    policy: deliveryPolicy(DEFAULTS),
    lane: "fast",
    // The handler counts attempts into `metrics` itself.
    onAttempt: log.attempt,
  };
  return { handler: createDeliveryHandler(deps, metrics), sender: deps.http as NodeHttpSender };
}

let sequence = 0;
// The message body around its event id, serialised once: building the batch is the harness's work,
// not the handler's, so it should cost as little as it can.
const [BODY_HEAD, BODY_TAIL] = serializeMessage(
  deliveryMessage(
    { id: "evt_bench\u0000", tenantId: "default", type: "invoice.paid", createdAt: "2026-11-01T00:00:00.000Z", body: PAYLOAD },
    "ep_bench",
  ),
).split("\\u0000") as [string, string];
function record(): SQSRecord {
  const n = sequence++;
  const body = `${BODY_HEAD}${n}${BODY_TAIL}`;
  const now = String(Date.now());
  return {
    messageId: `m${n}`,
    receiptHandle: `r${n}`,
    body,
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: now, SenderId: "bench", ApproximateFirstReceiveTimestamp: now },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:bench",
    awsRegion: "us-east-1",
  };
}

const signer = new Signer(SECRET);
function staticHeaders(): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": "msg_bench0000000000000000000000",
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signer.sign("msg_bench0000000000000000000000", timestamp, PAYLOAD),
    "content-length": String(Buffer.byteLength(PAYLOAD)),
  };
}

const wired = new Map<string, ReturnType<typeof handlerFor>>();

async function run(args: RunArgs): Promise<RunResult> {
  const target = new URL(args.url);
  let w = wired.get(args.url);
  if (!w) {
    w = handlerFor(args.url);
    wired.set(args.url, w);
  }
  const { handler, sender } = w;
  const deadline = performance.now() + args.durationMs;
  const payload = Buffer.from(PAYLOAD);
  const headers = staticHeaders();
  const { "content-length": _length, ...senderHeaders } = headers;
  let operations = 0;
  let failures = 0;
  const beforeRecorded = notSucceeded;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const loops: Promise<void>[] = [];
  if (args.mode === "handler") {
    const invocations = Math.max(1, Math.round(args.concurrency / args.batchSize));
    for (let i = 0; i < invocations; i++) {
      loops.push(
        (async () => {
          while (performance.now() < deadline) {
            const event: SQSEvent = { Records: Array.from({ length: args.batchSize }, record) };
            const result = await handler(event, lambdaContext("delivery"));
            operations += args.batchSize;
            failures += result.batchItemFailures.length;
          }
        })(),
      );
    }
  } else {
    for (let i = 0; i < args.concurrency; i++) {
      loops.push(
        (async () => {
          while (performance.now() < deadline) {
            if (args.mode === "raw" || args.mode === "rawSignal") {
              const status = await rawPost(target, headers, payload, args.mode === "rawSignal");
              if (status !== 204) failures++;
            } else {
              const result = await sender.post(args.url, senderHeaders, PAYLOAD);
              if (result.kind !== "response" || result.statusCode !== 204) failures++;
            }
            operations++;
          }
        })(),
      );
    }
  }
  await Promise.all(loops);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    mode: args.mode,
    operations,
    seconds,
    perSecond: operations / seconds,
    cpuMicrosPerOperation: (used.user + used.system) / operations,
    failures: failures + (notSucceeded - beforeRecorded),
  };
}

serveParent({ run: (args) => run(args as unknown as RunArgs), recorded: () => recorded });
process.send?.({ pid: process.pid });
