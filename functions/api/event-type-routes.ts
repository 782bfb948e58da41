import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  CreateEventType,
  createEventType,
  deleteEventType,
  type EventTypeDeps,
  type EventTypeRecord,
  getEventType,
  UpdateEventType,
  updateEventType,
} from "../core/event-types.ts";
import { requireAdmin } from "../core/principal.ts";
import { parse, parseLimit } from "../core/validation.ts";
import { jsonBody, pathParam, query } from "./request.ts";
import { empty, json } from "./response.ts";
import type { Route } from "./route.ts";

/** The event-type catalog's routes: the admin key writes it, every key reads it (it is global). */
export function eventTypeRoutes(deps: EventTypeDeps & { maxBodyBytes: number }): Route[] {
  const body = (e: APIGatewayProxyEventV2) => jsonBody(e, deps.maxBodyBytes);
  const name = (e: APIGatewayProxyEventV2) => pathParam(e, "name");
  return [
    {
      method: "POST",
      path: "/v1/event-types",
      handler: async (e, caller) => {
        requireAdmin(caller, "change the event-type catalog");
        return json(201, eventTypeJson(await createEventType(deps, parse(CreateEventType, body(e)))));
      },
    },
    {
      method: "GET",
      path: "/v1/event-types",
      handler: async (e) => {
        const found = await deps.eventTypes.list(parseLimit(query(e, "limit")), query(e, "cursor"));
        return json(200, { items: found.items.map(eventTypeJson), nextCursor: found.nextCursor ?? null });
      },
    },
    {
      method: "GET",
      path: "/v1/event-types/{name}",
      handler: async (e) => json(200, eventTypeJson(await getEventType(deps, name(e)))),
    },
    {
      method: "PATCH",
      path: "/v1/event-types/{name}",
      handler: async (e, caller) => {
        requireAdmin(caller, "change the event-type catalog");
        const input = parse(UpdateEventType, body(e));
        return json(200, eventTypeJson(await updateEventType(deps, name(e), input)));
      },
    },
    {
      method: "DELETE",
      path: "/v1/event-types/{name}",
      handler: async (e, caller) => {
        requireAdmin(caller, "change the event-type catalog");
        await deleteEventType(deps, name(e));
        return empty(204);
      },
    },
  ];
}

/** A type as the API shows it: `schema` is null when it has none. */
function eventTypeJson(type: EventTypeRecord) {
  return {
    name: type.name,
    description: type.description,
    schema: type.schema ?? null,
    archived: type.archived,
    createdAt: type.createdAt,
    updatedAt: type.updatedAt,
  };
}
