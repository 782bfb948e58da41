import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, it } from "vitest";
import { failureKind } from "../../functions/adapters/aws-destinations/failure-kinds.ts";
import type { ReceivedMessage } from "../../functions/core/delivery/deps.ts";
import { deliverBatch } from "../../functions/core/delivery/pipeline.ts";
import { externalIdFor } from "../../functions/core/destinations/access.ts";
import { deliveryAttributes, envelope, framedBytes, SIZE_LIMITS, s3Key } from "../../functions/core/destinations/message.ts";
import { type DestinationFailureKind, DestinationUnavailableError } from "../../functions/core/destinations/ports.ts";
import type { DestinationTarget } from "../../functions/core/destinations/targets.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { deliveryDeps, deliveryMessage, type TestDeliveryDeps } from "../support/delivery-deps.ts";
import { endpointFixture } from "../support/fakes.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const received = (m: DeliveryMessage, id = "m1"): ReceivedMessage => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body: JSON.stringify(m),
  receiveCount: 1,
});
const queue: DestinationTarget = {
  kind: "sqs",
  queueUrl: "https://sqs.us-east-1.amazonaws.com/222222222222/orders",
  fifo: false,
  partition: "aws",
  region: "us-east-1",
  account: "222222222222",
  name: "orders",
};

describe("delivering to an AWS destination", () => {
  let deps: TestDeliveryDeps;
  beforeEach(async () => {
    deps = deliveryDeps([5, 300]);
    await deps.endpoints.put(
      endpointFixture({ kind: "sqs", url: queue.kind === "sqs" ? queue.queueUrl : "", destination: { target: queue }, secret: SECRET }),
    );
  });

  it("puts the body signed over its exact bytes, verifiable with the standardwebhooks library, and records a success", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (payload) => {
        deps.destinations.sender.puts.length = 0;
        const body = JSON.stringify(payload);
        await deliverBatch(deps, [received(deliveryMessage({ body }))]);
        const [put] = deps.destinations.sender.puts;
        expect(put?.delivery.body).toBe(body);
        const attributes = deliveryAttributes(put?.delivery as never);
        // The library's own signer: verify() would also check the timestamp against the real clock, which the fake clock is not.
        const expected = new Webhook(SECRET).sign(
          attributes["webhook-id"] as string,
          new Date(Number(attributes["webhook-timestamp"]) * 1000),
          body,
        );
        expect(attributes["webhook-signature"]).toBe(expected);
      }),
      { numRuns: 30 },
    );
    expect(deps.http.requests).toEqual([]);
    expect(deps.attempts.items.at(-1)).toMatchObject({ status: "succeeded", url: (queue as { queueUrl: string }).queueUrl });
  });

  it("acts as the tenant-tagged session without a roleArn, and as the role with the tenant's ExternalId with one", async () => {
    await deliverBatch(deps, [received(deliveryMessage())]);
    expect(deps.destinations.sender.puts[0]?.access).toEqual({ kind: "tagged", tenantId: "default" });
    const role = "arn:aws:iam::222222222222:role/r";
    await deps.endpoints.put(endpointFixture({ kind: "sqs", destination: { target: queue, roleArn: role, roleAccount: "222222222222" } }));
    await deliverBatch(deps, [received(deliveryMessage({ eventId: "evt_2" }), "m2")]);
    expect(deps.destinations.sender.puts[1]?.access).toEqual({
      kind: "role",
      roleArn: role,
      account: "222222222222",
      externalId: externalIdFor(deps.destinations.deployment, "default"),
    });
  });

  const failures: DestinationFailureKind[] = ["server", "denied", "missing", "kms", "too_large", "rejected"];
  it("records a destination's failure as a failed attempt with a clear error, retried on schedule and counted toward auto-disable", async () => {
    for (const failure of failures) {
      deps = deliveryDeps([5, 300]);
      await deps.endpoints.put(endpointFixture({ kind: "sqs", destination: { target: queue } }));
      const refusal = { ok: false as const, failure, message: `the ${failure} said no`, durationMs: 3 };
      deps.destinations.sender.script.push(refusal, refusal);
      expect(await deliverBatch(deps, [received(deliveryMessage())])).toEqual(["m1"]);
      expect(deps.attempts.items).toEqual([
        expect.objectContaining({
          status: "failed",
          error: `destination_${failure === "server" ? "error" : failure}`,
          errorMessage: `the ${failure} said no`,
        }),
      ]);
      expect(deps.queue.delays).toEqual([{ receiptHandle: "rh-m1", seconds: expect.any(Number) }]);
      expect(deps.queue.delays[0]?.seconds).toBeLessThanOrEqual(5 * 1.2 + 1);
      // A run of two failed attempts is dated: the start of the run auto-disable measures.
      await deliverBatch(deps, [received(deliveryMessage({ eventId: "evt_2" }), "m2")]);
      expect((await deps.endpoints.get("ep_1"))?.failingSince).toBeDefined();
    }
  });

  it("waits at least the slow-down delay after throttling, as after a 429", async () => {
    deps.destinations.sender.script.push({ ok: false, failure: "throttled", message: "ThrottlingException: Rate exceeded", durationMs: 3 });
    await deliverBatch(deps, [received(deliveryMessage())]);
    expect(deps.attempts.items).toEqual([expect.objectContaining({ status: "failed", error: "destination_throttled" })]);
    expect(deps.queue.delays[0]?.seconds).toBeGreaterThanOrEqual(deps.policy.slowDownDelaySeconds);
  });

  it("leaves the message to the queue and records nothing when our own side fails (credentials, network)", async () => {
    deps.destinations.sender.script.push(new DestinationUnavailableError("connect ECONNREFUSED"));
    expect(await deliverBatch(deps, [received(deliveryMessage())])).toEqual(["m1"]);
    expect(deps.attempts.items).toEqual([]);
    expect((await deps.endpoints.get("ep_1"))?.failingSince).toBeUndefined();
  });

  it("fails a message too large for its service before calling it, naming both sizes", async () => {
    await deps.endpoints.put(
      endpointFixture({
        kind: "sns",
        destination: {
          target: { ...queue, kind: "sns", topicArn: "arn:aws:sns:us-east-1:222222222222:t", fifo: false } as DestinationTarget,
        },
      }),
    );
    await deliverBatch(deps, [received(deliveryMessage({ body: JSON.stringify({ x: "y".repeat(SIZE_LIMITS.sns) }) }))]);
    expect(deps.destinations.sender.puts).toEqual([]);
    expect(deps.attempts.items).toEqual([
      expect.objectContaining({
        error: "destination_too_large",
        errorMessage: expect.stringMatching(/takes \d+ bytes; sns accepts at most 262144/),
      }),
    ]);
  });
});

