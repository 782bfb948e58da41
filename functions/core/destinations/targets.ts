import type { FieldProblem } from "../kernel/errors.ts";

/*
 * Where an AWS destination delivers: one target per kind, parsed from the caller's ARN, queue URL or
 * bucket name and kept with the parts the sender and the checks need (partition, region, account,
 * resource name). Parsing is strict and names the field: a target is code the dispatcher's role runs.
 */

/** The endpoint kinds that deliver into an AWS account instead of POSTing. */
export const AWS_DESTINATION_KINDS = ["sqs", "sns", "eventbridge", "kinesis", "s3"] as const;
export type AwsDestinationKind = (typeof AWS_DESTINATION_KINDS)[number];

/** Whether an endpoint kind delivers into an AWS account. */
export function isAwsKind(kind: string | undefined): kind is AwsDestinationKind {
  return (AWS_DESTINATION_KINDS as readonly string[]).includes(kind ?? "");
}

interface Located {
  partition: string;
  region: string;
  /** 12 digits; the emulators' account locally. */
  account: string;
  /** The queue, topic, bus, stream or bucket name: what the own-resource rule and the logs name. */
  name: string;
}

/** A parsed target. The field the caller gave is kept as given (`queueUrl`, `topicArn`, ...). */
export type DestinationTarget =
  | (Located & { kind: "sqs"; queueUrl: string; fifo: boolean })
  | (Located & { kind: "sns"; topicArn: string; fifo: boolean })
  | (Located & { kind: "eventbridge"; eventBusArn: string; detailType?: string })
  | (Located & { kind: "kinesis"; streamArn: string; partitionKeyField?: string })
  | (Located & { kind: "s3"; bucket: string; prefix: string });

/** The stored form of an AWS destination on its endpoint. */
export interface EndpointDestination {
  target: DestinationTarget;
  roleArn?: string;
  /** The role's account (from its ARN). */
  roleAccount?: string;
}

/** What a target is checked against: the deployment's own partition and region, and whether the emulators stand in for AWS. */
export interface TargetRules {
  partition: string;
  region: string;
  /** Locally: queue URLs name the emulator's host, and S3 buckets have no account of their own (the emulators' is used). */
  emulated: boolean;
  /** The account the emulators play (fauxqs and kinesalite use 000000000000). */
  emulatedAccount?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
const STREAM_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const BUCKET = /^(?!xn--)(?!sthree-)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ROLE = /^role\/(?:[\x21-\x7e]+\/)?[A-Za-z0-9+=,.@_-]{1,64}$/;

/** The partition a region belongs to (credentials and ARNs never cross partitions). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

/** The result of parsing one field: the value, or the problem naming that field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };
const bad = (path: string, message: string): { ok: false; problem: FieldProblem } => ({ ok: false, problem: { path, message } });

interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits an ARN into its six parts; undefined when it has not the shape `arn:partition:service:region:account:resource`. */
export function splitArn(arn: string): ArnParts | undefined {
  const m = /^arn:([a-z-]{3,16}):([a-z0-9-]{2,32}):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, account, resource] = m as unknown as [string, string, string, string, string, string];
  return { partition, service, region, account, resource };
}

/** Checks an ARN of `service` in the deployment's partition with a region of that partition; the resource part is the caller's to check. */
function located(path: string, arn: string, service: string, rules: TargetRules): Parsed<ArnParts> {
  if (arn.length > 1600) return bad(path, "must be at most 1600 characters");
  const parts = splitArn(arn);
  if (!parts) return bad(path, `must be an ARN: arn:${rules.partition}:${service}:<region>:<account>:<resource>`);
  if (parts.service !== service) return bad(path, `must be an ${service} ARN, not ${parts.service}`);
  if (parts.partition !== rules.partition) {
    return bad(path, `is in partition ${parts.partition}; this deployment runs in ${rules.partition} and cannot reach it`);
  }
  if (!REGION.test(parts.region)) return bad(path, "must name a region");
  if (partitionOf(parts.region) !== rules.partition)
    return bad(path, `names region ${parts.region}, which is not in partition ${rules.partition}`);
  if (!ACCOUNT.test(parts.account)) return bad(path, "must name a 12-digit account");
  return { ok: true, value: parts };
}

/**
 * An SQS queue URL. In AWS: `https://sqs.<region>.amazonaws.com/<account>/<name>` (`.amazonaws.com.cn`
 * in China) or the legacy `https://<region>.queue.amazonaws.com/...` and `https://queue.amazonaws.com/...`
 * (us-east-1). The host only tells the region: the client calls the region's endpoint, never the URL's
 * host, so a URL cannot point the dispatcher anywhere else. Emulated, any host of `http://` or `https://`
 * serves, with the deployment's region.
 */
