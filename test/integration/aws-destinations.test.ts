import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from "@aws-sdk/client-kinesis";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULTS } from "../../local/destination-faults.ts";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";
import { eventually } from "../support/local-stack.ts";

/*
 * AWS destinations on the local stack: the emulators play the customer's account (fauxqs for SQS,
 * SNS and S3, kinesalite for Kinesis, the recording EventBridge and STS), and events go through the
 * real API, queue, worker and table. Denied and throttled answers come from the stack's fault proxy.
 */
const TENANT = "aws-it";
let stack: LocalStack;
const local = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
let sqs: SQSClient;

beforeAll(async () => {
  process.env.RETRY_SCHEDULE = "1,1,1";
  process.env.SLOW_DOWN_DELAY_SECONDS = "1";
  stack = await startLocalStack({
    port: 0,
    dataDir: undefined,
    deadLetterConsumer: false,
    concurrency: 2,
    deliverAutomatically: true,
    faultInjection: false,
    sweepIntervalMs: false,
    // A delivery left to the queue (our own failure) comes back after this.
    visibilityTimeoutSeconds: 2,
    log: () => undefined,
  });
  sqs = new SQSClient({ ...local, endpoint: stack.customer.direct.fauxqs });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(stack.apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${stack.adminKey}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** Registers a destination of the tenant for `type` and answers its id and secret. */
async function register(body: object, type: string): Promise<{ id: string; secret: string }> {
  const created = await api("POST", "/v1/endpoints", { tenantId: TENANT, eventTypes: [type], ...body });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json;
}
const emit = async (type: string, payload: unknown) =>
  (await api("POST", "/v1/events", { type, tenantId: TENANT, payload })).json as { id: string };
const attemptsOf = async (eventId: string) =>
  (await api("GET", `/v1/events/${eventId}/attempts?tenantId=${TENANT}`)).json.items as {
    status: string;
    error?: string;
    errorMessage?: string;
    url: string;
    attempt: number;
  }[];
async function queue(name: string): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
}
async function receive(queueUrl: string) {
  return eventually(
    async () =>
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }))).Messages?.[0],
  );
}
const attributes = (m: { MessageAttributes?: Record<string, { StringValue?: string }> }) =>
  Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]));

