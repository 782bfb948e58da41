import { type ConversionConfig, type JsonSchema, toJsonSchema, toJsonSchemaDefs } from "@valibot/to-json-schema";
import type * as v from "valibot";
import * as D from "../../core/destinations/registration.ts";
import { CreateEventType, UpdateEventType } from "../../core/event-types/event-types.ts";
import { MAX_RETRY_AFTER_SECONDS } from "../../core/feed/poll-leases.ts";
import { ApiError, type ApiErrorCode } from "../../core/kernel/errors.ts";
import * as V from "../../core/requests/validation.ts";
import { RESOURCE_ID } from "../request.ts";
import { RETRY_AFTER_SECONDS } from "../response.ts";
import type { Parameter } from "../route.ts";
import { ROUTES } from "../routes.ts";
import { WEBHOOK } from "./delivery-webhook.ts";
import type { Operation } from "./operation.ts";
import * as R from "./response-schemas.ts";

/*
 * The OpenAPI 3.1 document, generated from the valibot schemas that validate requests and describe
 * answers, and from the route declarations (functions/api/routes.ts). Loaded only by GET /v1/openapi.json (dynamically, so the
 * converter costs the API function's cold start nothing), by the tests and by `npm run openapi`.
 */

type Json = Record<string, unknown>;
type ErrorCode = ApiErrorCode | "dependency_unavailable" | "internal_error";

/** Named schemas: a schema object listed here is written once under components and referenced elsewhere. */
const COMPONENTS: Record<string, v.GenericSchema> = {
  CreateEndpoint: V.CreateEndpoint,
  CreateSqsEndpoint: D.CreateSqsEndpoint,
  CreateSnsEndpoint: D.CreateSnsEndpoint,
  CreateEventBridgeEndpoint: D.CreateEventBridgeEndpoint,
  CreateKinesisEndpoint: D.CreateKinesisEndpoint,
  CreateS3Endpoint: D.CreateS3Endpoint,
  CreatePollingEndpoint: V.CreatePollingEndpoint,
  UpdateEndpoint: V.UpdateEndpoint,
  RotateSecret: V.RotateSecret,
  RecoverEndpoint: V.RecoverEndpoint,
  ReplayEvent: V.ReplayEvent,
  EmitEvent: V.EmitEvent,
  EmitBatch: V.EmitBatch,
  CreateApiKey: V.CreateApiKey,
  CreateEventType,
  UpdateEventType,
  EventType: V.EVENT_TYPE,
  TenantId: V.TenantId,
  AttemptStatus: V.AttemptStatusFilter,
  Endpoint: R.Endpoint,
  CreatedEndpoint: R.CreatedEndpoint,
  Circuit: R.Circuit,
  Secret: R.Secret,
  Recovery: R.Recovery,
  EndpointStats: R.EndpointStats,
  OrderedLine: R.OrderedLine,
  ReplayResult: R.ReplayResult,
  Attempt: R.Attempt,
  AcceptedEvent: R.AcceptedEvent,
  Delivery: R.Delivery,
  EventView: R.EventView,
  ScheduledMessage: R.ScheduledMessage,
  BatchResult: R.BatchResult,
  ApiKey: R.ApiKey,
  Tenant: R.Tenant,
  CreatedApiKey: R.CreatedApiKey,
  EventTypeDefinition: R.EventType,
  Error: R.ErrorBody,
  Health: R.Health,
  FeedPage: R.FeedPage,
  FeedItem: R.FeedItem,
  DestinationAccessInfo: R.DestinationAccessInfo,
};

const CONVERSION: ConversionConfig = {
  target: "draft-2020-12",
  // A `check` is code JSON Schema cannot say: its message becomes the field's description.
  // A `transform` only puts an accepted value in canonical form (a URL as parsed, a timestamp in
  // UTC): the input it accepts is what the actions before it describe.
  overrideAction: ({ valibotAction, jsonSchema }) => {
    if (valibotAction.type === "transform") return jsonSchema;
    if (valibotAction.type !== "check") return undefined;
    const message = (valibotAction as { message?: unknown }).message;
    if (typeof message !== "string") return jsonSchema;
    const description = jsonSchema.description ? `${jsonSchema.description}; ${message}` : message;
    return { ...jsonSchema, description };
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "No valid API key",
  403: "The key may not do this",
  404: "Not found",
  409: "Conflict",
  410: "Gone",
  413: "Body too large",
  415: "Not JSON",
  422: "Invalid input",
  429: "Too many at once: retry after Retry-After seconds",
  500: "Our fault",
  503: "A dependency did not answer: retry after Retry-After seconds",
};

/** The OpenAPI 3.1 document of every route. */
export function openApiDocument(): Json {
  const schemas = refsToComponents(toJsonSchemaDefs(COMPONENTS, CONVERSION)) as Record<string, Json>;
  // Intake validates each batch item with EmitEvent, one by one; the envelope only counts them.
  const events = (schemas.EmitBatch?.properties as Record<string, Json>).events as Json;
  events.items = { $ref: "#/components/schemas/EmitEvent" };
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations()) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, Json>)[op.method.toLowerCase()] = operation(op);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "hookrelay",
      version: "1",
      description:
        "Serverless webhook dispatcher: register endpoints, emit events, and read where each delivery stands. Every error has the shape `{error: {code, message, details?}}`.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "/", description: "The API's own origin" }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Endpoints", description: "Where webhooks go" },
      { name: "Events", description: "What is sent, and how each delivery went" },
      { name: "Event types", description: "The global catalog of event types and their payload schemas; the admin key writes it" },
      { name: "API keys", description: "Tenant keys, managed with the admin key" },
      { name: "Tenants", description: "Tenant records: a name and metadata for each tenant, managed with the admin key" },
      { name: "Portal", description: "Short-lived sessions of the customer portal" },
      { name: "Service", description: "Health and this document" },
    ],
    paths,
    webhooks: { delivery: WEBHOOK },
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "The admin key, or a tenant key (`hrk_…`) that acts only in its own tenant. The portal page sends `Authorization: Portal <token>` instead, on the endpoint and event routes only.",
        },
      },
    },
  };
}

