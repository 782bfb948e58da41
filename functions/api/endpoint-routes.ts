import * as v from "valibot";
import { endpointScope } from "../core/access/endpoint-scope.ts";
import { actingTenant, confinedTenant } from "../core/access/principal.ts";
import { demotionsNow, exitSuccessesShown } from "../core/delivery/lane-exit.ts";
import {
  CreateEventBridgeEndpoint,
  CreateKinesisEndpoint,
  CreateS3Endpoint,
  CreateSnsEndpoint,
  CreateSqsEndpoint,
  sizeWarnings,
} from "../core/destinations/registration.ts";
import type { EndpointDestination } from "../core/destinations/targets.ts";
import { isAwsKind } from "../core/destinations/targets.ts";
import {
  createEndpoint,
  deleteEndpoint,
  endpointView,
  getEndpoint,
  listEndpoints,
  listEndpointsAmong,
  updateEndpoint,
} from "../core/endpoints/endpoints.ts";
import { unknownTypeWarnings } from "../core/event-types/event-types.ts";
import { parseCreateEndpoint } from "../core/feed/endpoint-kind.ts";
import type { Endpoint, EndpointView } from "../core/kernel/model.ts";
import { orderingOf } from "../core/ordering/ordering-rules.ts";
import { circuitView } from "../core/policy/circuit-breaker.ts";
import { CreateEndpoint, CreatePollingEndpoint, parse, parseLimit, UpdateEndpoint } from "../core/requests/validation.ts";
import type { ApiDeps } from "./api-deps.ts";
import { EXAMPLES, paging, TENANT_QUERY } from "./openapi/operation.ts";
import { jsonBody, pathParam, queriedTenant, query } from "./request.ts";
import { empty, json, page } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * An endpoint's own routes: register, list, read, change, remove.
 */

export const createEndpointRoute: Route = {
  method: "POST",
  path: "/v1/endpoints",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "createEndpoint",
      tag: "Endpoints",
      summary: "Register an endpoint",
      description:
        '`eventTypes` absent means every type; `tenantId` defaults to `default`; `enabled` to `true`. The answer carries the signing secret. `kind: "polling"` makes an endpoint without a URL whose deliveries are read from its feed; it refuses `url`, `headers`, `retrySchedule`, `rateLimitPerSecond`, `signatureHeaders` and `ordering: "fifo"` (`validation_failed`, each field named). `ordering: "fifo"` delivers in emission order (docs/ordering.md). `kind` `sqs`, `sns`, `eventbridge`, `kinesis` or `s3` delivers into the customer\'s AWS resource (docs/destinations.md): its target is parsed and checked (422 naming the field), a `roleArn` is assumed once with the tenant\'s ExternalId (422 naming `roleArn` when it cannot be), and a resource of the dispatcher\'s own account is `destination_not_allowed`.',
      namesTenant: true,
      body: {
        schema: v.union([
          CreateEndpoint,
          CreatePollingEndpoint,
          CreateSqsEndpoint,
          CreateSnsEndpoint,
          CreateEventBridgeEndpoint,
          CreateKinesisEndpoint,
          CreateS3Endpoint,
        ]),
        example: EXAMPLES.createEndpoint,
      },
      success: { status: 201, description: "The endpoint, with its secret", schema: R.CreatedEndpoint },
      errors: ["destination_not_allowed", "quota_exceeded"],
    };
  },
  handler: async (e, caller, deps) => {
    const input = parseCreateEndpoint(jsonBody(e, deps.maxBodyBytes));
    const endpoint = await createEndpoint(deps, { ...input, tenantId: actingTenant(caller, input.tenantId) });
    const sizes = isAwsKind(input.kind) ? sizeWarnings(input.kind, deps.destinations.maxBodyBytes) : [];
    const warnings = [
      ...(await unknownTypeWarnings(deps, input.eventTypes)),
      ...sizes.map((message) => ({ code: "message_may_exceed_limit", message })),
    ];
    return json(201, { ...endpointJson(deps, endpoint, true), warnings });
  },
};

