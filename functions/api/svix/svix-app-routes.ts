import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Authenticator } from "../../core/access/api-keys.ts";
import { PORTAL_MAX_SECONDS } from "../../core/access/portal-sessions.ts";
import type { Principal } from "../../core/access/principal.ts";
import { ApiError, invalidFields } from "../../core/kernel/errors.ts";
import type { TenantRecord } from "../../core/kernel/model.ts";
import { requestTenantDeletion } from "../../core/lifecycle/tenant-deletion.ts";
import { parseLimit } from "../../core/requests/validation.ts";
import { newAppId } from "../../core/svix/svix-ids.ts";
import { ApplicationIn, type ApplicationInput, ApplicationPatch, AppPortalAccessIn } from "../../core/svix/svix-inputs.ts";
import { appOut, listOut } from "../../core/svix/svix-shapes.ts";
import { liveTenant } from "../../core/tenants/tenant-record.ts";
import { createTenant, listTenants, updateTenant } from "../../core/tenants/tenants.ts";
import type { ApiDeps } from "../api-deps.ts";
import { PORTAL_PATH } from "../console-page.ts";
import { origin } from "../portal-routes.ts";
import { query } from "../request.ts";
import { empty, json } from "../response.ts";
import { appOf, idempotent, refuseFilters, svixBody } from "./svix-request.ts";
import type { SvixRoute } from "./svix-route.ts";

/*
 * Applications are tenants (core/tenants): an app's uid is the tenant id; an app created without a
 * uid is named, as a tenant, by its own app_ id. The admin key manages every app; a tenant key
 * reaches only its own.
 */

/** The tenant an ApplicationIn names. A uid of Svix's app id shape becomes the app's id (a migrated app keeps its id). */
function tenantIdFor(input: ApplicationInput, caller: Principal): string {
  if (input.throttleRate != null)
    throw invalidFields([{ path: "throttleRate", message: "is not supported here: set rate limits on endpoints" }]);
  const tenantId = input.uid ?? (caller.kind === "admin" ? newAppId() : caller.tenantId);
  if (caller.kind !== "admin" && tenantId !== caller.tenantId) {
    throw new ApiError("forbidden", `A tenant key reaches only its own application: uid must be ${caller.tenantId}`);
  }
  return tenantId;
}

/** The app an ApplicationIn names: the one there, or a new one; `created` says which. */
export async function ensureApp(
  deps: ApiDeps,
  caller: Principal,
  input: ApplicationInput,
): Promise<{ record: TenantRecord; created: boolean }> {
  const id = tenantIdFor(input, caller);
  // A deleted app is not "the one there": its id stays taken until its tombstone expires (410).
  const found = await liveTenant(deps, id);
  if (found) return { record: found, created: false };
  try {
    return { record: await createTenant(deps, { id, name: input.name, metadata: input.metadata ?? {} }), created: true };
  } catch (error) {
    // Another request made it meanwhile: theirs stands.
    const made = error instanceof ApiError && error.code === "already_exists" ? await deps.tenants.get(id) : undefined;
    if (made) return { record: made, created: false };
    throw error;
  }
}

export const createAppRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/app",
  operationId: "v1.application.create",
  summary: "Create an application (a tenant); ?get_if_exists=true answers the existing one with 200",
  body: "ApplicationIn",
  success: { status: 201, schema: "ApplicationOut", also: 200 },
  handler: idempotent(async (e, caller, deps) => {
    const input = svixBody(e, deps, ApplicationIn);
    const { record, created } = await ensureApp(deps, caller, input);
    if (!created && query(e, "get_if_exists") !== "true") throw new ApiError("already_exists", `Application ${record.id} exists already`);
    return json(created ? 201 : 200, appOut(record));
  }),
};

export const listAppsRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app",
  operationId: "v1.application.list",
  summary: "List applications, oldest first (a tenant key lists its own)",
  success: { status: 200, schema: "ListResponseApplicationOut" },
  handler: async (e, caller, deps) => {
    const limit = parseLimit(query(e, "limit"));
    refuseFilters(e, ["exclude_apps_with_no_endpoints", "exclude_apps_with_disabled_endpoints", "exclude_apps_with_svix_play_endpoints"]);
    if (caller.kind !== "admin") {
      const own = await deps.tenants.get(caller.tenantId);
      return json(200, listOut({ items: own ? [own] : [] }, appOut));
    }
    return json(200, listOut(await listTenants(deps, limit, query(e, "iterator")), appOut));
  },
};

