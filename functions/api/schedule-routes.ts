import { parseLimit } from "../core/requests/validation.ts";
import { cancelScheduled, getScheduled, listScheduled } from "../core/scheduling/scheduled-messages.ts";
import { EVENT_TENANT_QUERY, paging, TENANT_QUERY } from "./openapi/operation.ts";
import { pathParam, queriedTenant, query } from "./request.ts";
import { json, page } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * Scheduled delivery (docs/scheduling.md): a tenant's held messages, one of them, and its cancel.
 * A message is held by POST /v1/events with a deliverAt.
 */

export const listScheduledRoute: Route = {
  method: "GET",
  path: "/v1/scheduled",
  doc: (R) => {
    DOC: return {
      operationId: "listScheduled",
      tag: "Events",
      summary: "A tenant's scheduled messages still held, soonest first",
      description:
        "Events emitted with a `deliverAt` more than SCHEDULE_LEAD_SECONDS (180 s) ahead are held here until the scheduler moves them to the delivery queue, up to that long before their time.",
      namesTenant: true,
      parameters: [TENANT_QUERY, ...paging],
      success: { status: 200, description: "A page of scheduled messages", schema: R.pageOf(R.ScheduledMessage) },
    };
  },
  handler: async (e, caller, deps) =>
    json(200, page(await listScheduled(deps.scheduling, queriedTenant(e, caller), parseLimit(query(e, "limit")), query(e, "cursor")))),
};

export const getScheduledRoute: Route = {
  method: "GET",
  path: "/v1/scheduled/{id}",
  doc: (R) => {
    DOC: return {
      operationId: "getScheduled",
      tag: "Events",
      summary: "Where the held message of an event stands",
      namesTenant: true,
      parameters: [EVENT_TENANT_QUERY],
      success: { status: 200, description: "The scheduled message", schema: R.ScheduledMessage },
    };
  },
  handler: async (e, caller, deps) => json(200, await getScheduled(deps.scheduling, queriedTenant(e, caller), pathParam(e, "id"))),
};

export const cancelScheduledRoute: Route = {
  method: "DELETE",
  path: "/v1/scheduled/{id}",
  doc: (R) => {
    DOC: return {
      operationId: "cancelScheduled",
      tag: "Events",
      summary: "Cancel the held message of an event: none of its deliveries is sent",
      description:
        "The message ends `cancelled`, and so does the event's `schedule`. A message the scheduler has moved to the queue already answers `409 schedule_started`; a second cancel answers the cancelled message again.",
      namesTenant: true,
      parameters: [EVENT_TENANT_QUERY],
      success: { status: 200, description: "The cancelled message", schema: R.ScheduledMessage },
      errors: ["schedule_started", "concurrent_update"],
    };
  },
  handler: async (e, caller, deps) =>
    json(200, await cancelScheduled({ schedule: deps.scheduling.store, clock: deps.clock }, queriedTenant(e, caller), pathParam(e, "id"))),
};
