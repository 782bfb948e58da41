import { endpointScope } from "../core/access/endpoint-scope.ts";
import { actingTenant, confinedTenant } from "../core/access/principal.ts";
import { getRecovery, startRecovery } from "../core/events/recovery.ts";
import { replayEvent } from "../core/events/replay.ts";
import { parse, RecoverEndpoint, ReplayEvent } from "../core/requests/validation.ts";
import { jsonBody, optionalJsonBody, pathParam } from "./request.ts";
import { json } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * Sending again: an endpoint's failed deliveries of a window (a recovery), or one event now (a replay).
 */

export const recoverEndpointRoute: Route = {
  method: "POST",
  path: "/v1/endpoints/{id}/recover",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "recoverEndpoint",
      tag: "Endpoints",
      summary: "Resend the failed deliveries of a window",
      description: "Resends every failed, exhausted or skipped delivery whose latest attempt is in [since, until).",
      body: { schema: RecoverEndpoint, example: { since: "2026-11-30T00:00:00Z" } },
      success: { status: 202, description: "A recovery to poll", schema: R.Recovery },
      errors: ["endpoint_disabled"],
    };
  },
  handler: async (e, caller, deps) => {
    const input = parse(RecoverEndpoint, jsonBody(e, deps.maxBodyBytes));
    return json(202, await startRecovery(deps, pathParam(e, "id"), input, confinedTenant(caller)));
  },
};

export const getRecoveryRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}/recoveries/{recoveryId}",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getRecovery",
      tag: "Endpoints",
      summary: "Where a recovery stands",
      success: { status: 200, description: "The recovery", schema: R.Recovery },
    };
  },
  handler: async (e, caller, deps) =>
    json(200, await getRecovery(deps, pathParam(e, "id"), pathParam(e, "recoveryId"), confinedTenant(caller))),
};

export const replayEventRoute: Route = {
  method: "POST",
  path: "/v1/events/{id}/replay",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "replayEvent",
      tag: "Events",
      summary: "Send an event again now",
      description:
        "A new manual attempt chain, to one endpoint (`endpointId`) or to every endpoint the event went to. The admin key names the event's tenant with `tenantId` (default `default`).",
      namesTenant: true,
      body: { schema: ReplayEvent, optional: true, example: {} },
      success: { status: 202, description: "The chains started, and the endpoints left out", schema: R.ReplayResult },
      errors: ["endpoint_disabled", "event_expunged", "event_scheduled"],
    };
  },
  handler: async (e, caller, deps) => {
    const input = parse(ReplayEvent, optionalJsonBody(e, deps.maxBodyBytes));
    const tenantId = actingTenant(caller, input.tenantId);
    return json(202, await replayEvent(deps, tenantId, pathParam(e, "id"), input.endpointId, endpointScope(caller)));
  },
};
