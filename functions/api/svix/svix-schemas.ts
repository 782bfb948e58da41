/*
 * The shapes the Svix face serves, as JSON Schema, written from Svix's OpenAPI document
 * (svix/svix-webhooks lib-openapi.json at v2.0.0-9-g4fc0cfb8b): every field Svix marks required,
 * its type, RFC 3339 times, integer enums. The face's document (GET /api/v1/openapi.json) is built
 * from them, and the contract tests hold every answer to them, as Svix's strict SDKs (Python, Go)
 * would. Ids are held to their prefix only: hookrelay's endpoint ids (ep_ + 28 hex) and an app's id
 * derived from a uid are not Svix's 27-character KSUIDs, and the SDKs do not check their length.
 */

type Schema = Record<string, unknown>;

const time: Schema = { type: "string", format: "date-time" };
const str: Schema = { type: "string" };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: "null" }] });
const id = (prefix: string): Schema => ({ type: "string", pattern: `^${prefix}_[A-Za-z0-9]+$` });
const strings: Schema = { type: "array", items: str };
const stringMap: Schema = { type: "object", additionalProperties: str };
const object = (properties: Record<string, Schema>, required: string[]): Schema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

const MessageOut = object(
  {
    id: id("msg"),
    eventId: nullable(str),
    eventType: str,
    payload: { type: "object" },
    channels: nullable(strings),
    tags: nullable(strings),
    deliverAt: nullable(time),
    timestamp: time,
  },
  ["id", "eventType", "payload", "timestamp"],
);

/** The answers, by the names Svix's document gives them. */
export const OUT_SCHEMAS: Record<string, Schema> = {
  ApplicationOut: object(
    {
      id: id("app"),
      uid: nullable({ type: "string", pattern: "^[a-zA-Z0-9\\-_.]+$", minLength: 1, maxLength: 256 }),
      name: str,
      metadata: stringMap,
      throttleRate: nullable({ type: "integer", minimum: 0 }),
      createdAt: time,
      updatedAt: time,
    },
    ["id", "name", "metadata", "createdAt", "updatedAt"],
  ),
  EndpointOut: object(
    {
      id: id("ep"),
      uid: nullable(str),
      url: { type: "string", format: "uri" },
      description: str,
      metadata: stringMap,
      disabled: { type: "boolean" },
      eventTypes: nullable(strings),
      filterTypes: nullable(strings),
      channels: nullable(strings),
      throttleRate: nullable({ type: "integer", minimum: 0 }),
      version: { type: "integer" },
      createdAt: time,
      updatedAt: time,
    },
    ["id", "url", "description", "metadata", "createdAt", "updatedAt"],
  ),
  EndpointSecretOut: object({ key: { type: "string", pattern: "^whsec_[a-zA-Z0-9+/=]{32,100}$" } }, ["key"]),
  EndpointHeadersOut: object({ headers: stringMap, sensitive: strings }, ["headers", "sensitive"]),
  MessageOut,
  MessageAttemptOut: object(
    {
      id: id("atmpt"),
      url: { type: "string", format: "uri" },
      response: str,
      responseStatusCode: { type: "integer" },
      responseDurationMs: { type: "integer" },
      status: { type: "integer", enum: [0, 1, 2, 3, 4] },
      statusText: { type: "string", enum: ["success", "pending", "fail", "sending", "canceled"] },
      triggerType: { type: "integer", enum: [0, 1] },
      msgId: id("msg"),
      endpointId: id("ep"),
      timestamp: time,
    },
    [
      "id",
      "url",
      "response",
      "responseStatusCode",
      "responseDurationMs",
      "status",
      "statusText",
      "triggerType",
      "msgId",
      "endpointId",
      "timestamp",
    ],
  ),
  EventTypeOut: object(
    {
      name: str,
      description: str,
      archived: { type: "boolean" },
      deprecated: { type: "boolean" },
      schemas: nullable({ type: "object", additionalProperties: { type: "object" } }),
      featureFlag: nullable(str),
      featureFlags: nullable(strings),
      groupName: nullable(str),
      createdAt: time,
      updatedAt: time,
    },
    ["name", "description", "deprecated", "createdAt", "updatedAt"],
  ),
  RecoverOut: object(
    {
      id: id("qtask"),
      status: { type: "string", enum: ["running", "finished", "failed"] },
      task: { type: "string", enum: ["endpoint.recover"] },
      updatedAt: time,
    },
    ["id", "status", "task", "updatedAt"],
  ),
  BackgroundTaskOut: object(
    {
      id: id("qtask"),
      status: { type: "string", enum: ["running", "finished", "failed"] },
      task: { type: "string", enum: ["endpoint.recover"] },
      updatedAt: time,
      data: { type: "object" },
    },
    ["id", "status", "task", "updatedAt", "data"],
  ),
  AppPortalAccessOut: object({ url: { type: "string", format: "uri" }, token: str }, ["url", "token"]),
  EmptyResponse: object({}, []),
  ExpungeAllContentsOut: object({ id: id("qtask"), status: str, task: str, updatedAt: time }, ["id", "status", "task", "updatedAt"]),
  HttpErrorOut: object({ code: str, detail: str }, ["code", "detail"]),
  HTTPValidationError: object(
    {
      detail: {
        type: "array",
        items: object({ loc: { type: "array", items: { type: ["string", "integer"] } }, msg: str, type: str }, ["loc", "msg", "type"]),
      },
    },
    ["detail"],
  ),
};