describe("the message framing", () => {
  const delivery = (body: string) => ({
    id: "msg_1",
    timestamp: 1_700_000_000,
    signature: "v1,abc",
    type: "a.b",
    body,
    eventId: "evt_1",
    tenantId: "t",
    endpointId: "ep",
  });

  it("carries the body as a string beside the fields in an envelope object (EventBridge detail, Kinesis data)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        const body = JSON.stringify(payload);
        const parsed = JSON.parse(envelope(delivery(body)));
        expect(parsed).toEqual({
          "webhook-id": "msg_1",
          "webhook-timestamp": "1700000000",
          "webhook-signature": "v1,abc",
          "webhook-type": "a.b",
          body,
        });
      }),
    );
  });

  it("counts the envelope's escaping against the limit: framed bytes never undercount what is sent", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const d = delivery(JSON.stringify(text));
        const bus = { ...queue, kind: "eventbridge", eventBusArn: "arn", detailType: "x" } as DestinationTarget;
        expect(framedBytes(bus, d, "hookrelay")).toBeGreaterThanOrEqual(Buffer.byteLength(envelope(d)));
        expect(framedBytes(queue, d, "hookrelay")).toBeGreaterThanOrEqual(Buffer.byteLength(d.body));
      }),
    );
  });

  it("keys an S3 object by date, type and webhook-id, so a retry overwrites the same object", () => {
    expect(s3Key("p/", delivery("{}"), "2026-11-01T10:00:00.000Z")).toBe("p/2026/11/01/a.b/msg_1.json");
  });
});

describe("classifying AWS errors", () => {
  const error = (name: string, status?: number, fault?: string) =>
    Object.assign(new Error("x"), {
      name,
      ...(fault && { $fault: fault }),
      ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
    });

  it("blames the destination for every answered refusal, and us when nothing answered", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z.]{1,30}$/), fc.integer({ min: 400, max: 599 }), (name, status) => {
        expect(failureKind(error(name, status))).not.toBe("ours");
      }),
    );
    for (const name of ["TimeoutError", "ECONNREFUSED", "CredentialsProviderError"]) expect(failureKind(error(name))).toBe("ours");
  });

  it("names throttling, denial, a missing resource and KMS as the services name them", () => {
    expect(failureKind(error("ThrottlingException", 400))).toBe("throttled");
    expect(failureKind(error("ProvisionedThroughputExceededException", 400))).toBe("throttled");
    expect(failureKind(error("SlowDown", 503))).toBe("throttled");
    expect(failureKind(error("AccessDenied", 403))).toBe("denied");
    expect(failureKind(error("AuthorizationError", 403))).toBe("denied");
    expect(failureKind(error("AWS.SimpleQueueService.NonExistentQueue", 400))).toBe("missing");
    expect(failureKind(error("QueueDoesNotExist", 400))).toBe("missing");
    expect(failureKind(error("NoSuchBucket", 404))).toBe("missing");
    expect(failureKind(error("ResourceNotFoundException", 400))).toBe("missing");
    expect(failureKind(error("KMSAccessDeniedException", 400))).toBe("kms");
    expect(failureKind(error("KmsDisabled", 400))).toBe("kms");
    expect(failureKind(error("InternalError", 500, "server"))).toBe("server");
    expect(failureKind(error("InvalidParameterValue", 400, "client"))).toBe("rejected");
  });
});
