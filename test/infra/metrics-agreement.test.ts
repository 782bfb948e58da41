/**
 * Every custom metric the construct's alarms and dashboard read is one the functions emit: the
 * handlers run in process on fakes with Lambda's JSON output, their EMF lines are captured, and each
 * metric of the synthesized template (namespace, name, dimensions) must be among them.
 */

import type { Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createDeliveryMetrics } from "../../functions/adapters/lambda/metrics.ts";
import { publishScheduleOverdue } from "../../functions/adapters/lambda/scheduler-metrics.ts";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import { unsendableNotice } from "../../functions/core/kernel/queue-message.ts";
import { createDeadLetterHandler } from "../../functions/dead-letter/handler.ts";
import { createDeliveryHandler } from "../../functions/delivery/handler.ts";
import { createSweeperHandler } from "../../functions/sweeper/handler.ts";
import { SERVICE_NAMES } from "../../lib/dispatcher-monitoring.ts";
import { deliveryDeps } from "../support/delivery-deps.ts";
import { captureEmf, keyOf, type MetricKey, metricsOfEmfLine, metricsReadByTemplate, sqsEvent } from "../support/emf.ts";
import { deadLetterDeps, endpointFixture, MemoryAttemptLog, memoryIntakeDeps } from "../support/fakes.ts";
import { noDeletions } from "../support/memory-tenant-eraser.ts";
import { type Resource, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { alarmedStack } from "./synthesized.ts";

const message = (eventId: string, endpointId: string): DeliveryMessage => ({
  v: 1,
  eventId,
  endpointId,
  tenantId: "default",
  type: "invoice.paid",
  createdAt: "2026-11-01T00:00:00.000Z",
  body: "{}",
});

const context = {} as Context;

/** Runs the delivery worker and the dead-letter consumer through every outcome they count. */
async function emittedMetrics(): Promise<MetricKey[]> {
  // No retries: a failure is also the delivery's exhaustion.
  const deps = deliveryDeps([]);
  await deps.endpoints.put(endpointFixture({ id: "ep_ok" }));
  await deps.endpoints.put(endpointFixture({ id: "ep_down", url: "https://down.example/hook" }));
  // Lanes: a new endpoint's message is forwarded, a hanging one is handed over, a slow one that answered fast enough returns.
  await deps.endpoints.put(endpointFixture({ id: "ep_new", lane: "probation", laneSince: "2026-11-01T00:00:00.000Z" }));
  await deps.endpoints.put(endpointFixture({ id: "ep_hang", url: "https://hang.example/hook" }));
  const exit = deps.policy.lanes.exitSuccesses;
  await deps.endpoints.put(
    endpointFixture({ id: "ep_back", lane: "slow", laneSince: "2026-11-01T00:00:00.000Z", laneFastSuccesses: exit - 1 }),
  );
  deps.http.answer = (url) =>
    url.includes("down")
      ? { kind: "response", statusCode: 500, body: "", durationMs: 4 }
      : url.includes("hang")
        ? { kind: "error", error: "timeout", message: "no answer", durationMs: 1_000 }
        : { kind: "response", statusCode: 200, body: "", durationMs: 3 };
  const slowArn = "arn:aws:sqs:us-east-1:000000000000:slow";
  const delivery = createDeliveryHandler(deps, createDeliveryMetrics("json", SERVICE_NAMES.delivery), {
    isSource: (arn) => arn === slowArn,
    ports: { queue: deps.queue, requeue: deps.requeue },
  });
  const slowBatch = sqsEvent([JSON.stringify(message("evt_5", "ep_back"))]);
  for (const r of slowBatch.Records) r.eventSourceARN = slowArn;
  const deadLetter = createDeadLetterHandler(
    deadLetterDeps(new MemoryAttemptLog()),
    createDeliveryMetrics("json", SERVICE_NAMES.deadLetter),
  );
  const lines = await captureEmf(async () => {
    await delivery(sqsEvent([JSON.stringify(message("evt_1", "ep_ok")), JSON.stringify(message("evt_2", "ep_down"))]), context);
    await delivery(sqsEvent([JSON.stringify(message("evt_3", "ep_new")), JSON.stringify(message("evt_4", "ep_hang"))]), context);
    await delivery(slowBatch, context);
    await deadLetter(sqsEvent([JSON.stringify(message("evt_9", "ep_down"))], 9), context);
    // A notice that SQS refused an event's messages for good: UnsendableEvents.
    const refused = {
      id: "evt_10",
      tenantId: "default",
      type: "invoice.paid",
      body: "",
      createdAt: "2026-11-01T00:00:00.000Z",
      requestHash: "h",
      endpointIds: ["ep_ok"],
      expiresAt: 0,
    };
    await deadLetter(sqsEvent([unsendableNotice(refused, ["ep_ok"], "InvalidMessageContents")]), context);
    // The sweeper's scheduled job: ScheduleOverdueSeconds, once per run.
    const intake = memoryIntakeDeps();
    const sweeper = createSweeperHandler(
      { ...intake, graceSeconds: 60, schedule: intake.scheduling.store, leadSeconds: 180 },
      noDeletions(intake.tenants, intake.clock),
      { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined },
      publishScheduleOverdue("json", SERVICE_NAMES.sweeper),
    );
    await sweeper({ job: "scheduled" }, context);
  });
  return lines.flatMap(metricsOfEmfLine);
}

let read: MetricKey[];
let emitted: MetricKey[];

beforeAll(async () => {
  // The template is read, not the code: the unbundled stack, with every alarm.
  const resources = alarmedStack().template.toJSON().Resources as Record<string, Resource>;
  read = metricsReadByTemplate(resources as never).filter((m) => !m.namespace.startsWith("AWS/"));
  emitted = await emittedMetrics();
}, SYNTH_TIMEOUT_MS);

describe("the metrics the template reads and the metrics the functions emit", () => {
  it("finds the custom metrics of the alarms and the dashboard", () => {
    // Guards the comparison below against reading nothing: the failure rate reads two metrics.
    expect(read.map((m) => m.name)).toEqual(
      expect.arrayContaining(["Attempts", "Failures", "LaneHandovers", "SlowLaneExits", "UnsendableEvents"]),
    );
  });

  it("reads no custom metric that no function emits", () => {
    const emittedKeys = new Set(emitted.map(keyOf));
    const missing = [...new Set(read.map(keyOf))].filter((k) => !emittedKeys.has(k));
    expect(missing).toEqual([]);
  });
});
