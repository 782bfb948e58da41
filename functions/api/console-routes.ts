import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { endpointScope } from "../core/access/endpoint-scope.ts";
import { confinedTenant } from "../core/access/principal.ts";
import { endpointStats } from "../core/endpoints/endpoint-stats.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { listEvents } from "../core/events/event-list.ts";
import { invalidField } from "../core/kernel/errors.ts";
import { parseTimestamp } from "../core/kernel/timestamp.ts";
import { lineState } from "../core/ordering/line-state.ts";
import { EVENT_TYPE, parse, parseLimit } from "../core/requests/validation.ts";
import { paging, TENANT_QUERY } from "./openapi/operation.ts";
import { pathParam, queriedTenant, query } from "./request.ts";
import { json, page } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * The read routes the console browses with: a tenant's events, an endpoint's last 24 hours, and
 * where an ordered endpoint's line stands.
 */

export const listEventsRoute: Route = {
  method: "GET",
  path: "/v1/events",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "listEvents",
      tag: "Events",
      summary: "A tenant's events, newest first, without payloads",
      namesTenant: true,
      parameters: [
        TENANT_QUERY,
        { name: "type", in: "query", description: "Only events of this type", schema: EVENT_TYPE },
        {
          name: "before",
          in: "query",
          description: "Only events created before this RFC 3339 time",
          schema: { type: "string", format: "date-time" },
        },
        ...paging,
      ],
      success: { status: 200, description: "A page of events", schema: R.pageOf(R.AcceptedEvent) },
    };
  },
  handler: async (e, caller, deps) => {
    const tenantId = queriedTenant(e, caller);
    const type = query(e, "type");
    const filter = { type: type === undefined ? undefined : parse(EVENT_TYPE, type, "type"), before: isoTime(e, "before") };
    const found = await listEvents(deps, tenantId, filter, parseLimit(query(e, "limit")), query(e, "cursor"), endpointScope(caller));
    return json(200, page(found));
  },
};

export const endpointStatsRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}/stats",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getEndpointStats",
      tag: "Endpoints",
      summary: "Success rate and latency per hour over the last 24 hours",
      description:
        "Computed from the attempts already in the delivery log: no write per delivery. Reads at most the newest 5,000 attempts.",
      success: { status: 200, description: "The endpoint's last 24 hours", schema: R.EndpointStats },
    };
  },
  handler: async (e, caller, deps) => {
    const endpoint = await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
    return json(200, await endpointStats(deps, endpoint.id));
  },
};

export const orderedLineRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}/line",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getOrderedLine",
      tag: "Endpoints",
      summary: "Where an ordered endpoint's line stands: whether a failing head holds it, since when, and which event",
      description:
        "Read from the delivery log: the endpoint's newest attempt, and when that is a failure with a retry to come, its delivery's chain. An unordered endpoint answers `unordered`. See docs/ordering.md.",
      success: { status: 200, description: "The endpoint's line", schema: R.OrderedLine },
    };
  },
  handler: async (e, caller, deps) => {
    const endpoint = await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
    return json(200, await lineState(deps, endpoint));
  },
};

/** An RFC 3339 time query parameter, read by the one strict parser every date field goes through. */
function isoTime(e: APIGatewayProxyEventV2, name: string): string | undefined {
  const raw = query(e, name);
  if (raw === undefined) return undefined;
  const time = parseTimestamp(raw);
  if (time === undefined) {
    throw invalidField(name, "must be an RFC 3339 time such as 2026-12-01T10:00:00Z");
  }
  return time;
}
