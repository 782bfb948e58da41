import * as v from "valibot";
import { ApiError, type FieldProblem, invalidFields } from "../kernel/errors.ts";
import {
  type CreateEndpointInput,
  DESCRIPTION,
  EVENT_TYPE,
  EVENT_TYPES,
  parse,
  RATE_LIMIT,
  RETRY_SCHEDULE,
  SECRET,
  TENANT_ID,
} from "../requests/validation.ts";
import { accessFor, type OwnResourceRule, ownResourceProblem } from "./access.ts";
import { SIZE_LIMITS, worstCaseBytes } from "./message.ts";
import type { RoleCheck } from "./ports.ts";
import {
  type AwsDestinationKind,
  type DestinationTarget,
  type EndpointDestination,
  type Parsed,
  parseBucket,
  parseEventBusArn,
  parseQueueUrl,
  parseRoleArn,
  parseStreamArn,
  parseTopicArn,
  type TargetRules,
} from "./targets.ts";

/*
 * Registering an AWS destination: the body's shape per kind (valibot, for the parser and the API
 * document), then the target parsed and checked against the deployment (partition, region, own
 * account), then, with a `roleArn`, one AssumeRole with the tenant's ExternalId.
 */

const common = {
  eventTypes: v.optional(EVENT_TYPES),
  tenantId: v.optional(TENANT_ID),
  description: v.optional(DESCRIPTION),
  enabled: v.optional(v.boolean()),
  secret: v.optional(SECRET),
  retrySchedule: v.optional(RETRY_SCHEDULE),
  rateLimitPerSecond: v.optional(RATE_LIMIT),
  roleArn: v.optional(
    v.pipe(
      v.string(),
      v.description(
        "A role in the customer's account trusting the dispatcher with the tenant's ExternalId; absent: the tenant-tagged session",
      ),
    ),
  ),
};
const text = (description: string) => v.pipe(v.string(), v.description(description));

/** The create bodies of the AWS kinds, one per kind. */
export const CreateSqsEndpoint = v.strictObject({
  kind: v.literal("sqs"),
  queueUrl: text("https://sqs.<region>.amazonaws.com/<account>/<name>"),
  ...common,
});
export const CreateSnsEndpoint = v.strictObject({
  kind: v.literal("sns"),
  topicArn: text("arn:aws:sns:<region>:<account>:<topic>"),
  ...common,
});
export const CreateEventBridgeEndpoint = v.strictObject({
  kind: v.literal("eventbridge"),
  eventBusArn: text("arn:aws:events:<region>:<account>:event-bus/<name>"),
  detailType: v.optional(v.pipe(EVENT_TYPE, v.description("The events' detail-type; absent: the event's type"))),
  ...common,
});
export const CreateKinesisEndpoint = v.strictObject({
  kind: v.literal("kinesis"),
  streamArn: text("arn:aws:kinesis:<region>:<account>:stream/<name>"),
  partitionKeyField: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/, "must be a dotted path of up to 8 field names"),
      v.description("A payload field (dotted path) whose value is the partition key; absent: the event id"),
    ),
  ),
  ...common,
});
export const CreateS3Endpoint = v.strictObject({
  kind: v.literal("s3"),
  bucket: text("The bucket's name"),
  region: v.optional(text("The bucket's region; absent: the deployment's")),
  prefix: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(512),
      v.regex(/^[A-Za-z0-9!_.*'()/-]*$/, "must use only S3's safe key characters"),
      v.description("Prepended to every key"),
    ),
  ),
  ...common,
});

/** The create body of any AWS kind. */
export const CreateAwsEndpoint = v.variant("kind", [
  CreateSqsEndpoint,
  CreateSnsEndpoint,
  CreateEventBridgeEndpoint,
  CreateKinesisEndpoint,
  CreateS3Endpoint,
]);
export type CreateAwsEndpointInput = v.InferOutput<typeof CreateAwsEndpoint>;
/** The create body of any kind: a webhook, a polling endpoint or an AWS destination. */
export type AnyCreateEndpointInput = CreateEndpointInput | CreateAwsEndpointInput;

/** Fields of the webhook kinds an AWS destination refuses by name. */
export const NOT_ON_AWS_KINDS = ["url", "headers"] as const;

/** Parses a create body whose `kind` is an AWS kind (422 naming each wrong field). */
export function parseCreateAwsEndpoint(raw: object): CreateAwsEndpointInput {
  const given = NOT_ON_AWS_KINDS.filter((f) => (raw as Record<string, unknown>)[f] !== undefined);
  if (given.length > 0) {
    throw invalidFields(
      given.map((path) => ({ path, message: "is not allowed on an AWS destination: it is delivered through the AWS API" })),
    );
  }
  return parse(CreateAwsEndpoint, raw);
}

