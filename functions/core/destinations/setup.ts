import type { Config } from "../config/config.ts";
import { ConfigError } from "../kernel/errors.ts";
import type { OwnResourceRule } from "./access.ts";
import { partitionOf, type TargetRules } from "./targets.ts";

/*
 * The destinations' settings as the registration and the sender use them, derived once from the
 * configuration.
 */

/** The deployment's partition, region and whether emulators stand in for AWS. */
export function targetRules(config: Pick<Config, "awsRegion" | "destinationEndpointUrls">): TargetRules {
  const region = config.awsRegion ?? "us-east-1";
  return {
    region,
    partition: partitionOf(region),
    emulated: config.destinationEndpointUrls !== undefined,
    emulatedAccount: "000000000000",
  };
}

/** The own-resource rule: the dispatcher's account, its own queues by name, and the operator's allow-list. */
export function ownResourceRule(
  config: Pick<
    Config,
    "dispatcherAccountId" | "destinationOwnAllow" | "deliveryQueueUrl" | "slowQueueUrl" | "deadLetterQueueUrl" | "tableName"
  >,
): OwnResourceRule {
  const queueName = (url: string | undefined) => url?.split("/").filter(Boolean).at(-1) ?? "";
  const ownNames = [config.deliveryQueueUrl, config.slowQueueUrl, config.deadLetterQueueUrl]
    .map(queueName)
    .filter((n) => n !== "" && n !== "-");
  return {
    ...(config.dispatcherAccountId !== undefined && { account: config.dispatcherAccountId }),
    ownNames: [...ownNames, config.tableName],
    allowed: (config.destinationOwnAllow ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** What names the deployment in every tenant's ExternalId: its account and table, stable across deploys. */
export function deploymentName(config: Pick<Config, "dispatcherAccountId" | "tableName">): string {
  return `${config.dispatcherAccountId ?? "local"}/${config.tableName}`;
}

const SERVICES = ["sqs", "sns", "s3", "kinesis", "events", "sts"] as const;

/** DESTINATION_ENDPOINT_URLS parsed: `service=url` pairs, each on loopback (the local stack's emulators), or a ConfigError naming the pair. */
export function destinationEndpoints(text: string | undefined): Partial<Record<(typeof SERVICES)[number], string>> {
  const out: Partial<Record<(typeof SERVICES)[number], string>> = {};
  for (const pair of (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [service, url] = pair.split(/=(.*)/s) as [string, string | undefined];
    if (!(SERVICES as readonly string[]).includes(service) || url === undefined || !URL.canParse(url)) {
      throw new ConfigError(`DESTINATION_ENDPOINT_URLS: ${pair} must be <service>=<url>, the service one of ${SERVICES.join(", ")}`);
    }
    const host = new URL(url).hostname;
    if (!/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(host))
      throw new ConfigError(`DESTINATION_ENDPOINT_URLS: ${pair} must be on loopback`);
    out[service as (typeof SERVICES)[number]] = url;
  }
  return out;
}