export const getAppRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/app/{app_id}",
  operationId: "v1.application.get",
  summary: "One application, by id or uid",
  success: { status: 200, schema: "ApplicationOut" },
  handler: async (e, caller, deps) => json(200, appOut(await appOf(deps, caller, e))),
};

export const patchAppRoute: SvixRoute = {
  method: "PATCH",
  path: "/api/v1/app/{app_id}",
  operationId: "v1.application.patch",
  summary: "Change an application's name or metadata",
  body: "ApplicationPatch",
  success: { status: 200, schema: "ApplicationOut" },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e);
    const input = svixBody(e, deps, ApplicationPatch);
    if (input.uid != null && input.uid !== app.id)
      throw invalidFields([{ path: "uid", message: "cannot change: an app's uid is its tenant id" }]);
    if (input.throttleRate != null)
      throw invalidFields([{ path: "throttleRate", message: "is not supported here: set rate limits on endpoints" }]);
    return json(200, appOut(await updateTenant(deps, app.id, { name: input.name, metadata: input.metadata })));
  },
};

export const putAppRoute: SvixRoute = {
  method: "PUT",
  path: "/api/v1/app/{app_id}",
  operationId: "v1.application.update",
  summary: "Replace an application's name and metadata, creating it (201) when the path's uid names none",
  body: "ApplicationIn",
  success: { status: 200, schema: "ApplicationOut", also: 201 },
  handler: async (e, caller, deps) => {
    const input = svixBody(e, deps, ApplicationIn);
    const app = await appOf(deps, caller, e).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === "not_found") return undefined;
      throw error;
    });
    if (!app) {
      const { record } = await ensureApp(deps, caller, { ...input, uid: e.pathParameters?.app_id ?? input.uid });
      return json(201, appOut(record));
    }
    return json(200, appOut(await updateTenant(deps, app.id, { name: input.name, metadata: input.metadata ?? {} })));
  },
};

export const deleteAppRoute: SvixRoute = {
  method: "DELETE",
  path: "/api/v1/app/{app_id}",
  operationId: "v1.application.delete",
  summary:
    "Delete an application: starts the tenant's deletion (DELETE /v1/tenants/{id}, admin key only); its progress is at GET /v1/tenants/{id}/deletion",
  admin: "delete applications",
  success: { status: 204 },
  handler: async (e, caller, deps) => {
    const app = await appOf(deps, caller, e).catch((error: unknown) => {
      // A repeat (a retried request whose answer was lost): the deletion is under way already.
      if (error instanceof ApiError && error.code === "tenant_deleted") return undefined;
      throw error;
    });
    if (app === undefined) return empty(204);
    await requestTenantDeletion(deps, app.id);
    // This container sees the tombstone at once; the others within TENANT_STATUS_CACHE_SECONDS.
    deps.tenantStatus.forget(app.id);
    return empty(204);
  },
};

/**
 * A portal link for the app: the same signed session as POST /v1/portal-sessions, for at most
 * PORTAL_MAX_SECONDS. Not kept under an idempotency key: its answer is a credential, and a repeat
 * harmlessly signs another (the inline app is made once either way).
 */
async function portalAccess(e: APIGatewayProxyEventV2, caller: Principal, deps: ApiDeps, authenticator: () => Promise<Authenticator>) {
  const input = svixBody(e, deps, AppPortalAccessIn);
  const app = input.application
    ? (await ensureApp(deps, caller, { ...input.application, uid: input.application.uid ?? e.pathParameters?.app_id })).record
    : await appOf(deps, caller, e);
  const seconds = Math.min(input.expiry ?? PORTAL_MAX_SECONDS, PORTAL_MAX_SECONDS);
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + seconds;
  const keyId = caller.kind === "tenant" ? caller.keyId : undefined;
  const token = (await authenticator()).signPortal({ tenantId: app.id, ...(keyId && { keyId }), expiresAt });
  return json(200, { url: `${origin(e)}${PORTAL_PATH}#portal=${token}`, token });
}

export const appPortalAccessRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/auth/app-portal-access/{app_id}",
  operationId: "v1.authentication.app-portal-access",
  summary: "A link to hookrelay's portal for the app (expiry capped at 24 hours)",
  body: "AppPortalAccessIn",
  success: { status: 200, schema: "AppPortalAccessOut" },
  handler: portalAccess,
};

export const dashboardAccessRoute: SvixRoute = {
  method: "POST",
  path: "/api/v1/auth/dashboard-access/{app_id}",
  operationId: "v1.authentication.dashboard-access",
  summary: "The 1.x SDK's name for app-portal-access",
  success: { status: 200, schema: "AppPortalAccessOut" },
  handler: portalAccess,
};
