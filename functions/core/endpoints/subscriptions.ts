import type { Endpoint } from "../kernel/model.ts";

/** What intake knows of an endpoint to route an event to it. */
export type Subscription = Pick<Endpoint, "id" | "enabled" | "eventTypes" | "disabledReason" | "lane">;

/** Intake's port: every endpoint of a tenant as it is stored, disabled ones included and shown as disabled. */
export interface TenantSubscriptions {
  subscriptionsOf(tenantId: string): Promise<Subscription[]>;
}

/**
 * Whether deliveries are made to the endpoint. An endpoint the dispatcher disabled itself (410 Gone,
 * or failing for too long) still gets each event it misses, which the worker records as a skipped
 * delivery that a recovery can resend once the endpoint is enabled again. An endpoint disabled on
 * purpose (created or patched with `enabled: false`) gets nothing.
 */
export function takesDeliveries(subscription: Subscription): boolean {
  return subscription.enabled || subscription.disabledReason === "gone" || subscription.disabledReason === "failing";
}

/** True when an event of this type goes to the endpoint: it takes deliveries and subscribes to the type (or to all). */
export function receives(subscription: Subscription, type: string): boolean {
  if (!takesDeliveries(subscription)) return false;
  return subscription.eventTypes === undefined || subscription.eventTypes.includes(type);
}

/** True when the endpoint's deliveries belong on the slow lane's queue: it is slow, or new and not yet shown fast. */
export function inSlowLane(subscription: Subscription): boolean {
  return subscription.lane === "slow" || subscription.lane === "probation";
}
