import type { AssumeRoleCommandInput, AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { type DestinationAccess, SESSION_TAG_KEY } from "../../core/destinations/access.ts";
import type { RoleCheck } from "../../core/destinations/ports.ts";
import { DependencyError } from "../../core/kernel/errors.ts";
import { failureKind } from "./failure-kinds.ts";
import { loadSdkCalls } from "./load-sdk-calls.ts";

/*
 * Credentials for AWS destinations, from STS. The STS client loads with the SDK calls on first use
 * (sdk-calls.ts): a deployment that delivers only webhooks never loads it. Sessions are cached per role (and ExternalId) or per tenant
 * tag until REFRESH_BEFORE_MS before they expire, so a busy destination costs one AssumeRole an hour.
 */

/** A cached session is replaced this long before it expires, so no put starts with credentials about to lapse. */
export const REFRESH_BEFORE_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;
const MAX_CACHED = 1000;

/** Whose fault an AssumeRole failure is: the customer's role refused us (a destination failure), or STS could not be reached (ours). */
export class AssumeRoleError extends Error {
  override readonly name = "AssumeRoleError";
  readonly fault: "destination" | "ours";
  constructor(message: string, fault: "destination" | "ours", options?: { cause?: unknown }) {
    super(message, options);
    this.fault = fault;
  }
}

/** Where STS is and which role the tenant-tagged sessions assume. */
export interface RoleSessionOptions {
  region: string;
  /** DESTINATION_ROLE_ARN; unset, tagged deliveries use the function's own credentials. */
  sessionRoleArn?: string;
  /** The STS endpoint (locally the recording STS); unset, the region's. */
  stsEndpoint?: string;
  now?: () => number;
}

/** AssumeRole, cached: the customer's role with the tenant's ExternalId, or the dispatcher's destination role tagged with the tenant. */
export class RoleSessions implements RoleCheck {
  private sts?: Promise<(input: AssumeRoleCommandInput) => Promise<AssumeRoleCommandOutput>>;
  private readonly cache = new Map<string, { credentials: AwsCredentialIdentity; refreshAt: number }>();
  private readonly now: () => number;
  private readonly options: RoleSessionOptions;

  constructor(options: RoleSessionOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** The credentials a delivery with `access` uses; undefined: the function's own (no destination role configured). */
  async credentialsFor(access: DestinationAccess): Promise<AwsCredentialIdentity | undefined> {
    if (access.kind === "tagged" && this.options.sessionRoleArn === undefined) return undefined;
    const key = access.kind === "role" ? `role\0${access.roleArn}\0${access.externalId}` : `tag\0${access.tenantId}`;
    const cached = this.cache.get(key);
    if (cached && cached.refreshAt > this.now()) return cached.credentials;
    const credentials =
      access.kind === "role"
        ? await this.assume(access.roleArn, sessionName(access.externalId), { ExternalId: access.externalId }, "destination")
        : await this.assume(
            this.options.sessionRoleArn as string,
            sessionName(access.tenantId),
            {
              Tags: [{ Key: SESSION_TAG_KEY, Value: access.tenantId }],
            },
            "ours",
          );
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    const expires = credentials.expiration?.getTime() ?? this.now() + SESSION_SECONDS * 1000;
    this.cache.set(key, { credentials, refreshAt: expires - REFRESH_BEFORE_MS });
    return credentials;
  }

  /** The registration check: one AssumeRole with the tenant's ExternalId; undefined when it worked, else what STS said. */
  async check(roleArn: string, externalId: string): Promise<string | undefined> {
    try {
      await this.assume(roleArn, sessionName(externalId), { ExternalId: externalId }, "destination");
      return undefined;
    } catch (error) {
      if (error instanceof AssumeRoleError && error.fault === "destination") return error.message;
      // STS unreachable is ours: the registration answers 503 and may be tried again, not a 422 about the role.
      throw new DependencyError("sts", String((error as Error).message), { cause: error });
    }
  }

  private async assume(
    roleArn: string,
    session: string,
    extra: { ExternalId?: string; Tags?: { Key: string; Value: string }[] },
    faultOfRefusal: "destination" | "ours",
  ): Promise<AwsCredentialIdentity> {
    const call = await this.client();
    let answer: AssumeRoleCommandOutput;
    try {
      answer = await call({ RoleArn: roleArn, RoleSessionName: session, DurationSeconds: SESSION_SECONDS, ...extra });
    } catch (error) {
      const kind = failureKind(error);
      // STS refusing the customer's role is the customer's configuration; anything else (no answer, throttling of our own calls) is ours.
      const fault = kind === "denied" || kind === "missing" || kind === "rejected" ? faultOfRefusal : "ours";
      throw new AssumeRoleError(`AssumeRole ${roleArn}: ${(error as Error).name}: ${(error as Error).message}`, fault, { cause: error });
    }
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AssumeRoleError(`AssumeRole ${roleArn} answered no credentials`, "ours");
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration && { expiration: c.Expiration }),
    };
  }

  private client() {
    this.sts ??= loadSdkCalls().then(({ assumeRoleCall }) => assumeRoleCall(this.options.region, this.options.stsEndpoint));
    return this.sts;
  }
}

/** A RoleSessionName (2 to 64 of [\w+=,.@-]) that tells the customer's CloudTrail who called. */
function sessionName(of: string): string {
  return `hookrelay-${of.replace(/[^\w+=,.@-]/g, "_")}`.slice(0, 64);
}
