/**
 * Where SQS fair queues exist. A message sent with a `MessageGroupId` to a standard queue makes it a
 * fair queue where AWS offers them; where it does not, SQS refuses the parameter on a standard queue
 * (`InvalidParameterValue`), and every intake would fail. AWS announced fair queues in every
 * commercial and AWS GovCloud (US) Region on 2025-07-21 and in the China Regions on 2025-07-29
 * (sources in docs/delivery.md, "Hot endpoints and tenant fairness"); nothing was found for the other
 * partitions (aws-iso*, aws-eusc), so they get FAIR_QUEUES=false unless the `fairQueues` prop says otherwise.
 */
import { Aws, CfnCondition, Fn, Stack, Token } from "aws-cdk-lib";
import { RegionInfo } from "aws-cdk-lib/region-info";
import type { Construct } from "constructs";

/** The partitions where AWS announced SQS fair queues. */
export const FAIR_QUEUE_PARTITIONS: readonly string[] = ["aws", "aws-cn", "aws-us-gov"];

/** The partition of the scope's stack when synthesis knows it (a stack with a concrete region), else undefined. */
export function knownPartition(scope: Construct): string | undefined {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.partition)) return stack.partition;
  if (Token.isUnresolved(stack.region)) return undefined;
  return RegionInfo.get(stack.region).partition;
}

/**
 * The FAIR_QUEUES value for the functions: the prop when given; else from the stack's partition, at
 * synthesis when it is known, otherwise at deploy time through a condition on AWS::Partition
 * (construct id `FairQueuesPartition` under `scope`).
 */
export function fairQueuesValue(scope: Construct, given: boolean | undefined): string {
  if (given !== undefined) return String(given);
  const partition = knownPartition(scope);
  if (partition !== undefined) return String(FAIR_QUEUE_PARTITIONS.includes(partition));
  const condition = new CfnCondition(scope, "FairQueuesPartition", {
    expression: Fn.conditionOr(...FAIR_QUEUE_PARTITIONS.map((p) => Fn.conditionEquals(Aws.PARTITION, p))),
  });
  return Token.asString(Fn.conditionIf(condition.logicalId, "true", "false"));
}
