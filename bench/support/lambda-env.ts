/** What Lambda's Node.js runtime sets besides the function's own variables (config reads them all). */
const LAMBDA_RUNTIME_ENV: Record<string, string> = {
  _HANDLER: "index.handler",
  _X_AMZN_TRACE_ID: "Root=1-5e1b4151-5ac6c58f5b5dbd6a2a3c1e6e;Parent=53995c3f42cd8ad8;Sampled=0",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
  AWS_LAMBDA_FUNCTION_NAME: "hookrelay-function",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
  AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
  AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/hookrelay-function",
  AWS_LAMBDA_LOG_STREAM_NAME: "2026/11/28/[$LATEST]0123456789abcdef",
  AWS_LAMBDA_LOG_FORMAT: "JSON",
  AWS_LAMBDA_LOG_LEVEL: "INFO",
  AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
  AWS_SESSION_TOKEN: "bench",
  AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
  AWS_XRAY_DAEMON_ADDRESS: "169.254.79.129:2000",
  LAMBDA_TASK_ROOT: "/var/task",
  LAMBDA_RUNTIME_DIR: "/var/runtime",
  LANG: "en_US.UTF-8",
  TZ: ":UTC",
  LOG_FORMAT: "json",
  LOG_LEVEL: "INFO",
  LOG_RETENTION_DAYS: "30",
};

/**
 * The environment a bundle of ours sees in Lambda: the runtime's variables, the stack's settings
 * (queue URLs that are never called, the bench's admin key instead of the secret) and credentials;
 * `extra` adds or overrides (an emulator's endpoint, a log level).
 */
export function lambdaEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    ...LAMBDA_RUNTIME_ENV,
    TABLE_NAME: "hookrelay",
    DELIVERY_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/hookrelay-deliveries",
    DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/hookrelay-dead-letters",
    SLOW_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/hookrelay-slow-lane",
    ADMIN_API_KEY: "bench-admin-key",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    ...extra,
  };
}
