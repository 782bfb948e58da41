import * as v from "valibot";
import { MAX_CHECKS_PER_VALUE, MAX_PATTERN_LENGTH, MAX_SCHEMA_REFS } from "../adapters/schemas/schema-limits.ts";
import { confinedTenant } from "../core/access/principal.ts";
import {
  allEventTypes,
  CreateEventType,
  createEventType,
  deleteEventType,
  type EventTypeRecord,
  getEventType,
  MAX_SCHEMA_BYTES,
  MAX_SCHEMA_DEPTH,
  refusedSchemas,
  UpdateEventType,
  updateEventType,
} from "../core/event-types/event-types.ts";
import { EXAMPLE_BUDGET } from "../core/event-types/example-budget.ts";
import { MAX_ENCODED_BODY_BYTES } from "../core/event-types/payload-limits.ts";
import { keyedRecord } from "../core/requests/keyed-record.ts";
import { EVENT_TYPE, MAX_PAYLOAD_DEPTH, parse, parseLimit } from "../core/requests/validation.ts";
import { EXAMPLES, paging } from "./openapi/operation.ts";
import { withCatalog } from "./openapi/webhooks.ts";
import { jsonBody, pathParam, query } from "./request.ts";
import { empty, json } from "./response.ts";
import type { Route } from "./route.ts";
import { apiDocument } from "./service-routes.ts";

/*
 * The event-type catalog's routes: the admin key writes it, every key reads it (it is global).
 */

const SendExample = v.strictObject({ eventType: EVENT_TYPE });

/** Why a schema is refused: read by the documentation only. */
const refused = () =>
  `A schema is refused (422 \`invalid_schema\`, \`details\` naming each place) when it is not draft 2020-12, is over ${MAX_SCHEMA_BYTES / 1024} KiB or ${MAX_SCHEMA_DEPTH} levels deep, refers (\`$ref\`) outside itself or more than ${MAX_SCHEMA_REFS} times, loops without reaching into the value or fans out to check one value over ${MAX_CHECKS_PER_VALUE} times, uses \`$dynamicRef\` or \`uniqueItems\`, or holds a \`pattern\` over ${MAX_PATTERN_LENGTH} characters or that the linear-time engine cannot run (lookaround, backreferences, inline modifiers, repeats over 1,000); examples must match it.`;

export const createEventTypeRoute: Route = {
  method: "POST",
  path: "/v1/event-types",
  admin: "change the event-type catalog",
  doc: (R) => {
    DOC: return {
      operationId: "createEventType",
      tag: "Event types",
      summary: "Catalogue an event type (admin only)",
      description: `The catalog is global: every tenant's events of the type are held to it. With a \`schema\`, every payload of the type is validated at emit. ${refused()}`,
      body: { schema: CreateEventType, example: EXAMPLES.createEventType },
      success: { status: 201, description: "The type", schema: R.EventType },
      errors: ["already_exists", "invalid_schema"],
    };
  },
  handler: async (e, _caller, deps) => {
    return json(201, eventTypeJson(await createEventType(deps, parse(CreateEventType, jsonBody(e, deps.maxBodyBytes)))));
  },
};

export const listEventTypesRoute: Route = {
  method: "GET",
  path: "/v1/event-types",
  doc: (R) => {
    DOC: return {
      operationId: "listEventTypes",
      tag: "Event types",
      summary: "The catalog, by name",
      parameters: paging,
      success: { status: 200, description: "A page of types", schema: R.pageOf(R.EventType) },
    };
  },
  handler: async (e, _caller, deps) => {
    const found = await deps.eventTypes.list(parseLimit(query(e, "limit")), query(e, "cursor"));
    return json(200, { items: found.items.map(eventTypeJson), nextCursor: found.nextCursor ?? null });
  },
};

export const getEventTypesDocumentRoute: Route = {
  method: "GET",
  path: "/v1/event-types/openapi.json",
  doc: () => {
    DOC: return {
      operationId: "getEventTypesDocument",
      tag: "Event types",
      summary: "This document with the catalog as its webhooks",
      description:
        "The static document (`GET /v1/openapi.json`) with a `webhooks` entry per catalogued type, its schema under `components.schemas` as `Event_<name>` (`:` becomes `_`): what receivers generate payload types from. Needs a key, since the catalog is not public.",
      success: {
        status: 200,
        description: "The OpenAPI 3.1 document with `webhooks`",
        schema: v.looseObject({ openapi: v.string(), webhooks: keyedRecord(v.string(), v.unknown()) }),
      },
    };
  },
  handler: async (_e, _caller, deps) => {
    const types = await allEventTypes(deps.eventTypes);
    const document = withCatalog(JSON.parse((await apiDocument()).body as string), types);
    return json(200, document, { "cache-control": "private, max-age=60" });
  },
};

