import { withTenantListing } from "./matching.ts";
import type { Endpoint } from "./model.ts";
import type { EndpointStore } from "./ports.ts";

/**
 * The endpoint store as intake's matching sees it: an endpoint the dispatcher disabled itself (410
 * Gone, or failing for too long) still matches, so that each event it misses is enqueued and then
 * recorded by the worker as a skipped delivery, which a recovery can resend once it is enabled
 * again. An endpoint disabled on purpose (created or patched with `enabled: false`) matches nothing.
 */
export function matchingDisabledBySystem(store: EndpointStore): EndpointStore {
  const asMatched = (e: Endpoint): Endpoint =>
    !e.enabled && (e.disabledReason === "gone" || e.disabledReason === "failing") ? { ...e, enabled: true } : e;
  return withTenantListing(store, async (tenantId) => (await store.allOfTenant(tenantId)).map(asMatched));
}