describe("an sqs destination", () => {
  it("receives the event's exact body with webhook-id, type, timestamp and signature attributes that verify", async () => {
    const queueUrl = await queue("orders-it");
    const endpoint = await register({ kind: "sqs", queueUrl }, "sqs.paid");
    const event = await emit("sqs.paid", { order: "o_1", note: "héllo" });
    const message = await receive(queueUrl);
    const attrs = attributes(message);
    expect(attrs["webhook-type"]).toBe("sqs.paid");
    expect(new Webhook(endpoint.secret).verify(message.Body ?? "", attrs)).toEqual({ order: "o_1", note: "héllo" });
    const attempts = await eventually(async () => ((await attemptsOf(event.id)).length > 0 ? attemptsOf(event.id) : undefined));
    expect(attempts).toEqual([expect.objectContaining({ status: "succeeded", url: queueUrl })]);
    // Without a roleArn the delivery assumed the destination role tagged with the tenant.
    expect(stack.customer.sts.calls).toContainEqual(expect.objectContaining({ tags: { "hookrelay-tenant": TENANT } }));
  });

  it("calls the region's endpoint (here the emulator), never the host a queue URL names", async () => {
    const queueUrl = await queue("elsewhere-it");
    // Nothing listens on 127.0.0.9:9; the delivery still arrives, through the configured endpoint.
    const endpoint = await register({ kind: "sqs", queueUrl: "http://127.0.0.9:9/000000000000/elsewhere-it" }, "sqs.elsewhere");
    await emit("sqs.elsewhere", { where: "endpoint" });
    const message = await receive(queueUrl);
    expect(new Webhook(endpoint.secret).verify(message.Body ?? "", attributes(message))).toEqual({ where: "endpoint" });
  });

  it("records a missing queue as the destination's failure and retries it", async () => {
    const queueUrl = `${stack.customer.direct.fauxqs}/000000000000/never-created-it`;
    await register({ kind: "sqs", queueUrl }, "sqs.missing");
    const event = await emit("sqs.missing", { n: 1 });
    const attempts = await eventually(async () => {
      const got = await attemptsOf(event.id);
      return got.length >= 2 ? got : undefined;
    });
    for (const a of attempts)
      expect(a).toMatchObject({ error: "destination_missing", errorMessage: expect.stringMatching(/NonExistentQueue|QueueDoesNotExist/) });
  });

  it("records a denied policy and throttling, retrying each, and delivers once the fault is gone", async () => {
    for (const [fault, error] of [
      ["denied", "destination_denied"],
      ["throttled", "destination_throttled"],
    ] as const) {
      const name = `faulty-${fault}-it`;
      const queueUrl = await queue(name);
      stack.customer.fault("sqs", name, FAULTS[fault].sqs);
      const type = `sqs.${fault}`;
      const endpoint = await register({ kind: "sqs", queueUrl }, type);
      const event = await emit(type, { fault });
      await eventually(async () => ((await attemptsOf(event.id)).length >= 2 ? true : undefined));
      stack.customer.fault("sqs", name, undefined);
      const message = await receive(queueUrl);
      expect(new Webhook(endpoint.secret).verify(message.Body ?? "", attributes(message))).toEqual({ fault });
      const attempts = await eventually(async () => {
        const got = await attemptsOf(event.id);
        return got.some((a) => a.status === "succeeded") ? got : undefined;
      });
      expect(attempts.filter((a) => a.status === "failed").every((a) => a.error === error)).toBe(true);
      expect(attempts.filter((a) => a.status === "failed").length).toBeGreaterThanOrEqual(2);
    }
  });

  it("leaves a delivery to the queue when the connection fails on our side: no failed attempt is shown", async () => {
    const name = "cut-it";
    const queueUrl = await queue(name);
    stack.customer.fault("sqs", name, "cut");
    const endpoint = await register({ kind: "sqs", queueUrl }, "sqs.cut");
    const before = stack.customer.faulted("sqs");
    const event = await emit("sqs.cut", { cut: true });
    await eventually(async () => (stack.customer.faulted("sqs") > before ? true : undefined));
    stack.customer.fault("sqs", name, undefined);
    // The queue redelivers after its visibility timeout (2 s here), and the first attempt anyone sees is the success.
    const message = await receive(queueUrl);
    expect(new Webhook(endpoint.secret).verify(message.Body ?? "", attributes(message))).toEqual({ cut: true });
    const attempts = await eventually(async () => ((await attemptsOf(event.id)).length > 0 ? attemptsOf(event.id) : undefined));
    expect(attempts).toEqual([expect.objectContaining({ status: "succeeded", attempt: 1 })]);
  });

  it("refuses the dispatcher's own queue by name, and a roleArn the recording STS refuses for the tenant's ExternalId", async () => {
    const own = await api("POST", "/v1/endpoints", { tenantId: TENANT, kind: "sqs", queueUrl: stack.deliveryQueueUrl });
    expect(own.json.error).toMatchObject({ code: "destination_not_allowed", details: [{ path: "queueUrl" }] });
    const role = "arn:aws:iam::000000000000:role/customer-it";
    const { externalId } = (await api("GET", `/v1/destination-access?tenantId=${TENANT}`)).json;
    stack.customer.sts.trust(role, externalId);
    const queueUrl = await queue("role-it");
    const stranger = await api("POST", "/v1/endpoints", { tenantId: "stranger", kind: "sqs", queueUrl, roleArn: role });
    expect(stranger.status).toBe(422);
    expect(stranger.json.error.details[0].path).toBe("roleArn");
    await register({ kind: "sqs", queueUrl, roleArn: role }, "sqs.role");
    await emit("sqs.role", { via: "role" });
    await receive(queueUrl);
    expect(stack.customer.sts.calls.filter((c) => c.roleArn === role).map((c) => c.externalId)).toContain(externalId);
  });
});

describe("an sns destination", () => {
  it("publishes to the topic, and its SQS subscription receives the body and attributes", async () => {
    const sns = new SNSClient({ ...local, endpoint: stack.customer.direct.fauxqs });
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: "orders-topic-it" }))).TopicArn as string;
    const queueUrl = await queue("topic-sub-it");
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes
      ?.QueueArn;
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, Attributes: { RawMessageDelivery: "true" } }),
    );
    const endpoint = await register({ kind: "sns", topicArn }, "sns.paid");
    await emit("sns.paid", { topic: true });
    const message = await receive(queueUrl);
    expect(new Webhook(endpoint.secret).verify(message.Body ?? "", attributes(message))).toEqual({ topic: true });
  });
});