export const checkEventTypeSchemasRoute: Route = {
  method: "GET",
  path: "/v1/schema-check",
  admin: "check the event-type catalog",
  doc: (R) => {
    DOC: return {
      operationId: "checkEventTypeSchemas",
      tag: "Event types",
      summary: "Stored schemas that registration now refuses (admin only)",
      description:
        "The migration check after an upgrade: every catalogued type whose stored schema today's registration would refuse, with the places and reasons, such as a `pattern` with lookahead, which the linear-time engine cannot run. Intake still validates such a type, leaving out only the patterns the engine refuses (they are not checked), and logs a warning when a container compiles it; a `PATCH` with a rewritten schema clears it. An empty list: nothing to do.",
      success: { status: 200, description: "The types to fix, by name", schema: v.strictObject({ items: v.array(R.RefusedSchema) }) },
    };
  },
  handler: async (_e, _caller, deps) => {
    return json(200, { items: await refusedSchemas(deps) });
  },
};

export const sendExampleRoute: Route = {
  method: "POST",
  path: "/v1/endpoints/{id}/send-example",
  doc: (R) => {
    DOC: return {
      operationId: "sendExample",
      tag: "Event types",
      summary: "Send an example event of a type to one endpoint",
      description: `Records an event of \`eventType\` for the endpoint's tenant and queues its delivery to this endpoint only, signed and retried like any other. The payload is the type's first example, or one built from its schema (422 \`validation_failed\` when that does not match the schema: store an example). The builder stops at ${EXAMPLE_BUDGET.nodes} values or ${EXAMPLE_BUDGET.bytes} bytes, and the payload is held to an emitted payload's limits (${MAX_PAYLOAD_DEPTH} levels, ${MAX_ENCODED_BODY_BYTES} bytes once encoded for the queue): past either, 422 \`example_too_large\`, whose \`details\` name the schema keyword (\`schema.properties.rows.minItems\`) or the stored example (\`examples.0\`). 404 for an endpoint of another tenant or an uncatalogued type.`,
      body: { schema: SendExample, example: { eventType: "invoice.paid" } },
      success: { status: 202, description: "The example's event, queued", schema: R.SentExample },
      errors: ["not_found", "event_type_archived", "example_too_large"],
    };
  },
  handler: async (e, caller, deps) => {
    const input = parse(SendExample, jsonBody(e, deps.maxBodyBytes));
    // The example builder loads on first use: most API containers never send an example.
    const { sendExample } = await import("../core/intake/send-example.ts");
    return json(202, await sendExample(deps, pathParam(e, "id"), input.eventType, confinedTenant(caller)));
  },
};

export const getEventTypeRoute: Route = {
  method: "GET",
  path: "/v1/event-types/{name}",
  doc: (R) => {
    DOC: return {
      operationId: "getEventType",
      tag: "Event types",
      summary: "One event type",
      success: { status: 200, description: "The type", schema: R.EventType },
    };
  },
  handler: async (e, _caller, deps) => json(200, eventTypeJson(await getEventType(deps, pathParam(e, "name")))),
};

export const updateEventTypeRoute: Route = {
  method: "PATCH",
  path: "/v1/event-types/{name}",
  admin: "change the event-type catalog",
  doc: (R) => {
    DOC: return {
      operationId: "updateEventType",
      tag: "Event types",
      summary: "Change an event type (admin only)",
      description: `\`schema: null\` removes the schema, \`examples: null\` the examples; \`archived: true\` refuses the type at emit until it is set back to \`false\`. ${refused()}`,
      body: { schema: UpdateEventType, example: { archived: true } },
      success: { status: 200, description: "The type as changed", schema: R.EventType },
      errors: ["invalid_schema"],
    };
  },
  handler: async (e, _caller, deps) => {
    const input = parse(UpdateEventType, jsonBody(e, deps.maxBodyBytes));
    return json(200, eventTypeJson(await updateEventType(deps, pathParam(e, "name"), input)));
  },
};

export const deleteEventTypeRoute: Route = {
  method: "DELETE",
  path: "/v1/event-types/{name}",
  admin: "change the event-type catalog",
  doc: () => {
    DOC: return {
      operationId: "deleteEventType",
      tag: "Event types",
      summary: "Remove an event type (admin only)",
      description: "Events of the name are then accepted unchecked, as every type the catalog does not hold is.",
      success: { status: 204, description: "Removed" },
    };
  },
  handler: async (e, _caller, deps) => {
    await deleteEventType(deps, pathParam(e, "name"));
    return empty(204);
  },
};

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
