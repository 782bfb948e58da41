import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { InvocationBudget } from "./invocation-budget.ts";

/*
 * Every AWS call is bounded: 1 s to connect, 3 s for an answer, 3 tries with the SDK's jittered
 * backoff, so one call may wait about 12 s. Within an invocation the budget bounds it further: no
 * retry starts that could not end in time, and the call gives up (OutOfTimeError, a failure of ours)
 * when the invocation's time is nearly spent, so the function still answers before its timeout.
 * Endpoints come from AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS when set (the local stack).
 */
const REQUEST_TIMEOUT_MS = 3_000;
const common = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: REQUEST_TIMEOUT_MS },
} as const;

/** The one part of a client's middleware stack used here; each client types `add` with its own overloads. */
interface MiddlewareAdder {
  add(middleware: unknown, options: { step: "initialize" | "finalizeRequest"; priority?: "low"; name: string }): void;
}

/** Bounds every call of the client by the invocation's budget. */
export function budgeted<C extends { middlewareStack: object }>(client: C, budget: InvocationBudget, service: string): C {
  type Next = (args: { request?: { headers?: Record<string, string> } }) => Promise<unknown>;
  const stack = client.middlewareStack as MiddlewareAdder;
  stack.add((next: Next) => (args: Parameters<Next>[0]) => budget.within(service, () => next(args)), {
    step: "initialize",
    name: "invocationBudget",
  });
  // Below the retry middleware: runs once per try. A retry that could not get its answer in time is
  // not started; the error it throws is not one the SDK retries.
  stack.add(
    (next: Next) => (args: Parameters<Next>[0]) => {
      const attempt = /attempt=(\d+)/.exec(args.request?.headers?.["amz-sdk-request"] ?? "")?.[1];
      if (Number(attempt ?? 1) > 1) budget.require(REQUEST_TIMEOUT_MS, `${service} retry`);
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "invocationBudgetPerTry" },
  );
  return client;
}

/** The DynamoDB document client, made once per container; bounded by `budget` when given. */
export function createDocumentClient(budget?: InvocationBudget): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(common), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return budget ? budgeted(client, budget, "dynamodb") : client;
}

/** The SQS client, made once per container. Queue URLs are not used as endpoints (the local emulator's name a fake host). */
export function createSqsClient(budget?: InvocationBudget): SQSClient {
  const client = new SQSClient({ ...common, useQueueUrlAsEndpoint: false });
  return budget ? budgeted(client, budget, "sqs") : client;
}

/** What the SQS adapters use of a client: its `send`. */
export type SqsSender = Pick<SQSClient, "send">;

/**
 * The SQS client, made on its first call rather than at import: most of the API's requests, the
 * dead-letter consumer and a delivery worker whose deliveries succeed never call SQS, and making the
 * client costs each cold start about 0.8 ms (docs/performance.md, "Cold start"). `make` makes it (a
 * test passes its own).
 */
export function sqsOnFirstCall(budget?: InvocationBudget, make: () => SqsSender = () => createSqsClient(budget)): SqsSender {
  let client: SqsSender | undefined;
  const send = (...args: Parameters<SQSClient["send"]>) => {
    client ??= make();
    return (client.send as (...a: Parameters<SQSClient["send"]>) => ReturnType<SQSClient["send"]>)(...args);
  };
  return { send: send as SQSClient["send"] };
}
