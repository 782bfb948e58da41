import type { AwsCredentialIdentity } from "@smithy/types";
import type { DestinationAccess } from "../../core/destinations/access.ts";
import type { SignedDelivery } from "../../core/destinations/message.ts";
import { type DestinationResult, type DestinationSender, DestinationUnavailableError } from "../../core/destinations/ports.ts";
import type { DestinationTarget } from "../../core/destinations/targets.ts";
import { failureKind, statusOf } from "./failure-kinds.ts";
import { loadSdkCalls } from "./load-sdk-calls.ts";
import { AssumeRoleError, type RoleSessions } from "./role-sessions.ts";
import type { Put } from "./sdk-calls.ts";

/*
 * The destination port over the AWS SDK. The SDK calls load on the first delivery (loadSdkCalls),
 * so a webhook-only deployment loads none of them (test/infra/bundles.test.ts). A
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

/** Puts signed deliveries into SQS, SNS, EventBridge, Kinesis and S3. */
export class AwsDestinationSender implements DestinationSender {
  private readonly clients = new Map<string, Promise<Put>>();
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
    const put = await this.clientFor(target, access, credentials);
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
      const service: DestinationService = target.kind === "eventbridge" ? "events" : target.kind;
      const endpoint = this.options.endpoints[service];
      made = loadSdkCalls().then(({ putterFor }) =>
        putterFor(target, {
          region: target.region,
          ...(credentials && { credentials }),
          ...(endpoint !== undefined && { endpoint }),
          connectionTimeoutMs: Math.min(3000, this.options.timeoutMs),
          requestTimeoutMs: this.options.timeoutMs,
          eventSource: this.options.eventSource,
        }),
      );
      this.clients.set(key, made);
      made.catch(() => this.clients.delete(key));
    }
    return made;
  }
}
