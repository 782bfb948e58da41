/**
 * Least-privilege grants written out action by action. The CDK's `grant*` helpers are avoided on
 * purpose: they add wildcard actions (`kms:GenerateDataKey*`, `kms:ReEncrypt*`) and wildcard index
 * ARNs (`table/index/*`) that a reviewer would have to accept on faith.
 */

import type { Table } from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";

/** The DynamoDB actions the functions use, by their IAM names. */
export type TableAction = "GetItem" | "PutItem" | "DeleteItem" | "UpdateItem" | "Query" | "BatchGetItem" | "BatchWriteItem";

/** Grants `actions` on the table; Query also on each named index (never `index/*`). */
export function grantTable(role: iam.IRole, table: Table, actions: TableAction[], indexNames: readonly string[]): void {
  const resources = [table.tableArn];
  if (actions.includes("Query")) resources.push(...indexNames.map((name) => `${table.tableArn}/index/${name}`));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "UseTable",
      actions: actions.map((action) => `dynamodb:${action}`),
      resources,
    }),
  );
  // With a customer-managed key, DynamoDB decrypts through its own grant; the caller still needs
  // DescribeKey/Decrypt/Encrypt/GenerateDataKey on the key as the DynamoDB documentation lists.
  if (table.encryptionKey) grantKey(role, table.encryptionKey, ["Decrypt", "DescribeKey", "Encrypt", "GenerateDataKey"], "UseTableKey");
}

/** Grants sqs:SendMessage (which also covers SendMessageBatch) on one queue. */
export function grantSend(role: iam.IRole, queue: sqs.IQueue, sid: string): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions: ["sqs:SendMessage"], resources: [queue.queueArn] }));
  // Sending to a KMS-encrypted queue needs a data key; SQS also decrypts it to check it.
  if (queue.encryptionMasterKey) grantKey(role, queue.encryptionMasterKey, ["Decrypt", "GenerateDataKey"], `${sid}Key`);
}

/** Grants sqs:ChangeMessageVisibility on the given queues: how the delivery worker schedules a retry. */
export function grantChangeVisibility(role: iam.IRole, ...queues: sqs.IQueue[]): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "ScheduleRetries",
      actions: ["sqs:ChangeMessageVisibility"],
      resources: queues.map((queue) => queue.queueArn),
    }),
  );
}

/** Grants secretsmanager:GetSecretValue on one secret (and Decrypt on its key when it has one). */
export function grantReadSecret(role: iam.IRole, secret: secretsmanager.ISecret): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: "ReadAdminKey", actions: ["secretsmanager:GetSecretValue"], resources: [secret.secretArn] }),
  );
  if (secret.encryptionKey) grantKey(role, secret.encryptionKey, ["Decrypt"], "ReadAdminKeyKey");
}

type KeyAction = "Decrypt" | "DescribeKey" | "Encrypt" | "GenerateDataKey";

function grantKey(role: iam.IRole, key: kms.IKey, actions: KeyAction[], sid: string): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions: actions.map((a) => `kms:${a}`), resources: [key.keyArn] }));
}
