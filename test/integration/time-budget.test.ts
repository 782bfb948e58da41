/**
 * The API function answers before its deadline when a dependency hangs: DynamoDB and SQS are a
 * server on 127.0.0.1 that accepts connections and never answers, the entry point Lambda loads is
 * called with a context that leaves it a few seconds, and the answer must be a 503 with Retry-After
 * that arrives before that time is up; the delivery worker, called the same way, reports its
 * messages as batch item failures in time instead of failing the batch. Without the budget, the SDK
 * alone would wait about 12 s, past the invocation's end (a gateway error, a failed batch).
 */
import { createServer, type Server, type Socket } from "node:net";
import type { APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiEvent } from "../support/api-event.ts";
import { sqsEvent } from "../support/emf.ts";

const LEFT_MS = 3_000;
let server: Server;
const sockets: Socket[] = [];
let handler: (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let deliveryHandler: (event: unknown, context: Context) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const blackHole = `http://127.0.0.1:${port}`;
  for (const [key, value] of Object.entries({
    AWS_ENDPOINT_URL_DYNAMODB: blackHole,
    AWS_ENDPOINT_URL_SQS: blackHole,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TABLE_NAME: "hookrelay",
    DELIVERY_QUEUE_URL: `${blackHole}/000000000000/hookrelay-deliveries`,
    SLOW_QUEUE_URL: `${blackHole}/000000000000/hookrelay-slow-deliveries`,
    DEAD_LETTER_QUEUE_URL: `${blackHole}/000000000000/hookrelay-dead-letters`,
    ADMIN_API_KEY: "admin-key",
    LOG_FORMAT: "pretty",
    LOG_LEVEL: "ERROR",
  })) {
    vi.stubEnv(key, value);
  }
  ({ handler } = (await import("../../functions/api/index.ts")) as unknown as { handler: typeof handler });
  ({ handler: deliveryHandler } = (await import("../../functions/delivery/index.ts")) as unknown as { handler: typeof deliveryHandler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** A Lambda context whose time runs out `leftMs` from now. */
function contextLeaving(leftMs: number): Context {
  const deadline = Date.now() + leftMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
}

describe("a dependency that does not answer", () => {
  it("gets intake a 503 with Retry-After before the invocation's time is up, not a timeout", async () => {
    const timedOut = Symbol("the invocation timed out");
    const deadline = new Promise<typeof timedOut>((resolve) => setTimeout(() => resolve(timedOut), LEFT_MS).unref());
    const answer = await Promise.race([
      handler(
        apiEvent("POST", "/v1/events", { body: { type: "invoice.paid", payload: { n: 1 }, tenantId: "t1" } }),
        contextLeaving(LEFT_MS),
      ),
      deadline,
    ]);
    expect(answer).not.toBe(timedOut);
    const response = answer as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe("5");
    expect(JSON.parse(String(response.body)).error.code).toBe("dependency_unavailable");
    // The black hole did receive the call: the answer is the budget's, not a refused connection's.
    expect(sockets.length).toBeGreaterThan(0);
  });
});

describe("a dependency that does not answer the delivery worker", () => {
  it("leaves each message of the batch for redelivery before the invocation's time is up, rather than failing the batch", async () => {
    const timedOut = Symbol("the invocation timed out");
    const deadline = new Promise<typeof timedOut>((resolve) => setTimeout(() => resolve(timedOut), LEFT_MS).unref());
    const body = (eventId: string) =>
      JSON.stringify({ v: 1, eventId, endpointId: "ep_1", tenantId: "t1", type: "a", createdAt: "2026-11-01T00:00:00.000Z", body: "{}" });
    const answer = await Promise.race([deliveryHandler(sqsEvent([body("evt_1"), body("evt_2")]), contextLeaving(LEFT_MS)), deadline]);
    expect(answer).not.toBe(timedOut);
    expect((answer as SQSBatchResponse).batchItemFailures).toEqual([{ itemIdentifier: "m0" }, { itemIdentifier: "m1" }]);
  });
});
