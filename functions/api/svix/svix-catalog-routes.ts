import { confinedTenant } from "../../core/access/principal.ts";
import { CreateEventType, createEventType, deleteEventType, getEventType, updateEventType } from "../../core/event-types/event-types.ts";
import { getRecovery } from "../../core/events/recovery.ts";
import { ApiError } from "../../core/kernel/errors.ts";
import { parse, parseLimit } from "../../core/requests/validation.ts";
import { recoveryOfTask } from "../../core/svix/svix-ids.ts";
import { EventTypeIn, EventTypePatch, EventTypeUpdate, newestSchema } from "../../core/svix/svix-inputs.ts";
import { eventTypeOut, listOut, taskOut } from "../../core/svix/svix-shapes.ts";
import { pathParam, query } from "../request.ts";
import { empty, json } from "../response.ts";
import { idempotent, svixBody, withContent } from "./svix-request.ts";
import type { SvixRoute } from "./svix-route.ts";

/*
 * Event types are hookrelay's catalog (one schema per type, shown as version "1"; the highest
 * version sent is the one kept), the health check, and background tasks (recoveries).
 */

const ADMIN = "change the event type catalog";

export const createEventTypeRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/event-type",
  operationId: "v1.event-type.create",
  summary: "Catalog an event type; of its schemas by version, the highest is kept",
  admin: ADMIN,
  body: "EventTypeIn",
  success: { status: 201, schema: "EventTypeOut" },
  handler: idempotent(async (e, _caller, deps) => {
    const input = svixBody(e, deps, EventTypeIn);
    const schema = newestSchema(input.schemas);
    const checked = parse(CreateEventType, {
      name: input.name,
      description: input.description,
      ...(schema && { schema }),
      ...(input.archived != null && { archived: input.archived }),
    });
    return json(201, eventTypeOut(await createEventType(deps, checked)));
  }),
};

export const listEventTypesRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/event-type",
  operationId: "v1.event-type.list",
  summary: "The catalog by name; archived types only with include_archived=true",
  success: { status: 200, schema: "ListResponseEventTypeOut" },
  handler: async (e, _caller, deps) => {
    const page = await deps.eventTypes.list(parseLimit(query(e, "limit")), query(e, "iterator"));
    const archived = query(e, "include_archived") === "true";
    const content = withContent(e);
    const items = page.items.filter((t) => archived || !t.archived);
    return json(
      200,
      listOut({ ...page, items }, (t) => ({ ...eventTypeOut(t), ...(!content && { schemas: null }) })),
    );
  },
};

export const getEventTypeRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/event-type/{event_type_name}",
  operationId: "v1.event-type.get",
  summary: "One event type",
  success: { status: 200, schema: "EventTypeOut" },
  handler: async (e, _caller, deps) => json(200, eventTypeOut(await getEventType(deps, pathParam(e, "event_type_name")))),
};

export const patchEventTypeRoute: SvixRoute = {
  method: "PATCH",
  path: "/api/v1/event-type/{event_type_name}",
  operationId: "v1.event-type.patch",
  summary: "Change an event type's description, schemas or archived flag",
  admin: ADMIN,
  body: "EventTypePatch",
  success: { status: 200, schema: "EventTypeOut" },
  handler: async (e, _caller, deps) => {
    const input = svixBody(e, deps, EventTypePatch);
    const schema = input.schemas === undefined ? undefined : (newestSchema(input.schemas) ?? null);
    const change = { description: input.description, archived: input.archived, ...(schema !== undefined && { schema }) };
    return json(200, eventTypeOut(await updateEventType(deps, pathParam(e, "event_type_name"), change)));
  },
};

export const putEventTypeRoute: SvixRoute = {
  method: "PUT",
  path: "/api/v1/event-type/{event_type_name}",
  operationId: "v1.event-type.update",
  summary: "Replace an event type, creating it (201) when there is none",
  admin: ADMIN,
  body: "EventTypeUpdate",
  success: { status: 200, schema: "EventTypeOut", also: 201 },
  handler: async (e, _caller, deps) => {
    const name = pathParam(e, "event_type_name");
    const input = svixBody(e, deps, EventTypeUpdate);
    const schema = newestSchema(input.schemas);
    if (!(await deps.eventTypes.get(name))) {
      const checked = parse(CreateEventType, {
        name,
        description: input.description,
        ...(schema && { schema }),
        archived: input.archived ?? false,
      });
      return json(201, eventTypeOut(await createEventType(deps, checked)));
    }
    const change = { description: input.description, archived: input.archived ?? false, schema: schema ?? null };
    return json(200, eventTypeOut(await updateEventType(deps, name, change)));
  },
};

export const deleteEventTypeRoute: SvixRoute = {
  method: "DELETE",
  path: "/api/v1/event-type/{event_type_name}",
  operationId: "v1.event-type.delete",
  summary: "Archive an event type; expunge=true removes it",
  admin: ADMIN,
  success: { status: 204 },
  handler: async (e, _caller, deps) => {
    const name = pathParam(e, "event_type_name");
    if (query(e, "expunge") === "true") await deleteEventType(deps, name);
    else await updateEventType(deps, name, { archived: true });
    return empty(204);
  },
};

export const getBackgroundTaskRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/background-task/{task_id}",
  operationId: "v1.background-task.get",
  summary: "Where a background task (a recovery) stands",
  success: { status: 200, schema: "BackgroundTaskOut" },
  handler: async (e, caller, deps) => {
    const named = pathParam(e, "task_id");
    const task = recoveryOfTask(named);
    if (!task) throw new ApiError("not_found", `No background task ${named}`);
    const recovery = await getRecovery(deps, task.endpointId, task.recoveryId, confinedTenant(caller)).catch((error: unknown) => {
      throw error instanceof ApiError && error.code === "not_found" ? new ApiError("not_found", `No background task ${named}`) : error;
    });
    return json(200, taskOut(recovery));
  },
};

export const healthRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/health",
  operationId: "v1.health.get",
  summary: "204 while the API answers",
  public: true,
  success: { status: 204 },
  handler: async () => empty(204),
};