/** What registration checks a destination against. */
export interface DestinationRegistrationDeps {
  rules: TargetRules;
  own: OwnResourceRule;
  /** Names the deployment in the ExternalId (access.ts). */
  deployment: string;
  roles: RoleCheck;
  /** The largest event body intake accepts (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** The role tenant-tagged sessions assume (DESTINATION_ROLE_ARN): the principal a resource policy names. */
  sessionRoleArn?: string;
}

/** The target of a create body, parsed and checked; throws 422 naming the field. */
export function targetOf(input: CreateAwsEndpointInput, rules: TargetRules): DestinationTarget {
  const parsed: Parsed<DestinationTarget> = (() => {
    switch (input.kind) {
      case "sqs":
        return parseQueueUrl("queueUrl", input.queueUrl, rules);
      case "sns":
        return parseTopicArn("topicArn", input.topicArn, rules);
      case "eventbridge": {
        const r = parseEventBusArn("eventBusArn", input.eventBusArn, rules);
        return r.ok && input.detailType !== undefined ? { ok: true, value: { ...r.value, detailType: input.detailType } } : r;
      }
      case "kinesis": {
        const r = parseStreamArn("streamArn", input.streamArn, rules);
        return r.ok && input.partitionKeyField !== undefined
          ? { ok: true, value: { ...r.value, partitionKeyField: input.partitionKeyField } }
          : r;
      }
      case "s3": {
        const r = parseBucket("bucket", input.bucket, input.region, rules);
        return r.ok ? { ok: true, value: { ...r.value, prefix: input.prefix ?? "" } } : r;
      }
    }
  })();
  if (!parsed.ok) throw invalidFields([parsed.problem]);
  // Locally the emulators play every account: the one they report is the customer's.
  if (rules.emulated && parsed.value.account === "") return { ...parsed.value, account: rules.emulatedAccount ?? "000000000000" };
  return parsed.value;
}

/**
 * Checks an AWS destination for registration: its target, the own-account rule, and with a
 * `roleArn` one AssumeRole with the tenant's ExternalId (a failure is 422 naming `roleArn`). Answers
 * the destination as the endpoint stores it.
 */
export async function registerDestination(
  deps: DestinationRegistrationDeps,
  input: CreateAwsEndpointInput,
  tenantId: string,
): Promise<EndpointDestination> {
  const target = targetOf(input, deps.rules);
  let roleAccount: string | undefined;
  if (input.roleArn !== undefined) {
    const role = parseRoleArn("roleArn", input.roleArn, deps.rules);
    if (!role.ok) throw invalidFields([role.problem]);
    roleAccount = role.value.account;
  }
  const field = targetField(input.kind);
  const own = ownResourceProblem(target, roleAccount, deps.own);
  if (own) throw new ApiError("destination_not_allowed", `${field} ${own}`, [{ path: field, message: own }]);
  if (input.roleArn !== undefined && roleAccount !== undefined) {
    const access = accessFor(deps.deployment, tenantId, { roleArn: input.roleArn, account: roleAccount });
    const why = access.kind === "role" ? await deps.roles.check(input.roleArn, access.externalId) : undefined;
    if (why !== undefined) {
      const problem: FieldProblem = { path: "roleArn", message: `could not be assumed with this tenant's ExternalId: ${why}` };
      throw invalidFields([problem]);
    }
  }
  return { target, ...(input.roleArn !== undefined && { roleArn: input.roleArn, roleAccount }) };
}

/** A warning when the deployment's largest event body, framed for `kind`, could exceed the service's limit. */
export function sizeWarnings(kind: AwsDestinationKind, maxBodyBytes: number): string[] {
  const worst = worstCaseBytes(kind, maxBodyBytes);
  if (worst <= SIZE_LIMITS[kind]) return [];
  return [
    `an event body may reach ${maxBodyBytes} bytes (MAX_BODY_BYTES); framed for ${kind} it can exceed the service's limit of ${SIZE_LIMITS[kind]} bytes, and such a delivery fails with destination_too_large`,
  ];
}

/** The body field that names a kind's target. */
export function targetField(kind: AwsDestinationKind): string {
  return { sqs: "queueUrl", sns: "topicArn", eventbridge: "eventBusArn", kinesis: "streamArn", s3: "bucket" }[kind];
}
