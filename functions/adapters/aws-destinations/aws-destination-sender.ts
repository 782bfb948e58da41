import type { AwsCredentialIdentity } from "@smithy/types";
import type { DestinationAccess } from "../../core/destinations/access.ts";
import { deliveryAttributes, envelope, type SignedDelivery, s3Key } from "../../core/destinations/message.ts";
import { type DestinationResult, type DestinationSender, DestinationUnavailableError } from "../../core/destinations/ports.ts";
import type { DestinationTarget } from "../../core/destinations/targets.ts";
import { failureKind, statusOf } from "./failure-kinds.ts";
import { AssumeRoleError, type RoleSessions } from "./role-sessions.ts";

/*
 * The destination port over the AWS SDK. Each service's client is a dynamic import made on its
 * first delivery, so a webhook-only deployment loads none of them (test/infra/bundles.test.ts). A
 * client is made per service, region and access, and calls the region's endpoint (or, locally, the
 * emulator named in DESTINATION_ENDPOINT_URLS): never a host taken from the customer's input. The
 * SDK does not retry (maxAttempts 1): the delivery's own schedule does, and logs each attempt.
 */

/** The services the sender calls, as DESTINATION_ENDPOINT_URLS names them. */
export type DestinationService = "sqs" | "sns" | "s3" | "kinesis" | "events" | "sts";

export interface AwsDestinationSenderOptions {
  sessions: RoleSessions;
  /** The emulators standing in for AWS (local stack only). */
  endpoints: Partial<Record<DestinationService, string>>;
  /** EventBridge `source` (DESTINATION_EVENT_SOURCE). */
  eventSource: string;
  /** A put's time limit (DELIVERY_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => number;
}

interface Client {
  send(command: unknown): Promise<unknown>;
}
type Put = (target: DestinationTarget, d: SignedDelivery, createdAt: string) => Promise<unknown>;

/** Puts signed deliveries into SQS, SNS, EventBridge, Kinesis and S3. */
export class AwsDestinationSender implements DestinationSender {
  private readonly clients = new Map<string, Promise<{ client: Client; put: Put }>>();
  private readonly now: () => number;
  private readonly options: AwsDestinationSenderOptions;

  constructor(options: AwsDestinationSenderOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  async send(
    target: DestinationTarget,
    delivery: SignedDelivery,
    access: DestinationAccess,
    createdAt: string,
  ): Promise<DestinationResult> {
    const started = this.now();
    let credentials: AwsCredentialIdentity | undefined;
    try {
      credentials = await this.options.sessions.credentialsFor(access);
    } catch (error) {
      if (error instanceof AssumeRoleError && error.fault === "destination") {
        return { ok: false, failure: "denied", message: error.message, durationMs: this.now() - started };
      }
      throw new DestinationUnavailableError(`credentials for ${target.kind} ${target.name}: ${String(error)}`, { cause: error });
    }
    const { put } = await this.clientFor(target, access, credentials);
    try {
      await put(target, delivery, createdAt);
      return { ok: true, durationMs: this.now() - started };
    } catch (error) {
      const kind = failureKind(error);
      if (kind === "ours") throw new DestinationUnavailableError(`${target.kind} ${target.name}: ${String(error)}`, { cause: error });
      const statusCode = statusOf(error);
      return {
        ok: false,
        failure: kind,
        message: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 1024),
        durationMs: this.now() - started,
        ...(statusCode !== undefined && { statusCode }),
      };
    }
  }

  private clientFor(target: DestinationTarget, access: DestinationAccess, credentials: AwsCredentialIdentity | undefined) {
    const who = access.kind === "role" ? `${access.roleArn}\0${access.externalId}` : `tag\0${access.tenantId}`;
    // Keyed by the credentials' key id too: a refreshed session gets a new client, the old one is dropped.
    const key = `${target.kind}\0${target.region}\0${who}\0${credentials?.accessKeyId ?? ""}`;
    let made = this.clients.get(key);
    if (!made) {
      if (this.clients.size >= 500) this.clients.clear();
      made = this.make(target, credentials);
      this.clients.set(key, made);
      made.catch(() => this.clients.delete(key));
    }
    return made;
  }

