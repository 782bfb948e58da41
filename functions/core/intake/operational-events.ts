import { createHash } from "node:crypto";
import { takesDeliveries } from "../endpoints/subscriptions.ts";
import type { PayloadCheckDeps } from "../event-types/payload-check.ts";
import { ApiError } from "../kernel/errors.ts";
import { acceptEvents, type IntakeDeps } from "./intake.ts";
import type { OperationalEvents } from "./operational.ts";

/**
 * Operational events through intake's own logic (validation, matching, enqueue, record). Only
 * endpoints whose `eventTypes` name the type receive it: an endpoint subscribed to every type gets
 * none, so a failing catch-all endpoint is never sent news of its own failures. A fact nobody
 * subscribes to costs one read and is not recorded (recording it would cost more than the delivery
 * it is about).
 */
export function operationalEvents(deps: Omit<IntakeDeps, keyof PayloadCheckDeps>): OperationalEvents {
  return {
    async emit(tenantId, type, key, at, data) {
      const all = await deps.subscriptions.subscriptionsOf(tenantId);
      const subscribers = all.filter((s) => takesDeliveries(s) && s.eventTypes?.includes(type) === true);
      if (subscribers.length === 0) return;
      const id = `op_${createHash("sha256").update(`${type}\u0000${key}`).digest("hex").slice(0, 32)}`;
      const payload = { type, timestamp: at, data };
      // Intake matches against the subscribers just read: the same read, not a second one.
      const [result] = await acceptEvents(
        { ...deps, ...OWN_TYPES, subscriptions: { subscriptionsOf: async () => subscribers } },
        [{ id, type, tenantId, payload }],
        undefined,
        tenantId,
      );
      if (!result || result.ok) return;
      // The same fact emitted before with another payload: the first one stands.
      if (result.error instanceof ApiError && result.error.code === "idempotency_conflict") return;
      throw result.error;
    },
  };
}

/**
 * Operational types are the dispatcher's own, their payloads built by its code and documented in
 * docs/delivery.md: the catalog, which holds the operator's types, is not read for them.
 */
const OWN_TYPES: PayloadCheckDeps = {
  eventTypes: { getMany: async () => new Map() },
  schemas: {
    problems: async () => [],
    validator: async () => () => [],
  },
};