for (const name of ["ApplicationOut", "EndpointOut", "MessageOut", "MessageAttemptOut", "EventTypeOut"]) {
  OUT_SCHEMAS[`ListResponse${name}`] = object(
    {
      data: { type: "array", items: { $ref: `#/components/schemas/${name}` } },
      iterator: nullable(str),
      prevIterator: nullable(str),
      done: { type: "boolean" },
    },
    ["data", "done", "iterator"],
  );
}

/** The request bodies, as the document names them (loose: unknown fields are ignored). */
export const IN_SCHEMAS: Record<string, Schema> = {
  ApplicationIn: { type: "object", properties: { name: str, uid: nullable(str), metadata: stringMap }, required: ["name"] },
  ApplicationPatch: { type: "object", properties: { name: str, metadata: stringMap } },
  EndpointIn: {
    type: "object",
    properties: {
      url: str,
      description: str,
      uid: nullable(str),
      disabled: { type: "boolean" },
      eventTypes: nullable(strings),
      filterTypes: nullable(strings),
      secret: nullable(str),
      metadata: stringMap,
      headers: nullable(stringMap),
      throttleRate: nullable({ type: "integer" }),
    },
    required: ["url"],
  },
  EndpointPatch: {
    type: "object",
    properties: {
      url: str,
      description: str,
      uid: nullable(str),
      disabled: { type: "boolean" },
      eventTypes: nullable(strings),
      metadata: stringMap,
    },
  },
  EndpointHeadersIn: { type: "object", properties: { headers: stringMap }, required: ["headers"] },
  EndpointHeadersPatchIn: { type: "object", properties: { headers: { type: "object" }, deleteHeaders: strings }, required: ["headers"] },
  EndpointSecretRotateIn: { type: "object", properties: { key: nullable(str), gracePeriodSeconds: nullable({ type: "integer" }) } },
  RecoverIn: { type: "object", properties: { since: time, until: nullable(time) }, required: ["since"] },
  MessageIn: {
    type: "object",
    properties: {
      eventType: str,
      payload: { type: "object" },
      eventId: nullable(str),
      channels: nullable(strings),
      tags: nullable(strings),
      application: nullable({ $ref: "#/components/schemas/ApplicationIn" }),
    },
    required: ["eventType", "payload"],
  },
  EventTypeIn: {
    type: "object",
    properties: { name: str, description: str, archived: { type: "boolean" }, schemas: nullable({ type: "object" }) },
    required: ["name", "description"],
  },
  EventTypePatch: {
    type: "object",
    properties: { description: str, archived: { type: "boolean" }, schemas: nullable({ type: "object" }) },
  },
  EventTypeUpdate: {
    type: "object",
    properties: { description: str, archived: { type: "boolean" }, schemas: nullable({ type: "object" }) },
    required: ["description"],
  },
  AppPortalAccessIn: {
    type: "object",
    properties: { application: nullable({ $ref: "#/components/schemas/ApplicationIn" }), expiry: nullable({ type: "integer" }) },
  },
};