/** Every declared route as the document reads it: its `doc`, given the answer schemas, with its method, path and access. */
export function operations(): Operation[] {
  return ROUTES.map((route) => ({
    ...route.doc(R),
    method: route.method,
    path: route.path,
    ...(route.public && { public: true }),
    ...(route.admin !== undefined && { adminOnly: true }),
  }));
}

function operation(op: Operation): Json {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string", pattern: RESOURCE_ID.source },
  }));
  const out: Json = {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    ...(op.public && { security: [] }),
  };
  const parameters = [...pathParams, ...(op.parameters ?? []).map(parameter)];
  if (parameters.length > 0) out.parameters = parameters;
  if (op.body) {
    out.requestBody = {
      required: !op.body.optional,
      content: {
        "application/json": { schema: schemaOf(op.body.schema), ...(op.body.example !== undefined && { example: op.body.example }) },
      },
    };
  }
  out.responses = { ...success(op), ...errorResponses(op) };
  return out;
}

function parameter(p: Parameter): Json {
  const schema = isValibot(p.schema) ? schemaOf(p.schema) : p.schema;
  return { name: p.name, in: p.in, required: false, description: p.description, schema };
}

function success(op: Operation): Json {
  const { status, description, schema, example, headers } = op.success;
  const response: Json = { description };
  if (schema) response.content = { "application/json": { schema: schemaOf(schema), ...(example !== undefined && { example }) } };
  if (headers) {
    response.headers = Object.fromEntries(
      Object.entries(headers).map(([name, text]) => [name, { description: text, schema: { type: "string" } }]),
    );
  }
  return { [status]: response };
}

/** The error codes an operation can answer, from what it takes: a key, a body, a path id, a page, a tenant. */
export function errorCodesOf(op: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>(["internal_error"]);
  const add = (...more: ErrorCode[]) => {
    for (const c of more) codes.add(c);
  };
  if (!op.public) add("unauthorized", "dependency_unavailable");
  if (op.body) add("invalid_json", "payload_too_large", "unsupported_media_type", "validation_failed");
  if (op.path.includes("{")) add("not_found");
  const params = op.parameters ?? [];
  if (params.some((p) => p.name === "limit" || p.name === "cursor")) add("invalid_request");
  if (params.some((p) => p.in === "query" && isValibot(p.schema))) add("validation_failed");
  if (op.adminOnly || op.namesTenant) add("forbidden");
  add(...(op.errors ?? []));
  return [...codes];
}

function statusOf(code: ErrorCode): number {
  if (code === "dependency_unavailable") return 503;
  if (code === "internal_error") return 500;
  return new ApiError(code, "").status;
}

function errorResponses(op: Operation): Json {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  const out: Json = {};
  for (const status of [...byStatus.keys()].sort()) {
    const codes = (byStatus.get(status) as ErrorCode[]).sort();
    const headers =
      status === 401
        ? { "www-authenticate": { description: 'Bearer realm="hookrelay"', schema: { type: "string" } } }
        : status === 503
          ? { "retry-after": { description: `Seconds to wait (${RETRY_AFTER_SECONDS})`, schema: { type: "string" } } }
          : status === 429
            ? {
                "retry-after": {
                  description: `Seconds until a held long poll is due to end (1 to ${MAX_RETRY_AFTER_SECONDS})`,
                  schema: { type: "string" },
                },
              }
            : undefined;
    out[status] = {
      description: `${ERROR_TEXT[status] ?? "Error"}: ${codes.map((c) => `\`${c}\``).join(", ")}`,
      ...(headers && { headers }),
      content: {
        "application/json": {
          schema: {
            allOf: [
              { $ref: "#/components/schemas/Error" },
              { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } },
            ],
          },
        },
      },
    };
  }
  return out;
}

/** A schema inline, with references to the named components. */
function schemaOf(schema: v.GenericSchema): Json {
  const name = Object.entries(COMPONENTS).find(([, s]) => s === schema)?.[0];
  if (name) return { $ref: `#/components/schemas/${name}` };
  const { $schema: _dialect, $defs: _defs, ...rest } = toJsonSchema(schema, { ...CONVERSION, definitions: COMPONENTS });
  return refsToComponents(rest) as Json;
}

function isValibot(schema: unknown): schema is v.GenericSchema {
  return typeof schema === "object" && schema !== null && (schema as { kind?: unknown }).kind === "schema";
}

function refsToComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(refsToComponents);
  if (value === null || typeof value !== "object") return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value as JsonSchema)) {
    out[key] = key === "$ref" && typeof child === "string" ? child.replace("#/$defs/", "#/components/schemas/") : refsToComponents(child);
  }
  return out;
}
