import type { Endpoint } from "./model.ts";
import type { EndpointStore } from "./ports.ts";

/** True when an endpoint should receive an event of this type: enabled and subscribed to it (or to all). */
export function endpointMatches(endpoint: Endpoint, type: string): boolean {
  if (!endpoint.enabled) return false;
  return endpoint.eventTypes === undefined || endpoint.eventTypes.includes(type);
}

/** The endpoint store with the tenant listing intake matches against replaced, everything else as it was. */
export function withTenantListing(store: EndpointStore, allOfTenant: EndpointStore["allOfTenant"]): EndpointStore {
  return {
    put: (e) => store.put(e),
    create: (e, max) => store.create(e, max),
    replace: (e) => store.replace(e),
    get: (id) => store.get(id),
    delete: (id) => store.delete(id),
    listByTenant: (tenantId, limit, cursor) => store.listByTenant(tenantId, limit, cursor),
    allOfTenant,
  };
}
