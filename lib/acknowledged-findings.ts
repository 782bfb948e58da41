import { Validations } from "aws-cdk-lib";
import type * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";

/** What the accepted findings are about. */
export interface AcknowledgedParts {
  httpApi?: apigwv2.HttpApi;
  adminKeySecret: secretsmanager.ISecret;
  functions: NodejsFunction[];
  tracing: lambda.Tracing;
}

/** Findings cdk-nag's AwsSolutions pack raises that are accepted on purpose, each with its reason. */
export function acknowledgeFindings(parts: AcknowledgedParts): void {
  if (parts.httpApi) {
    Validations.of(parts.httpApi).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "The API function authenticates every request itself (Bearer admin key from Secrets Manager, compared in constant time); an API Gateway authorizer would add a second Lambda call per request for the same check.",
    });
  }
  Validations.of(parts.adminKeySecret).acknowledge({
    id: "AwsSolutions-SMG4",
    reason:
      "The admin key is a static bearer credential handed to operators; automatic rotation would lock them out without notice. Rotate it deliberately with `aws secretsmanager put-secret-value` (docs/deploy.md shows how).",
  });
  if (parts.tracing !== lambda.Tracing.DISABLED) {
    for (const fn of parts.functions) {
      if (!fn.role) continue;
      Validations.of(fn.role).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason: "xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.",
      });
    }
  }
}