export const listEndpointsRoute: Route = {
  method: "GET",
  path: "/v1/endpoints",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "listEndpoints",
      tag: "Endpoints",
      summary: "List a tenant's endpoints",
      namesTenant: true,
      parameters: [TENANT_QUERY, ...paging],
      success: { status: 200, description: "A page of endpoints", schema: R.pageOf(R.Endpoint) },
    };
  },
  handler: async (e, caller, deps) => {
    const [tenantId, limit, cursor] = [queriedTenant(e, caller), parseLimit(query(e, "limit")), query(e, "cursor")];
    const scope = endpointScope(caller);
    // A portal session limited to some endpoints lists those, read by id.
    const found = scope
      ? await listEndpointsAmong(deps, tenantId, scope, limit, cursor)
      : await listEndpoints(deps, tenantId, limit, cursor);
    return json(200, page({ ...found, items: found.items.map((view) => endpointJson(deps, view, false)) }));
  },
};

export const getEndpointRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getEndpoint",
      tag: "Endpoints",
      summary: "One endpoint (no secret)",
      success: { status: 200, description: "The endpoint", schema: R.Endpoint },
    };
  },
  handler: async (e, caller, deps) =>
    json(200, endpointJson(deps, await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller)), false)),
};

export const updateEndpointRoute: Route = {
  method: "PATCH",
  path: "/v1/endpoints/{id}",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "updateEndpoint",
      tag: "Endpoints",
      summary: "Change an endpoint",
      description:
        "`null` for `eventTypes` means every type; for `retrySchedule` and `rateLimitPerSecond`, the default. `ordering` is fixed at creation: only the current value is accepted.",
      body: { schema: UpdateEndpoint, example: { enabled: false } },
      success: { status: 200, description: "The endpoint as changed", schema: R.Endpoint },
      errors: ["destination_not_allowed", "concurrent_update"],
    };
  },
  handler: async (e, caller, deps) => {
    const input = parse(UpdateEndpoint, jsonBody(e, deps.maxBodyBytes));
    const updated = endpointJson(deps, await updateEndpoint(deps, pathParam(e, "id"), input, confinedTenant(caller)), false);
    return json(200, { ...updated, warnings: await unknownTypeWarnings(deps, input.eventTypes) });
  },
};

export const deleteEndpointRoute: Route = {
  method: "DELETE",
  path: "/v1/endpoints/{id}",
  portal: true,
  doc: () => {
    DOC: return {
      operationId: "deleteEndpoint",
      tag: "Endpoints",
      summary: "Remove an endpoint",
      success: { status: 204, description: "Removed" },
    };
  },
  handler: async (e, caller, deps) => {
    await deleteEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
    return empty(204);
  },
};

/** An endpoint as the API shows it; `null` where a field is unset, the secret only when asked. */
function endpointJson(deps: Pick<ApiDeps, "clock" | "laneExit">, endpoint: Endpoint | EndpointView, withSecret: boolean) {
  const view = "secret" in endpoint ? endpointView(endpoint) : endpoint;
  const now = deps.clock.now();
  return {
    id: view.id,
    kind: view.kind ?? "webhook",
    // A polling endpoint has no URL: its deliveries are read from its feed.
    ...(view.kind !== "polling" && { url: view.url }),
    ...(view.destination && { destination: destinationJson(view.destination) }),
    eventTypes: view.eventTypes ?? null,
    tenantId: view.tenantId,
    description: view.description ?? null,
    enabled: view.enabled,
    headers: view.headers,
    ...(withSecret && "secret" in endpoint && { secret: endpoint.secret }),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    retrySchedule: view.retrySchedule ?? null,
    rateLimitPerSecond: view.rateLimitPerSecond ?? null,
    ordering: orderingOf(view),
    signatureHeaders: view.signatureHeaders ?? null,
    disabledReason: view.disabledReason ?? null,
    disabledAt: view.disabledAt ?? null,
    failingSince: view.failingSince ?? null,
    circuit: circuitView(view.circuit, now),
    lane: view.lane ?? "fast",
    laneSince: view.laneSince ?? null,
    laneFastSuccesses: view.laneFastSuccesses ?? 0,
    laneFastSuccessesNeeded: exitSuccessesShown(deps.laneExit, view, now),
    laneDemotions: demotionsNow(deps.laneExit, view, now),
  };
}

/** An AWS destination as the API shows it: the caller's target field, where it is, and the role (no internal parse state). */
function destinationJson({ target, roleArn }: EndpointDestination) {
  const { kind: _kind, partition: _partition, name: _name, ...shown } = target;
  const { fifo: _fifo, ...rest } = shown as typeof shown & { fifo?: boolean };
  return { ...rest, ...(roleArn !== undefined && { roleArn }) };
}
