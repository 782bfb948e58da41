import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as v from "valibot";
import { confinedTenant, requireAdmin } from "../core/access/principal.ts";
import {
  allEventTypes,
  CreateEventType,
  createEventType,
  deleteEventType,
  type EventTypeDeps,
  type EventTypeRecord,
  getEventType,
  refusedSchemas,
  UpdateEventType,
  updateEventType,
} from "../core/event-types/event-types.ts";
import { type SendExampleDeps, sendExample } from "../core/intake/send-example.ts";
import { EVENT_TYPE, parse, parseLimit } from "../core/requests/validation.ts";
import { withCatalog } from "./openapi/webhooks.ts";
import { jsonBody, pathParam, query } from "./request.ts";
import { empty, json } from "./response.ts";
import type { Route } from "./route.ts";

const SendExample = v.strictObject({ eventType: EVENT_TYPE });

/** The event-type catalog's routes: the admin key writes it, every key reads it (it is global). */
export function eventTypeRoutes(
  deps: EventTypeDeps & SendExampleDeps & { maxBodyBytes: number; apiDocument: () => Promise<string> },
): Route[] {
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
      path: "/v1/event-types/openapi.json",
      handler: async () => {
        const types = await allEventTypes(deps.eventTypes);
        const document = withCatalog(JSON.parse(await deps.apiDocument()), types);
        return json(200, document, { "cache-control": "private, max-age=60" });
      },
    },
    {
      method: "GET",
      path: "/v1/schema-check",
      handler: async (_e, caller) => {
        requireAdmin(caller, "check the event-type catalog");
        return json(200, { items: await refusedSchemas(deps) });
      },
    },
    {
      method: "POST",
      path: "/v1/endpoints/{id}/send-example",
      handler: async (e, caller) => {
        const input = parse(SendExample, body(e));
        return json(202, await sendExample(deps, pathParam(e, "id"), input.eventType, confinedTenant(caller)));
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
    examples: type.examples ?? [],
    archived: type.archived,
    createdAt: type.createdAt,
    updatedAt: type.updatedAt,
  };
}
