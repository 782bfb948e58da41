/**
 * The AWS destinations' settings (functions/core/destinations/). Part of the settings table
 * (settings.ts spreads them in, in this order); like it, this imports only the settings' types.
 */
import type { Setting } from "./setting-kinds.ts";

export const DESTINATION_SETTINGS = {
  awsRegion: {
    kind: "text",
    env: "AWS_REGION",
    required: false,
    local: "us-east-1",
    meaning:
      "the deployment's region (set by Lambda): AWS destinations are checked against its partition, and an `s3` bucket defaults to it",
  },
  dispatcherAccountId: {
    kind: "text",
    env: "DISPATCHER_ACCOUNT_ID",
    required: false,
    meaning:
      "the dispatcher's own AWS account: an AWS destination in it, or through a role in it, is refused unless DESTINATION_OWN_ALLOW names it (set by the stack)",
  },
  destinationOwnAllow: {
    kind: "text",
    env: "DESTINATION_OWN_ALLOW",
    required: false,
    meaning:
      "comma-separated names or ARNs of resources in the dispatcher's own account (or of its own queues) that AWS destinations may name; unset, none",
  },
  destinationRoleArn: {
    kind: "text",
    env: "DESTINATION_ROLE_ARN",
    required: false,
    meaning:
      "the role deliveries without a `roleArn` assume, tagged `hookrelay-tenant` = the tenant; unset (locally), they use the function's own credentials (set by the stack)",
  },
  destinationEventSource: {
    kind: "text",
    env: "DESTINATION_EVENT_SOURCE",
    required: false,
    meaning: "the `source` of the events an `eventbridge` destination receives; unset, `hookrelay`",
  },
  destinationEndpointUrls: {
    kind: "text",
    env: "DESTINATION_ENDPOINT_URLS",
    required: false,
    meaning:
      "local stack only: `service=url` pairs (sqs, sns, s3, kinesis, events, sts), comma-separated, on loopback: the emulators that play the customer's account. Set, queue URLs of any host are accepted and the emulators' account is everyone's",
  },
} as const satisfies Record<string, Setting>;
