import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { budgeted } from "../../functions/adapters/lambda/aws-clients.ts";
import { InvocationBudget, OutOfTimeError } from "../../functions/adapters/lambda/invocation-budget.ts";
import { DependencyError } from "../../functions/core/kernel/errors.ts";
import { createDeliveryHandler } from "../../functions/delivery/handler.ts";
import { deliveryDeps } from "../support/delivery-deps.ts";
import { sqsEvent } from "../support/emf.ts";
import { endpointFixture, FakeClock, ScriptedSender } from "../support/fakes.ts";

const context = (leftMs: number) => ({ getRemainingTimeInMillis: () => leftMs });

describe("InvocationBudget", () => {
  afterEach(() => vi.useRealTimers());

  it("knows no deadline outside an invocation, and the context's less the reserve inside one", async () => {
    const clock = new FakeClock();
    const budget = new InvocationBudget(clock, 1_000);
    expect(budget.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    const seen = await budget.wrap(async (_event: unknown, _context: unknown) => {
      const first = budget.remainingMs();
      clock.advance(2_500);
      return [first, budget.remainingMs()];
    })({}, context(10_000));
    expect(seen).toEqual([9_000, 6_500]);
  });

  it("keeps the deadlines of concurrent invocations apart", async () => {
    const budget = new InvocationBudget(new FakeClock(), 0);
    const handler = budget.wrap(async (_event: unknown, _context: unknown) => {
      await new Promise((resolve) => setImmediate(resolve));
      return budget.remainingMs();
    });
    expect(await Promise.all([handler({}, context(3_000)), handler({}, context(20_000))])).toEqual([3_000, 20_000]);
  });

  it("refuses what does not fit in the time left, as a failure of ours", async () => {
    const budget = new InvocationBudget(new FakeClock(), 500);
    await budget.wrap(async (_event: unknown, _context: unknown) => {
      expect(() => budget.require(2_000, "a write")).not.toThrow();
      expect(() => budget.require(2_001, "a write")).toThrow(OutOfTimeError);
      expect(() => budget.require(2_001, "a write")).toThrow(DependencyError);
    })({}, context(2_500));
  });

  it("abandons a call that outlasts the time left, and leaves one that ends in time alone", async () => {
    vi.useFakeTimers();
    const budget = new InvocationBudget(new FakeClock(), 1_000);
    await budget.wrap(async (_event: unknown, _context: unknown) => {
      const quick = budget.within("read", () => new Promise((resolve) => setTimeout(() => resolve("read"), 1_000)));
      const hanging = budget.within("write", () => new Promise(() => undefined));
      const outcome = hanging.catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await quick).toBe("read");
      await vi.advanceTimersByTimeAsync(1_999);
      await vi.advanceTimersByTimeAsync(1);
      expect(await outcome).toBeInstanceOf(OutOfTimeError);
    })({}, context(4_000));
  });

  it("starts a POST only when the POST and its log fit in the time left", async () => {
    const clock = new FakeClock();
    const budget = new InvocationBudget(clock, 1_000);
    const http = new ScriptedSender();
    const sender = budget.guardSender(http, 15_000, 5_000);
    await budget.wrap(async (_event: unknown, _context: unknown) => {
      await expect(sender.post("https://receiver.example/hook", {}, "{}")).resolves.toMatchObject({ statusCode: 200 });
      clock.advance(10_000);
      await expect(sender.post("https://receiver.example/hook", {}, "{}")).rejects.toBeInstanceOf(OutOfTimeError);
    })({}, context(30_000));
    expect(http.requests).toHaveLength(1);
  });
});

describe("an AWS client bounded by the budget", () => {
  /** A DynamoDB client whose every try answers 500, counting the tries. */
  function failingClient() {
    const tries = { count: 0 };
    const client = new DynamoDBClient({
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      endpoint: "http://127.0.0.1:1",
      maxAttempts: 3,
      requestHandler: {
        handle: async () => {
          tries.count++;
          return {
            response: {
              statusCode: 500,
              reason: "",
              headers: { "x-amzn-errortype": "InternalServerError" },
              body: new TextEncoder().encode('{"__type":"InternalServerError"}'),
            },
          };
        },
      } as never,
    });
    return { client, tries };
  }
  const get = new GetItemCommand({ TableName: "t", Key: { pk: { S: "k" } } });

  it("retries as usual when there is time", async () => {
    const { client, tries } = failingClient();
    const budget = new InvocationBudget(new FakeClock(), 0);
    budgeted(client, budget, "dynamodb");
    await budget.wrap(async (_event: unknown, _context: unknown) => {
      await expect(client.send(get)).rejects.toThrow();
    })({}, context(60_000));
    expect(tries.count).toBe(3);
  });

  it("starts no retry that could not get its answer before the deadline", async () => {
    const { client, tries } = failingClient();
    const budget = new InvocationBudget(new FakeClock(), 0);
    budgeted(client, budget, "dynamodb");
    await budget.wrap(async (_event: unknown, _context: unknown) => {
      await expect(client.send(get)).rejects.toBeInstanceOf(OutOfTimeError);
    })({}, context(2_000));
    expect(tries.count).toBe(1);
  });
});

describe("the delivery worker near its deadline", () => {
  it("sends no POST that could not be logged in time: the message is reported for redelivery, with no attempt shown", async () => {
    const deps = deliveryDeps([5]);
    await deps.endpoints.put(endpointFixture());
    const budget = new InvocationBudget(deps.clock, 1_000);
    const recorded = deps.http;
    // The slow lane's worker: its POSTs may take the sender's whole timeout (the fast lane's take its shorter budget).
    const handler = budget.wrap(createDeliveryHandler({ ...deps, lane: "slow", http: budget.guardSender(recorded, 15_000, 5_000) }));
    const body = JSON.stringify({
      v: 1,
      eventId: "evt_1",
      endpointId: "ep_1",
      tenantId: "default",
      type: "a",
      createdAt: "2026-11-01T00:00:00.000Z",
      body: "{}",
    });
    const late = await handler(sqsEvent([body]), context(12_000) as never);
    expect(late).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
    expect(recorded.requests).toEqual([]);
    expect(deps.attempts.items).toEqual([]);
    const inTime = await handler(sqsEvent([body]), context(30_000) as never);
    expect(inTime).toEqual({ batchItemFailures: [] });
    expect(recorded.requests).toHaveLength(1);
  });
});
