import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { KinesisClient, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, type AssumeRoleCommandInput, type AssumeRoleCommandOutput, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity } from "@smithy/types";
import { deliveryAttributes, envelope, type SignedDelivery, s3Key } from "../../core/destinations/message.ts";
import type { DestinationTarget } from "../../core/destinations/targets.ts";

/*
 * The AWS SDK calls of destinations, in a module of their own: the functions' bundles build it as a
 * separate file (aws-destinations.mjs, lib/dispatcher-function.ts) with its own copy of the SDK's
 * core, loaded on the first destination delivery or roleArn check. Were it a chunk of the function's
 * bundle, the SDK core files the cold start loads would grow by the protocols these clients use.
 */

/** How a client is made: where, as whom, within which time. */
export interface ClientOptions {
  region: string;
  credentials?: AwsCredentialIdentity;
  /** The emulator (local stack only). */
  endpoint?: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** EventBridge `source`. */
  eventSource: string;
}

/** One put of a signed delivery. */
export type Put = (target: DestinationTarget, d: SignedDelivery, createdAt: string) => Promise<unknown>;

/** A put for the target's service, on a client made once for these options (the SDK does not retry: the delivery schedule does). */
export function putterFor(target: DestinationTarget, options: ClientOptions): Put {
  const endpoint = options.endpoint;
  const requestHandler = new NodeHttpHandler({ connectionTimeout: options.connectionTimeoutMs, requestTimeout: options.requestTimeoutMs });
  // HTTP/1.1 everywhere: the Kinesis client would default to HTTP/2 (for SubscribeToShard), which kinesalite does not speak.
  const config = {
    region: options.region,
    maxAttempts: 1,
    requestHandler,
    ...(options.credentials && { credentials: options.credentials }),
    ...(endpoint !== undefined && { endpoint }),
  };
  switch (target.kind) {
    case "sqs": {
      // Never the queue URL's host: the SDK would otherwise send to whatever host the customer's URL names.
      const client = new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
      return (t, d) => {
        const q = t as DestinationTarget & { kind: "sqs" };
        return client.send(
          new SendMessageCommand({
            QueueUrl: q.queueUrl,
            MessageBody: d.body,
            MessageAttributes: stringAttributes(d),
            // A FIFO queue orders per endpoint and dedupes by webhook-id within its 5-minute window.
            ...(q.fifo && { MessageGroupId: d.endpointId, MessageDeduplicationId: d.id }),
          }),
        );
      };
    }
    case "sns": {
      const client = new SNSClient(config);
      return (t, d) => {
        const topic = t as DestinationTarget & { kind: "sns" };
        return client.send(
          new PublishCommand({
            TopicArn: topic.topicArn,
            Message: d.body,
            MessageAttributes: stringAttributes(d),
            ...(topic.fifo && { MessageGroupId: d.endpointId, MessageDeduplicationId: d.id }),
          }),
        );
      };
    }
    case "eventbridge": {
      const client = new EventBridgeClient(config);
      return async (t, d) => {
        const bus = t as DestinationTarget & { kind: "eventbridge" };
        const answer = await client.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: bus.eventBusArn,
                Source: options.eventSource,
                DetailType: bus.detailType ?? d.type,
                Detail: envelope(d),
              },
            ],
          }),
        );
        // PutEvents answers 200 with the entry's own error: raised as the service error it names.
        const entry = answer.FailedEntryCount ? answer.Entries?.[0] : undefined;
        if (entry?.ErrorCode)
          throw Object.assign(new Error(entry.ErrorMessage ?? entry.ErrorCode), {
            name: entry.ErrorCode,
            $metadata: { httpStatusCode: 400 },
          });
      };
    }
    case "kinesis": {
      const client = new KinesisClient(config);
      return (t, d) => {
        const stream = t as DestinationTarget & { kind: "kinesis" };
        return client.send(
          new PutRecordCommand({
            // kinesalite predates StreamARN and requires the name; AWS takes the ARN, which names the account too.
            ...(endpoint !== undefined ? { StreamName: stream.name } : { StreamARN: stream.streamArn }),
            Data: Buffer.from(envelope(d)),
            PartitionKey: partitionKey(stream.partitionKeyField, d),
          }),
        );
      };
    }
    case "s3": {
      const client = new S3Client({ ...config, ...(endpoint !== undefined && { forcePathStyle: true }) });
      return (t, d, createdAt) => {
        const bucket = t as DestinationTarget & { kind: "s3" };
        return client.send(
          new PutObjectCommand({
            Bucket: bucket.bucket,
            Key: s3Key(bucket.prefix, d, createdAt),
            Body: d.body,
            ContentType: "application/json",
            Metadata: deliveryAttributes(d),
          }),
        );
      };
    }
  }
}

/** AssumeRole through one STS client per region and endpoint. */
export function assumeRoleCall(
  region: string,
  endpoint: string | undefined,
): (input: AssumeRoleCommandInput) => Promise<AssumeRoleCommandOutput> {
  const client = new STSClient({ region, maxAttempts: 2, ...(endpoint !== undefined && { endpoint }) });
  return (input) => client.send(new AssumeRoleCommand(input));
}

function stringAttributes(d: SignedDelivery): Record<string, { DataType: string; StringValue: string }> {
  return Object.fromEntries(Object.entries(deliveryAttributes(d)).map(([k, v]) => [k, { DataType: "String", StringValue: v }]));
}

/** The record's partition key: the payload field at `field` (a dotted path) when it holds a string or number, else the event id; at most 256 characters. */
export function partitionKey(field: string | undefined, d: SignedDelivery): string {
  if (field !== undefined) {
    try {
      let value: unknown = JSON.parse(d.body);
      for (const part of field.split("."))
        value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
      if ((typeof value === "string" && value !== "") || typeof value === "number") return String(value).slice(0, 256);
    } catch {
      // An unparsable body has no field: the event id keys it.
    }
  }
  return d.eventId.slice(0, 256);
}