export function parseQueueUrl(path: string, queueUrl: string, rules: TargetRules): Parsed<DestinationTarget & { kind: "sqs" }> {
  if (queueUrl.length > 1024 || !URL.canParse(queueUrl))
    return bad(path, "must be an SQS queue URL: https://sqs.<region>.amazonaws.com/<account>/<name>");
  const url = new URL(queueUrl);
  const segments = url.pathname.split("/").filter(Boolean);
  const [account, name] = segments as [string | undefined, string | undefined];
  if (segments.length !== 2 || url.search || url.hash || url.username || url.password || !account || !name) {
    return bad(path, "must end in /<account>/<queue name> and carry no query, fragment or credentials");
  }
  if (!ACCOUNT.test(account)) return bad(path, "must name a 12-digit account in its path");
  const base = name.endsWith(".fifo") ? name.slice(0, -5) : name;
  if (!QUEUE_NAME.test(base))
    return bad(path, "must end in a queue name of 1 to 80 letters, digits, '-' or '_' (and .fifo for a FIFO queue)");
  let region = rules.region;
  if (!rules.emulated) {
    const host = url.hostname;
    const m = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host) ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com(\.cn)?$/.exec(host);
    if (url.protocol !== "https:" || url.port !== "") return bad(path, "must be an https SQS URL on the default port");
    if (host === "queue.amazonaws.com") region = "us-east-1";
    else if (m?.[1]) region = m[1];
    else return bad(path, "must be an SQS queue URL: https://sqs.<region>.amazonaws.com/<account>/<name>");
    if (!REGION.test(region)) return bad(path, "must name a region in its host");
    if (partitionOf(region) !== rules.partition) return bad(path, `names region ${region}, which is not in partition ${rules.partition}`);
    if ((m?.[2] === ".cn") !== (rules.partition === "aws-cn")) return bad(path, "has a host of another partition than this deployment's");
  }
  return { ok: true, value: { kind: "sqs", queueUrl: url.href, partition: rules.partition, region, account, name, fifo: name !== base } };
}

/** An SNS topic ARN (`arn:<partition>:sns:<region>:<account>:<name>`). */
export function parseTopicArn(path: string, arn: string, rules: TargetRules): Parsed<DestinationTarget & { kind: "sns" }> {
  const r = located(path, arn, "sns", rules);
  if (!r.ok) return r;
  const name = r.value.resource;
  const base = name.endsWith(".fifo") ? name.slice(0, -5) : name;
  if (!TOPIC_NAME.test(base)) return bad(path, "must end in a topic name of 1 to 256 letters, digits, '-' or '_'");
  return { ok: true, value: { kind: "sns", topicArn: arn, ...pick(r.value), name, fifo: name !== base } };
}

/** An EventBridge bus ARN (`arn:<partition>:events:<region>:<account>:event-bus/<name>`). */
export function parseEventBusArn(path: string, arn: string, rules: TargetRules): Parsed<DestinationTarget & { kind: "eventbridge" }> {
  const r = located(path, arn, "events", rules);
  if (!r.ok) return r;
  const m = /^event-bus\/(.+)$/.exec(r.value.resource);
  if (!m?.[1] || !BUS_NAME.test(m[1])) return bad(path, "must end in event-bus/<name>, the name 1 to 256 letters, digits, '.', '-' or '_'");
  return { ok: true, value: { kind: "eventbridge", eventBusArn: arn, ...pick(r.value), name: m[1] } };
}

/** A Kinesis stream ARN (`arn:<partition>:kinesis:<region>:<account>:stream/<name>`). */
export function parseStreamArn(path: string, arn: string, rules: TargetRules): Parsed<DestinationTarget & { kind: "kinesis" }> {
  const r = located(path, arn, "kinesis", rules);
  if (!r.ok) return r;
  const m = /^stream\/(.+)$/.exec(r.value.resource);
  if (!m?.[1] || !STREAM_NAME.test(m[1])) return bad(path, "must end in stream/<name>, the name 1 to 128 letters, digits, '.', '-' or '_'");
  return { ok: true, value: { kind: "kinesis", streamArn: arn, ...pick(r.value), name: m[1] } };
}

/** An S3 bucket name (the rules of general purpose buckets) in `region` (the deployment's by default). */
export function parseBucket(
  path: string,
  bucket: string,
  region: string | undefined,
  rules: TargetRules,
): Parsed<DestinationTarget & { kind: "s3" }> {
  if (!BUCKET.test(bucket)) {
    return bad(path, "must be a bucket name: 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit");
  }
  const where = region ?? rules.region;
  if (!REGION.test(where)) return { ok: false, problem: { path: "region", message: "must name a region, e.g. eu-west-1" } };
  if (partitionOf(where) !== rules.partition) {
    return { ok: false, problem: { path: "region", message: `is not in partition ${rules.partition}, this deployment's` } };
  }
  // A bucket's ARN names no account; the own-resource rule matches bucket names (and, in AWS, the expected owner).
  return { ok: true, value: { kind: "s3", bucket, prefix: "", partition: rules.partition, region: where, account: "", name: bucket } };
}

/** An IAM role ARN in the deployment's partition (`arn:<partition>:iam::<account>:role/<path/><name>`). */
export function parseRoleArn(path: string, arn: string, rules: Pick<TargetRules, "partition">): Parsed<{ account: string }> {
  const parts = arn.length <= 2048 ? splitArn(arn) : undefined;
  if (!parts || parts.service !== "iam" || parts.region !== "" || !ACCOUNT.test(parts.account) || !ROLE.test(parts.resource)) {
    return bad(path, `must be an IAM role ARN: arn:${rules.partition}:iam::<account>:role/<name>`);
  }
  if (parts.partition !== rules.partition)
    return bad(path, `is in partition ${parts.partition}; this deployment runs in ${rules.partition}`);
  return { ok: true, value: { account: parts.account } };
}

function pick(parts: ArnParts): Omit<Located, "name"> {
  return { partition: parts.partition, region: parts.region, account: parts.account };
}

/** The one string that names a target in the delivery log and the API's `url` field. */
export function targetName(target: DestinationTarget): string {
  switch (target.kind) {
    case "sqs":
      return target.queueUrl;
    case "sns":
      return target.topicArn;
    case "eventbridge":
      return target.eventBusArn;
    case "kinesis":
      return target.streamArn;
    case "s3":
      return `s3://${target.bucket}/${target.prefix}`;
  }
}
