import type { AttemptRecord, DeliveryMessage, DisabledReason, Endpoint } from "../kernel/model.ts";
import { type Announce, announceExhausted, type Ending } from "./announce.ts";
import type { BatchEndpoints } from "./batch-endpoints.ts";
import { bestEffort } from "./best-effort.ts";
import type { DeliveryDeps, ReceivedMessage } from "./deps.ts";
import { disableEndpoint } from "./health.ts";

/*
 * The one place an exhausted delivery ends, whoever finds it exhausted: the worker (no retry left,
 * 410 Gone, or a redelivery after the exhausted record was written) or the dead-letter consumer (the
 * queue gave up on the message, or refused it for good). The record is written before, by whoever
 * made the last attempt (attempt-record.ts); from it follow the endpoint's disabling, the
 * delivery.exhausted announcement and the message's move to the dead-letter queue.
 */

/** Who ends the delivery, with what each holds. */
export type Ender =
  /**
   * The worker holds the message, which it moves to the dead-letter queue, and the batch's copy of
   * the endpoint, which it disables when due. A failure of either of its last two steps keeps the
   * message, whose redelivery ends it again (every step is idempotent).
   */
  | {
      by: "worker";
      ports: Pick<DeliveryDeps, "queue" | "health" | "clock" | "policy">;
      received: ReceivedMessage;
      endpoints: BatchEndpoints;
      announce: Announce;
    }
  /**
   * The dead-letter consumer: the message is in the dead-letter queue already, and its record is
   * written, so nothing would redo a failed announcement: it is logged. `ending` counts the
   * attempts before its record, which stands for the queue giving up, not for a request.
   */
  | { by: "dead-letter consumer"; ending: Ending };

/**
 * Ends the exhausted delivery of `message` whose exhausted record is `record`: the endpoint disabled
 * when due (worker), delivery.exhausted announced, the message to the dead-letter queue (worker).
 */
export async function endExhausted(
  deps: Pick<DeliveryDeps, "operational" | "onWarning">,
  message: DeliveryMessage,
  record: AttemptRecord,
  ender: Ender,
): Promise<void> {
  if (ender.by === "dead-letter consumer") {
    await bestEffort(deps, "emit delivery.exhausted", () => announceExhausted(deps, message, record.at, ender.ending));
    return;
  }
  const { ports, received, endpoints, announce } = ender;
  const endpoint = await endpoints.get(message.endpointId);
  const due = disablement(ports, endpoint, record);
  if (endpoint && due) {
    await bestEffort(deps, "disable the endpoint", async () =>
      endpoints.apply(endpoint.id, await disableEndpoint(ports, announce, endpoint, due.reason, due.at)),
    );
  }
  await announceExhausted(deps, message, record.at, endingOf(record));
  await ports.queue.deadLetter(received.body, record.error === "endpoint_gone" ? "endpoint_gone" : "exhausted");
}

/** What an exhausted record says of the delivery's ending: the attempts made and what the last one answered. */
export function endingOf(record: AttemptRecord): Ending {
  return { attempts: record.attempt, statusCode: record.statusCode, error: record.error };
}

/**
 * Whether an exhausted delivery disables its endpoint, why and as of when: at once on 410 Gone, or
 * when the endpoint has failed for ENDPOINT_DISABLE_AFTER_HOURS. Undefined: it stays as it is.
 */
export function disablement(
  deps: Pick<DeliveryDeps, "clock" | "policy">,
  endpoint: Endpoint | undefined,
  record: AttemptRecord,
): { reason: DisabledReason; at: string } | undefined {
  if (!endpoint?.enabled || endpoint.tenantId !== record.tenantId) return undefined;
  if (record.error === "endpoint_gone") return { reason: "gone", at: record.at };
  const now = deps.clock.now();
  const failingSince = Date.parse(endpoint.failingSince ?? record.at);
  if (failingSince <= now.getTime() - deps.policy.disableAfterHours * 3_600_000) return { reason: "failing", at: now.toISOString() };
  return undefined;
}
