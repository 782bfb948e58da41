import type { Endpoint } from "./model.ts";

/** True when an endpoint should receive an event of this type: enabled and subscribed to it (or to all). */
export function endpointMatches(endpoint: Endpoint, type: string): boolean {
  if (!endpoint.enabled) return false;
  return endpoint.eventTypes === undefined || endpoint.eventTypes.includes(type);
}
