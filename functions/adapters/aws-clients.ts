import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/*
 * Every AWS call is bounded: 1 s to connect, 3 s for an answer, 3 tries with the SDK's jittered
 * backoff. A Lambda invocation therefore waits at most about 12 s on one dependency before the
 * failure is classified as ours and the message is left for the queue to redeliver.
 * Endpoints come from AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS when set (the local stack).
 */
const common = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
} as const;

/** The DynamoDB document client, made once per container. */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(common), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The SQS client, made once per container. Queue URLs are not used as endpoints (the local emulator's name a fake host). */
export function createSqsClient(): SQSClient {
  return new SQSClient({ ...common, useQueueUrlAsEndpoint: false });
}
