import { createEndpoint, deleteEndpoint, listEndpoints, updateEndpoint } from "../../core/endpoints/endpoints.ts";
import { rotateSecret } from "../../core/endpoints/secret-rotation.ts";
import { startRecovery } from "../../core/events/recovery.ts";
import { ApiError, invalidFields } from "../../core/kernel/errors.ts";
import { CreateEndpoint, parse, parseLimit, RecoverEndpoint, UpdateEndpoint } from "../../core/requests/validation.ts";
import {
  EndpointHeadersIn,
  EndpointHeadersPatchIn,
  EndpointIn,
  type EndpointInput,
  EndpointPatch,
  type EndpointPatchInput,
  RecoverIn,
  SecretRotateIn,
} from "../../core/svix/svix-inputs.ts";
import { endpointOut, listOut, taskOut } from "../../core/svix/svix-shapes.ts";
import type { ApiDeps } from "../api-deps.ts";
import { pathParam, query } from "../request.ts";
import { empty, json } from "../response.ts";
import { appOf, endpointByUid, endpointOf, hasUrl, idempotent, svixBody } from "./svix-request.ts";
import type { SvixRoute } from "./svix-route.ts";

/*
 * Endpoints through the Svix face: the core's endpoint rules (URL and SSRF checks, reserved
 * headers, the per-tenant quota, secrets) apply as on /v1, because the Svix fields are mapped onto
 * /v1's input and checked by /v1's schemas before the core sees them.
 */

/** The /v1 fields a Svix endpoint body maps to; `[]` event types mean every type, as no filter does. */
function v1Fields(input: EndpointInput | EndpointPatchInput) {
  if (input.channels?.length) throw invalidFields([{ path: "channels", message: "are not supported here: filter with eventTypes" }]);
  const types = input.eventTypes !== undefined ? input.eventTypes : input.filterTypes;
  const rate = input.throttleRate ?? input.rateLimit;
  return {
    ...(input.url !== undefined && { url: input.url }),
    ...(types !== undefined && { eventTypes: types?.length ? types : null }),
    ...(typeof input.description === "string" && { description: input.description }),
    ...(input.disabled != null && { enabled: !input.disabled }),
    ...(rate != null && { rateLimitPerSecond: rate }),
  };
}

/** Refuses a uid another endpoint of the tenant holds. */
async function checkUid(deps: ApiDeps, tenantId: string, uid: string | null | undefined, self?: string): Promise<void> {
  const holder = uid ? await endpointByUid(deps, tenantId, uid) : undefined;
  if (holder && holder.id !== self) throw new ApiError("already_exists", `Another endpoint of this application has uid ${uid}`);
}

export const createEndpointRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app/{app_id}/endpoint",
  operationId: "v1.endpoint.create",
  summary: "Create an endpoint",
  body: "EndpointIn",
  success: { status: 201, schema: "EndpointOut" },
  handler: idempotent(async (e, caller, deps) => create(deps, (await appOf(deps, caller, e)).id, svixBody(e, deps, EndpointIn))),
};

/** Creates the endpoint an EndpointIn describes in the tenant, through /v1's checks. */
async function create(deps: ApiDeps, tenantId: string, input: EndpointInput) {
  const { eventTypes, ...fields } = v1Fields(input);
  const checked = parse(CreateEndpoint, {
    ...fields,
    ...(eventTypes && { eventTypes }),
    ...(input.headers && { headers: input.headers }),
    ...(input.secret && { secret: input.secret }),
  });
  await checkUid(deps, tenantId, input.uid);
  const endpoint = await createEndpoint(deps, { ...checked, tenantId, uid: input.uid, metadata: input.metadata ?? {} });
  return json(201, endpointOut(endpoint));
}

export const listEndpointsRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/endpoint",
  operationId: "v1.endpoint.list",
  summary: "List an application's endpoints with a URL (polling and other kinds are left out)",
  success: { status: 200, schema: "ListResponseEndpointOut" },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const page = await listEndpoints(deps, app.id, parseLimit(query(e, "limit")), query(e, "iterator"));
    return json(200, listOut({ ...page, items: page.items.filter(hasUrl) }, endpointOut));
  },
};

export const getEndpointRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
  operationId: "v1.endpoint.get",
  summary: "One endpoint, by id or uid",
  success: { status: 200, schema: "EndpointOut" },
  handler: async (e, caller, deps) => json(200, endpointOut(await endpointOf(deps, (await appOf(deps, caller, e)).id, e))),
};

/** PATCH and PUT: PUT sends every field, and a field it leaves out returns to its default; PUT naming a uid no endpoint holds creates it (201). */
async function changed(e: Parameters<SvixRoute["handler"]>[0], caller: Parameters<SvixRoute["handler"]>[1], deps: ApiDeps, whole: boolean) {
  const app = await appOf(deps, caller, e);
  const endpoint = await endpointOf(deps, app.id, e).catch((error: unknown) => {
    if (whole && error instanceof ApiError && error.code === "not_found") return undefined;
    throw error;
  });
  if (!endpoint) return create(deps, app.id, { ...svixBody(e, deps, EndpointIn), uid: pathParam(e, "endpoint_id") });
  const input = svixBody(e, deps, whole ? EndpointIn : EndpointPatch);
  const defaults = whole ? { description: "", eventTypes: null, enabled: true, rateLimitPerSecond: null } : {};
  const checked = parse(UpdateEndpoint, { ...defaults, ...v1Fields(input) });
  await checkUid(deps, app.id, input.uid, endpoint.id);
  const names = { ...(input.uid !== undefined && { uid: input.uid }), ...(input.metadata != null && { metadata: input.metadata }) };
  return json(200, endpointOut(await updateEndpoint(deps, endpoint.id, { ...checked, ...names }, app.id)));
}

