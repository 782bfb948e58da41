import { sendToDestination } from "../destinations/deliver.ts";
import { isAwsKind } from "../destinations/targets.ts";
import { runRecoveryStep } from "../events/recovery.ts";
import { mapWithConcurrency } from "../kernel/concurrency.ts";
import type { DeliveryMessage, Endpoint } from "../kernel/model.ts";
import { parseMessage, parseTask } from "../kernel/queue-message.ts";
import { isOrdered } from "../ordering/ordering-rules.ts";
import { handToLine } from "../ordering/to-line.ts";
import { admit } from "./admit.ts";
import { announcer } from "./announce.ts";
import { appendDelivery } from "./append.ts";
import { recordAttempt } from "./attempt-record.ts";
import { BatchEndpoints } from "./batch-endpoints.ts";
import { bestEffort } from "./best-effort.ts";
import type { DeliveryDeps, ReceivedMessage } from "./deps.ts";
import { endExhausted } from "./exhausted.ts";
import type { EndpointChange } from "./health.ts";
import { slowPostWatch } from "./lane-watch.ts";
import { afterLaneAttempt, laneMayChange, postBudgetMs, ranOutOfBudget, sendToSlowLane } from "./lanes.ts";
import { sendSigned } from "./send.ts";
import { type Disposition, judge, settle } from "./settle.ts";
import { sendWaitingCopy } from "./waiting.ts";

/*
 * One delivery message: parse -> admit -> send -> settle. Each stage returns a value that this file
 * acts on; no stage calls back into it. Health transitions come back as changed fields, which this
 * file applies to the batch's copy of the endpoint.
 */

/**
 * Delivers a batch concurrently and returns the ids of the messages the queue must keep: those
 * scheduled for a retry and those whose processing hit a failure of our own infrastructure.
 * Each message stands alone: a poison message is dead-lettered without holding up the others.
 */
export async function deliverBatch(deps: DeliveryDeps, messages: ReceivedMessage[]): Promise<string[]> {
  const endpoints = new BatchEndpoints(deps.endpoints);
  const kept = await mapWithConcurrency(messages, deps.concurrency ?? 64, async (message) => {
    try {
      return (await handle(deps, message, endpoints)) === "keep";
    } catch (error) {
      deps.onError?.(message, error);
      return true;
    }
  });
  return messages.filter((_, i) => kept[i]).map((m) => m.messageId);
}

async function handle(deps: DeliveryDeps, received: ReceivedMessage, endpoints: BatchEndpoints): Promise<Disposition> {
  const message = parseMessage(received.body);
  if (message) return deliverOne(deps, received, message, endpoints);
  const task = parseTask(received.body);
  if (task) {
    await runRecoveryStep(deps.recovery, task);
    return "done";
  }
  await deps.queue.deadLetter(received.body, "unparsable");
  return "done";
}

async function deliverOne(
  shared: DeliveryDeps,
  received: ReceivedMessage,
  message: DeliveryMessage,
  endpoints: BatchEndpoints,
): Promise<Disposition> {
  // The tenant's tombstone drops the message before anything is read, sent or written; its retention
  // stands in for the default in every record this message writes (attempts, feed items).
  const tenant = await shared.tenantStatus.statusOf(message.tenantId);
  if (tenant.deleted) return "done";
  // Its default signature header names stand in for SIGNATURE_HEADERS the same way.
  const deps: DeliveryDeps =
    tenant.retentionDays === shared.logRetentionDays && tenant.signatureHeaders === undefined
      ? shared
      : {
          ...shared,
          logRetentionDays: tenant.retentionDays,
          ...(tenant.signatureHeaders !== undefined && { policy: { ...shared.policy, signatureHeaders: tenant.signatureHeaders } }),
        };
  // A scheduled delivery to an ordered endpoint waited here on the queue's delay: due, it joins its line.
  if (deps.line && isOrdered(await endpoints.get(message.endpointId))) return handToLine({ ...deps, line: deps.line }, received, message);
  const announce = announcer(deps, message);
  const admission = await admit(deps, received, message, (id) => endpoints.get(id));
  switch (admission.kind) {
    case "done":
      return "done";
    case "wait":
      await sendWaitingCopy(deps, message, admission.untilMs, admission.resumed);
      return "done";
    case "ended":
      // A redelivery after the exhausted record was written: finish what may not have been done.
      await endExhausted(deps, message, admission.record, { by: "worker", ports: deps, received, endpoints, announce });
      return "done";
    case "skip":
      await recordAttempt(deps, message, admission.attempt, {
        status: "skipped",
        url: admission.url,
        durationMs: 0,
        error: admission.reason,
      });
      if (admission.reason === "endpoint_deleted") await deps.queue.deadLetter(received.body, "endpoint_deleted");
      return "done";
    case "drop":
      // Never another tenant's endpoint, and nothing written to its log.
      await deps.queue.deadLetter(received.body, admission.reason);
      return "done";
    case "forward":
      await sendToSlowLane(deps, received, message, "forwarded", admission.hasHistory);
      return "done";
  }

  const { endpoint, attempt, probe } = admission;
  await endpoints.apply(endpoint.id, admission.change);
  // Health is read from the batch's copy as it is now: other deliveries of the batch may have changed it meanwhile.
  const current = async (): Promise<Endpoint> => (await endpoints.get(endpoint.id)) ?? endpoint;
  const health = (step: (now: Endpoint) => Promise<EndpointChange>) =>
    bestEffort(deps, "record endpoint health", async () => endpoints.apply(endpoint.id, await step(await current())));
  const slow = slowPostWatch(deps, endpoint, health);
  const sent =
    endpoint.kind === "polling"
      ? await appendDelivery(deps, message, endpoint)
      : isAwsKind(endpoint.kind)
        ? await sendToDestination(deps, message, endpoint)
        : await sendSigned(deps, message, endpoint, postBudgetMs(deps), slow.watch);
  await slow.noted();
  const lane = (now: Endpoint) => afterLaneAttempt(deps, now, sent);
  if (ranOutOfBudget(deps, sent)) {
    await health(lane);
    // Not an attempt: the slow lane makes it with the full timeout. The receiver may have taken this
    // POST before it was cut off, so it may see the delivery twice, under the same webhook-id.
    await sendToSlowLane(deps, received, message, "handed_over", attempt > 1);
    return "done";
  }
  const verdict = judge(deps, endpoint, attempt, sent);
  const disposition = await settle(deps, { received, message, attempt, probe, sent }, verdict, { endpoints, current, health, announce });
  // After the attempt is logged and its retry scheduled: a lane write delays neither.
  if (laneMayChange(deps, endpoint, sent)) await health(lane);
  return disposition;
}