  private async make(target: DestinationTarget, credentials: AwsCredentialIdentity | undefined): Promise<{ client: Client; put: Put }> {
    const service: DestinationService = target.kind === "eventbridge" ? "events" : target.kind;
    const endpoint = this.options.endpoints[service];
    const config = {
      region: target.region,
      maxAttempts: 1,
      ...(credentials && { credentials }),
      ...(endpoint !== undefined && { endpoint }),
      requestHandler: { connectionTimeout: Math.min(3000, this.options.timeoutMs), requestTimeout: this.options.timeoutMs },
    };
    switch (target.kind) {
      case "sqs": {
        const m = await import("@aws-sdk/client-sqs");
        const client = new m.SQSClient(config);
        return {
          client,
          put: (t, d) => {
            const q = t as DestinationTarget & { kind: "sqs" };
            return client.send(
              new m.SendMessageCommand({
                QueueUrl: q.queueUrl,
                MessageBody: d.body,
                MessageAttributes: stringAttributes(d),
                // A FIFO queue orders per endpoint and dedupes by webhook-id within its 5-minute window.
                ...(q.fifo && { MessageGroupId: d.endpointId, MessageDeduplicationId: d.id }),
              }),
            );
          },
        };
      }
      case "sns": {
        const m = await import("@aws-sdk/client-sns");
        const client = new m.SNSClient(config);
        return {
          client,
          put: (t, d) => {
            const topic = t as DestinationTarget & { kind: "sns" };
            return client.send(
              new m.PublishCommand({
                TopicArn: topic.topicArn,
                Message: d.body,
                MessageAttributes: stringAttributes(d),
                ...(topic.fifo && { MessageGroupId: d.endpointId, MessageDeduplicationId: d.id }),
              }),
            );
          },
        };
      }
      case "eventbridge": {
        const m = await import("@aws-sdk/client-eventbridge");
        const client = new m.EventBridgeClient(config);
        return {
          client,
          put: async (t, d) => {
            const bus = t as DestinationTarget & { kind: "eventbridge" };
            const answer = await client.send(
              new m.PutEventsCommand({
                Entries: [
                  {
                    EventBusName: bus.eventBusArn,
                    Source: this.options.eventSource,
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
          },
        };
      }
      case "kinesis": {
        const [m, { NodeHttpHandler }] = await Promise.all([import("@aws-sdk/client-kinesis"), import("@smithy/node-http-handler")]);
        // The Kinesis client defaults to HTTP/2 (for SubscribeToShard); PutRecord needs only HTTP/1.1, which kinesalite speaks too.
        const client = new m.KinesisClient({ ...config, requestHandler: new NodeHttpHandler(config.requestHandler) });
        return {
          client,
          put: (t, d) => {
            const stream = t as DestinationTarget & { kind: "kinesis" };
            return client.send(
              new m.PutRecordCommand({
                // kinesalite predates StreamARN and requires the name; AWS takes the ARN, which names the account too.
                ...(this.options.endpoints.kinesis !== undefined ? { StreamName: stream.name } : { StreamARN: stream.streamArn }),
                Data: Buffer.from(envelope(d)),
                PartitionKey: partitionKey(stream.partitionKeyField, d),
              }),
            );
          },
        };
      }
      case "s3": {
        const m = await import("@aws-sdk/client-s3");
        const client = new m.S3Client({ ...config, ...(endpoint !== undefined && { forcePathStyle: true }) });
        return {
          client,
          put: (t, d, createdAt) => {
            const bucket = t as DestinationTarget & { kind: "s3" };
            return client.send(
              new m.PutObjectCommand({
                Bucket: bucket.bucket,
                Key: s3Key(bucket.prefix, d, createdAt),
                Body: d.body,
                ContentType: "application/json",
                Metadata: deliveryAttributes(d),
              }),
            );
          },
        };
      }
    }
  }
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
