import { Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { Construct } from "constructs";

/*
 * IAM for AWS destinations (docs/destinations.md). Deliveries without a `roleArn` assume the
 * Destinations role with the session tag `hookrelay-tenant` (the only tag it may carry), and the
 * customer's resource policy names that role and requires the tag. Deliveries with a `roleArn`
 * assume the customer's role, only with an ExternalId and a session name of the dispatcher's form.
 * Neither may reach a resource of the dispatcher's own account through these grants.
 */

/** The tag every destination session carries, valued with the tenant's id (core/destinations/access.ts). */
const SESSION_TAG_KEY = "hookrelay-tenant";
/** The puts the destinations make, one per kind. */
export const DESTINATION_ACTIONS = ["sqs:SendMessage", "sns:Publish", "events:PutEvents", "kinesis:PutRecord", "s3:PutObject"];

export interface DispatcherDestinationsProps {
  /** The functions that assume roles: the delivery function (every put) and the API function (the registration check). */
  delivery: NodejsFunction;
  api: NodejsFunction;
  /** The feed function runs the API's entry with the API's environment; it makes no AWS destination call. */
  feed: NodejsFunction;
}

/** The Destinations role and the grants to assume it and customers' roles. */
export class DispatcherDestinations extends Construct {
  /** The role tenant-tagged sessions assume: the principal a customer's resource policy names. */
  public readonly sessionRole: iam.Role;

  constructor(scope: Construct, id: string, props: DispatcherDestinationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const deliveryRole = props.delivery.role as iam.IRole;
    const notOwnAccount = { StringNotEquals: { "aws:ResourceAccount": stack.account } };

    this.sessionRole = new iam.Role(this, "SessionRole", {
      description: "hookrelay: deliveries to AWS destinations without a roleArn, tagged with the tenant",
      assumedBy: new iam.ArnPrincipal(deliveryRole.roleArn).withConditions({
        StringLike: { [`aws:RequestTag/${SESSION_TAG_KEY}`]: "?*" },
        "ForAllValues:StringEquals": { "aws:TagKeys": [SESSION_TAG_KEY] },
      }),
    });
    // TagSession in the trust policy, under the same conditions: a session without the tenant tag, or with another tag, is refused.
    this.sessionRole.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        actions: ["sts:TagSession"],
        principals: [new iam.ArnPrincipal(deliveryRole.roleArn)],
        conditions: {
          StringLike: { [`aws:RequestTag/${SESSION_TAG_KEY}`]: "?*" },
          "ForAllValues:StringEquals": { "aws:TagKeys": [SESSION_TAG_KEY] },
        },
      }),
    );
    // The puts, into other accounts only; the target's own policy decides which tenant may reach it.
    this.sessionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "PutIntoCustomerResources",
        actions: DESTINATION_ACTIONS,
        resources: ["*"],
        conditions: notOwnAccount,
      }),
    );
    // A customer's encrypted queue, topic, stream or bucket: its key, through those services only.
    this.sessionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "UseCustomerKeysThroughTheirServices",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: ["*"],
        conditions: {
          ...notOwnAccount,
          StringLike: { "kms:ViaService": ["sqs", "sns", "kinesis", "s3", "events"].map((s) => `${s}.*.amazonaws.com`) },
        },
      }),
    );

    deliveryRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "AssumeDestinationSessionRole",
        actions: ["sts:AssumeRole", "sts:TagSession"],
        resources: [this.sessionRole.roleArn],
      }),
    );
    // Customers' roles: any account but this one, only with an ExternalId and session name of the dispatcher's form.
    const customerRoles = new iam.PolicyStatement({
      sid: "AssumeCustomerRoles",
      actions: ["sts:AssumeRole"],
      resources: [`arn:${stack.partition}:iam::*:role/*`],
      conditions: { ...notOwnAccount, StringLike: { "sts:ExternalId": "hookrelay-*", "sts:RoleSessionName": "hookrelay-*" } },
    });
    for (const fn of [props.delivery, props.api]) fn.role?.addToPrincipalPolicy(customerRoles);
    for (const fn of [props.delivery, props.api, props.feed]) {
      fn.addEnvironment("DESTINATION_ROLE_ARN", this.sessionRole.roleArn);
      fn.addEnvironment("DISPATCHER_ACCOUNT_ID", stack.account);
    }

    Validations.of(this.sessionRole).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "AWS destinations are customers' resources in accounts unknown at deploy time. The grant excludes this account (aws:ResourceAccount); the target's own resource policy must name this role and require the session tag hookrelay-tenant, which only the dispatcher sets (docs/destinations.md). KMS is limited to keys used through those services (kms:ViaService).",
    });
    for (const role of [deliveryRole, props.api.role as iam.IRole]) {
      Validations.of(role).acknowledge({
        id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/*]",
        reason:
          "Customers' roles live in accounts unknown at deploy time. AssumeRole is limited to other accounts and to an sts:ExternalId and session name of the dispatcher's form; the customer's trust policy requires its tenant's ExternalId.",
      });
    }
  }
}
