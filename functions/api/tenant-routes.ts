import { confinedTenant } from "../core/access/principal.ts";
import { deletionView, getTenantDeletion, requestTenantDeletion } from "../core/lifecycle/tenant-deletion.ts";
import { parse, parseLimit } from "../core/requests/validation.ts";
import { CreateTenant, createTenant, getTenant, listTenants, tenantView, UpdateTenant, updateTenant } from "../core/tenants/tenants.ts";
import { paging } from "./openapi/operation.ts";
import { jsonBody, pathParam, query } from "./request.ts";
import { json, page } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * Tenant records: the admin names and describes tenants; a tenant key reads its own record.
 */

export const createTenantRoute: Route = {
  method: "POST",
  path: "/v1/tenants",
  admin: "create tenants",
  doc: (R) => {
    DOC: return {
      operationId: "createTenant",
      tag: "Tenants",
      summary: "Create a tenant record (admin only)",
      description:
        "A tenant exists without a record: its first endpoint or API key writes one with no name. Create it first to give it a name and metadata.",
      body: { schema: CreateTenant, example: { id: "acme", name: "Acme Inc.", metadata: { plan: "enterprise" } } },
      success: { status: 201, description: "The tenant", schema: R.Tenant },
      errors: ["already_exists"],
    };
  },
  handler: async (e, _caller, deps) => json(201, tenantView(await createTenant(deps, parse(CreateTenant, jsonBody(e, deps.maxBodyBytes))))),
};

export const listTenantsRoute: Route = {
  method: "GET",
  path: "/v1/tenants",
  admin: "list tenants",
  doc: (R) => {
    DOC: return {
      operationId: "listTenants",
      tag: "Tenants",
      summary: "List tenants, oldest first (admin only)",
      parameters: paging,
      success: { status: 200, description: "A page of tenants", schema: R.pageOf(R.Tenant) },
    };
  },
  handler: async (e, _caller, deps) => {
    const found = await listTenants(deps, parseLimit(query(e, "limit")), query(e, "cursor"));
    return json(200, page({ items: found.items.map(tenantView), nextCursor: found.nextCursor }));
  },
};

export const getTenantRoute: Route = {
  method: "GET",
  path: "/v1/tenants/{id}",
  doc: (R) => {
    DOC: return {
      operationId: "getTenant",
      tag: "Tenants",
      summary: "One tenant's record (a tenant key reads its own)",
      success: { status: 200, description: "The tenant", schema: R.Tenant },
    };
  },
  handler: async (e, caller, deps) => json(200, tenantView(await getTenant(deps, pathParam(e, "id"), confinedTenant(caller)))),
};

export const updateTenantRoute: Route = {
  method: "PATCH",
  path: "/v1/tenants/{id}",
  admin: "change tenants",
  doc: (R) => {
    DOC: return {
      operationId: "updateTenant",
      tag: "Tenants",
      summary: "Change a tenant's name, metadata or settings (admin only)",
      description:
        "Each field given replaces the stored one; `name: null` removes the name. `settings.retentionDays` keeps the tenant's events, attempts, feed items and recoveries that many days instead of LOG_RETENTION_DAYS (`null` goes back to it); it applies to what is written after the change, within 30 seconds. See docs/lifecycle.md.",
      body: { schema: UpdateTenant, example: { name: "Acme Corporation", settings: { retentionDays: 7 } } },
      success: { status: 200, description: "The tenant as changed", schema: R.Tenant },
      errors: ["concurrent_update"],
    };
  },
  handler: async (e, _caller, deps) => {
    const updated = await updateTenant(deps, pathParam(e, "id"), parse(UpdateTenant, jsonBody(e, deps.maxBodyBytes)));
    deps.tenantStatus.forget(updated.id);
    return json(200, tenantView(updated));
  },
};

export const deleteTenantRoute: Route = {
  method: "DELETE",
  path: "/v1/tenants/{id}",
  admin: "delete tenants",
  doc: (R) => {
    DOC: return {
      operationId: "deleteTenant",
      tag: "Tenants",
      summary: "Delete a tenant and everything of it (admin only)",
      description:
        "Writes the tenant's tombstone at once: within 30 seconds its keys and portal sessions stop working, its events are refused and its queued deliveries are dropped. Its endpoints, keys, events, attempts, feeds and record are then removed in the background; follow it at GET /v1/tenants/{id}/deletion. A repeat answers the same job. See docs/lifecycle.md.",
      success: { status: 202, description: "The deletion job", schema: R.TenantDeletionJob },
    };
  },
  handler: async (e, _caller, deps) => {
    const id = pathParam(e, "id");
    const job = await requestTenantDeletion(deps, id);
    // This container sees the tombstone at once; the others within TENANT_STATUS_CACHE_SECONDS.
    deps.tenantStatus.forget(id);
    return json(202, deletionView(job));
  },
};

export const getTenantDeletionRoute: Route = {
  method: "GET",
  path: "/v1/tenants/{id}/deletion",
  admin: "follow tenant deletions",
  doc: (R) => {
    DOC: return {
      operationId: "getTenantDeletion",
      tag: "Tenants",
      summary: "Where a tenant's deletion stands (admin only)",
      success: { status: 200, description: "The deletion job", schema: R.TenantDeletionJob },
    };
  },
  handler: async (e, _caller, deps) => json(200, deletionView(await getTenantDeletion(deps, pathParam(e, "id")))),
};