describe("an s3 destination", () => {
  it("writes one object per event under the prefix, with the webhook fields as metadata", async () => {
    const s3 = new S3Client({ ...local, endpoint: stack.customer.direct.fauxqs, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "events-it" }));
    const endpoint = await register({ kind: "s3", bucket: "events-it", prefix: "hooks/" }, "s3.paid");
    await emit("s3.paid", { object: 1 });
    const key = await eventually(
      async () => (await s3.send(new ListObjectsV2Command({ Bucket: "events-it", Prefix: "hooks/" }))).Contents?.[0]?.Key,
    );
    expect(key).toMatch(/^hooks\/\d{4}\/\d{2}\/\d{2}\/s3\.paid\/msg_[^/]+\.json$/);
    const object = await s3.send(new GetObjectCommand({ Bucket: "events-it", Key: key }));
    const body = await object.Body?.transformToString();
    expect(new Webhook(endpoint.secret).verify(body ?? "", object.Metadata ?? {})).toEqual({ object: 1 });
  });
});

describe("a kinesis destination", () => {
  it("puts a record whose data is the envelope, keyed by the chosen payload field", async () => {
    const kinesis = new KinesisClient({ ...local, endpoint: stack.customer.direct.kinesis, requestHandler: new NodeHttpHandler() });
    await kinesis.send(new CreateStreamCommand({ StreamName: "events-it", ShardCount: 1 }));
    await eventually(async () =>
      (await kinesis.send(new DescribeStreamCommand({ StreamName: "events-it" }))).StreamDescription?.StreamStatus === "ACTIVE"
        ? true
        : undefined,
    );
    const endpoint = await register(
      { kind: "kinesis", streamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/events-it", partitionKeyField: "customer.id" },
      "kinesis.paid",
    );
    await emit("kinesis.paid", { customer: { id: "cus_9" } });
    const shard = (await kinesis.send(new DescribeStreamCommand({ StreamName: "events-it" }))).StreamDescription?.Shards?.[0]?.ShardId;
    const iterator = (
      await kinesis.send(new GetShardIteratorCommand({ StreamName: "events-it", ShardId: shard, ShardIteratorType: "TRIM_HORIZON" }))
    ).ShardIterator;
    const record = await eventually(async () => (await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records?.[0]);
    expect(record.PartitionKey).toBe("cus_9");
    const { body, ...fields } = JSON.parse(Buffer.from(record.Data ?? []).toString("utf8"));
    expect(new Webhook(endpoint.secret).verify(body, fields)).toEqual({ customer: { id: "cus_9" } });
  });
});

describe("an eventbridge destination", () => {
  it("sends the envelope as detail, the event type as detail-type, and records a denied bus as the destination's failure", async () => {
    const eventBusArn = "arn:aws:events:us-east-1:000000000000:event-bus/partner-it";
    const endpoint = await register({ kind: "eventbridge", eventBusArn }, "bus.paid");
    await emit("bus.paid", { bus: 1 });
    const sent = await eventually(async () => stack.customer.eventBridge.events.find((e) => e.EventBusName === eventBusArn));
    expect(sent).toMatchObject({ Source: "hookrelay", DetailType: "bus.paid" });
    const { body, ...fields } = JSON.parse(sent.Detail);
    expect(new Webhook(endpoint.secret).verify(body, fields)).toEqual({ bus: 1 });

    const deniedBus = "arn:aws:events:us-east-1:000000000000:event-bus/denied-it";
    stack.customer.eventBridge.denied.add(deniedBus);
    await register({ kind: "eventbridge", eventBusArn: deniedBus }, "bus.denied");
    const event = await emit("bus.denied", {});
    const attempts = await eventually(async () => ((await attemptsOf(event.id)).length >= 2 ? attemptsOf(event.id) : undefined));
    expect(attempts.every((a) => a.error === "destination_denied")).toBe(true);
  });
});
