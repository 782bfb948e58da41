import { createHash } from "node:crypto";
import type { DestinationTarget } from "./targets.ts";

/*
 * How the dispatcher reaches a customer's account. With a `roleArn` it assumes the customer's role
 * with the tenant's ExternalId (the confused-deputy guard AWS SaaS integrations use: a tenant that
 * names another's role still presents its own ExternalId, which that role's trust policy refuses).
 * Without one it assumes its own destination role with the session tag SESSION_TAG_KEY = the
 * tenant's id, which the target's resource policy must require.
 */

/** The session tag a tenant's deliveries carry when the endpoint names no role. */
export const SESSION_TAG_KEY = "hookrelay-tenant";

/**
 * The ExternalId of a tenant: derived, not stored, so it is readable before any role exists and never
 * changes. It is not a secret (AWS: it prevents the confused deputy, it does not authenticate); what
 * matters is that the dispatcher alone chooses which one it presents, always the endpoint's tenant's.
 */
export function externalIdFor(deployment: string, tenantId: string): string {
  const digest = createHash("sha256").update(`hookrelay external id\0${deployment}\0${tenantId}`).digest("base64url");
  return `hookrelay-${digest.slice(0, 32)}`;
}

/** Who a delivery acts as: the customer's role (with the tenant's ExternalId) or the tagged session of the dispatcher's own role. */
export type DestinationAccess =
  | { kind: "role"; roleArn: string; externalId: string; account: string }
  | { kind: "tagged"; tenantId: string };

/** The access of an endpoint: its role when it names one, else the tenant-tagged session. */
export function accessFor(deployment: string, tenantId: string, role: { roleArn: string; account: string } | undefined): DestinationAccess {
  return role
    ? { kind: "role", roleArn: role.roleArn, account: role.account, externalId: externalIdFor(deployment, tenantId) }
    : { kind: "tagged", tenantId };
}

/** The operator's rule against delivering into the dispatcher's own account. */
export interface OwnResourceRule {
  /** The dispatcher's account (set by the stack); unset locally, where the emulators' account is everyone's. */
  account?: string;
  /** Resource names that are the dispatcher's own whatever the account (locally: its queues, by name on the shared emulators). */
  ownNames: readonly string[];
  /** Names or ARNs the operator allows although they are the dispatcher's own (DESTINATION_OWN_ALLOW). */
  allowed: readonly string[];
}

/** Why a target (or the account of its role) is the dispatcher's own and not allowed; undefined when it may be used. */
export function ownResourceProblem(target: DestinationTarget, roleAccount: string | undefined, rule: OwnResourceRule): string | undefined {
  const names = [target.name, "queueUrl" in target ? target.queueUrl : "", "topicArn" in target ? target.topicArn : ""];
  if (target.kind === "eventbridge") names.push(target.eventBusArn);
  if (target.kind === "kinesis") names.push(target.streamArn);
  if (names.some((n) => n !== "" && rule.allowed.includes(n))) return undefined;
  if (rule.ownNames.includes(target.name)) return `names ${target.name}, a resource of the dispatcher itself`;
  if (rule.account !== undefined && rule.account !== "") {
    if (target.account === rule.account)
      return `is in the dispatcher's own account ${rule.account}; an operator must allow it (DESTINATION_OWN_ALLOW)`;
    if (roleAccount === rule.account)
      return `uses a role in the dispatcher's own account ${rule.account}; an operator must allow the target (DESTINATION_OWN_ALLOW)`;
  }
  return undefined;
}