export const patchEndpointRoute: SvixRoute = {
  method: "PATCH",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
  operationId: "v1.endpoint.patch",
  summary: "Change the fields given",
  body: "EndpointPatch",
  success: { status: 200, schema: "EndpointOut" },
  handler: (e, caller, deps) => changed(e, caller, deps, false),
};

export const putEndpointRoute: SvixRoute = {
  method: "PUT",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
  operationId: "v1.endpoint.update",
  summary: "Replace an endpoint's settings; a uid no endpoint holds creates one (201)",
  body: "EndpointIn",
  success: { status: 200, schema: "EndpointOut", also: 201 },
  handler: (e, caller, deps) => changed(e, caller, deps, true),
};

export const deleteEndpointRoute: SvixRoute = {
  method: "DELETE",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
  operationId: "v1.endpoint.delete",
  summary: "Delete an endpoint",
  success: { status: 204 },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    await deleteEndpoint(deps, (await endpointOf(deps, app.id, e)).id, app.id);
    return empty(204);
  },
};

export const getHeadersRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
  operationId: "v1.endpoint.get-headers",
  summary: "The endpoint's extra headers",
  success: { status: 200, schema: "EndpointHeadersOut" },
  handler: async (e, caller, deps) => {
    const endpoint = await endpointOf(deps, (await appOf(deps, caller, e)).id, e);
    return json(200, { headers: endpoint.headers, sensitive: [] });
  },
};

export const putHeadersRoute: SvixRoute = {
  method: "PUT",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
  operationId: "v1.endpoint.update-headers",
  summary: "Replace the endpoint's extra headers",
  body: "EndpointHeadersIn",
  success: { status: 204 },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const endpoint = await endpointOf(deps, app.id, e);
    const { headers } = parse(UpdateEndpoint, { headers: svixBody(e, deps, EndpointHeadersIn).headers });
    await updateEndpoint(deps, endpoint.id, { headers }, app.id);
    return empty(204);
  },
};

export const patchHeadersRoute: SvixRoute = {
  method: "PATCH",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
  operationId: "v1.endpoint.patch-headers",
  summary: "Set the headers given; a null value or deleteHeaders removes one",
  body: "EndpointHeadersPatchIn",
  success: { status: 204 },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const endpoint = await endpointOf(deps, app.id, e);
    const input = svixBody(e, deps, EndpointHeadersPatchIn);
    const merged: Record<string, string> = { ...endpoint.headers };
    for (const [name, value] of Object.entries(input.headers)) {
      if (value === null) delete merged[name];
      else merged[name] = value;
    }
    for (const name of input.deleteHeaders ?? []) delete merged[name];
    const { headers } = parse(UpdateEndpoint, { headers: merged });
    // A concurrent change between the read and this write is caught by the core's revision check.
    await updateEndpoint(deps, endpoint.id, { headers }, app.id);
    return empty(204);
  },
};

export const getSecretRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret",
  operationId: "v1.endpoint.get-secret",
  summary: "The endpoint's signing secret",
  success: { status: 200, schema: "EndpointSecretOut" },
  handler: async (e, caller, deps) => json(200, { key: (await endpointOf(deps, (await appOf(deps, caller, e)).id, e)).secret }),
};

export const rotateSecretRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate",
  operationId: "v1.endpoint.rotate-secret",
  summary: "Replace the secret; the old one keeps signing for the grace period (default 24 h)",
  body: "EndpointSecretRotateIn",
  success: { status: 204 },
  handler: idempotent(async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const endpoint = await endpointOf(deps, app.id, e);
    const input = svixBody(e, deps, SecretRotateIn);
    const grace = input.gracePeriodSeconds ?? undefined;
    await rotateSecret(
      deps,
      endpoint.id,
      { ...(input.key && { secret: input.key }), ...(grace !== undefined && { gracePeriodSeconds: grace }) },
      app.id,
    );
    return empty(204);
  }),
};

export const recoverRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/recover",
  operationId: "v1.endpoint.recover",
  summary: "Resend the endpoint's failed messages since a time, as a background task",
  body: "RecoverIn",
  success: { status: 202, schema: "RecoverOut" },
  handler: idempotent(async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const endpoint = await endpointOf(deps, app.id, e);
    const input = svixBody(e, deps, RecoverIn);
    const window = parse(RecoverEndpoint, { since: input.since, ...(input.until != null && { until: input.until }) });
    const { data: _data, ...task } = taskOut(await startRecovery(deps, endpoint.id, window, app.id));
    return json(202, task);
  }),
};
