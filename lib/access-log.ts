import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";

/**
 * The access log: one JSON line per request, and only what an investigation needs (who, what, the
 * answer, how long, an integration error); CloudWatch stamps each line with its time. No header is
 * logged, so the bearer key never reaches the access log. Every byte is billed at $0.50 per GB.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  method: "$context.httpMethod",
  path: "$context.path",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  integrationError: "$context.integrationErrorMessage",
} as const;
/** The API stage's access log format. */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
