import { admit } from "../delivery/admit.ts";
import { announcer } from "../delivery/announce.ts";
import { appendDelivery } from "../delivery/append.ts";
import { recordAttempt } from "../delivery/attempt-record.ts";
import type { BatchEndpoints } from "../delivery/batch-endpoints.ts";
import { bestEffort } from "../delivery/best-effort.ts";
import { endExhausted } from "../delivery/exhausted.ts";
import { afterFailure, disableEndpoint, type EndpointChange } from "../delivery/health.ts";
import { sendSigned } from "../delivery/send.ts";
import { judge, settle } from "../delivery/settle.ts";
import type { DeliveryMessage, Endpoint } from "../kernel/model.ts";
import type { OrderedDeps, OrderedReceived } from "./ordered-deps.ts";
import { holdSeconds, isStuck, ORDERED_GIVE_UP_RECEIVES } from "./receive-budget.ts";

/** What the head of a line comes to: the next delivery may go, or the line waits `seconds`. */
export type HeadStep = { kind: "next" } | { kind: "hold"; seconds: number; reason: "retry" | "wait" };

const NEXT: HeadStep = { kind: "next" };

/**
 * Delivers the head of an ordered line: the decisions are the delivery worker's (admit, send,
 * judge, settle), except that a wait or a retry holds the line in flight instead of sending a
 * copy, and that no lane applies. Throws when our own infrastructure fails.
 */
export async function deliverHead(
  deps: OrderedDeps,
  received: OrderedReceived,
  message: DeliveryMessage,
  endpoints: BatchEndpoints,
): Promise<HeadStep> {
  const announce = announcer(deps, message);
  const given = (reason: string) =>
    deps.onOrdered?.({ kind: "given_up", endpointId: message.endpointId, eventId: message.eventId, messageId: message.messageId, reason });
  if (received.receiveCount >= ORDERED_GIVE_UP_RECEIVES) {
    // The dead-letter consumer records it exhausted ("dead_lettered") and announces delivery.exhausted.
    await deps.queue.deadLetter(received.body, "receive_budget");
    given("receive_budget");
    return NEXT;
  }
  await disableIfStuck(deps, received, message, endpoints);
  // The ordered consumer is no lane: "slow" here only means that nothing is forwarded and POSTs get the full timeout.
  const admission = await admit({ ...deps, lane: "slow" }, received, message, (id) => endpoints.get(id));
  switch (admission.kind) {
    case "done":
      return NEXT;
    case "wait":
      return { kind: "hold", seconds: holdSeconds(admission.untilMs, deps.clock.now().getTime()), reason: "wait" };
    case "ended":
      await endExhausted(deps, message, admission.record, { by: "worker", ports: deps, received, endpoints, announce });
      return NEXT;
    case "skip":
      await recordAttempt(deps, message, admission.attempt, {
        status: "skipped",
        url: admission.url,
        durationMs: 0,
        error: admission.reason,
      });
      if (admission.reason === "endpoint_deleted") await deps.queue.deadLetter(received.body, "endpoint_deleted");
      return NEXT;
    case "drop":
      await deps.queue.deadLetter(received.body, admission.reason);
      return NEXT;
    case "forward":
      throw new Error("the ordered consumer forwards nothing to a lane");
  }
  const { endpoint, attempt, probe } = admission;
  await endpoints.apply(endpoint.id, admission.change);
  const current = async (): Promise<Endpoint> => (await endpoints.get(endpoint.id)) ?? endpoint;
  const health = (step: (now: Endpoint) => Promise<EndpointChange>) =>
    bestEffort(deps, "record endpoint health", async () => endpoints.apply(endpoint.id, await step(await current())));
  const sent = endpoint.kind === "polling" ? await appendDelivery(deps, message, endpoint) : await sendSigned(deps, message, endpoint);
  const verdict = judge(deps, endpoint, attempt, sent);
  if (verdict.kind === "retry") {
    // The head waits in flight for its retry: a copy sent again would join the back of its group.
    const nextAttemptAt = new Date(verdict.atMs).toISOString();
    await recordAttempt(deps, message, attempt, { status: "failed", nextAttemptAt, ...sent.fields }, sent.at);
    await health((now) => afterFailure(deps, announce, now, probe));
    return { kind: "hold", seconds: verdict.delaySeconds, reason: "retry" };
  }
  // settle never schedules a retry here (the verdict is not one), so its requeue is never used.
  await settle({ ...deps, requeue: NO_REQUEUE }, { received, message, attempt, probe, sent }, verdict, {
    endpoints,
    current,
    health,
    announce,
  });
  if (verdict.kind !== "succeeded") given(verdict.kind === "gone" ? "endpoint_gone" : "exhausted");
  return NEXT;
}

const NO_REQUEUE = {
  later: async () => {
    throw new Error("an ordered delivery is never requeued: a copy would lose its place");
  },
};

/**
 * A delivery that has waited nearly as long as the queue keeps messages disables its endpoint
 * (reason "failing", announced as endpoint.disabled), so that it and every delivery behind it are
 * recorded skipped, and recoverable, before SQS's retention could delete them unrecorded.
 */
async function disableIfStuck(deps: OrderedDeps, received: OrderedReceived, message: DeliveryMessage, endpoints: BatchEndpoints) {
  const now = deps.clock.now();
  if (!isStuck(received.sentAtMs, now.getTime(), deps.retentionSeconds)) return;
  const endpoint = await endpoints.get(message.endpointId);
  if (!endpoint?.enabled || endpoint.tenantId !== message.tenantId) return;
  deps.onOrdered?.({ kind: "stuck", endpointId: endpoint.id, eventId: message.eventId, waitedMs: now.getTime() - received.sentAtMs });
  const change = await disableEndpoint(deps, announcer(deps, message), endpoint, "failing", now.toISOString());
  await endpoints.apply(endpoint.id, change);
}
