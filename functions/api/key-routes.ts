import { createApiKey, deleteApiKey, listApiKeys } from "../core/access/api-keys.ts";
import { CreateApiKey, parse, parseLimit } from "../core/requests/validation.ts";
import { paging } from "./openapi/operation.ts";
import { jsonBody, pathParam, query } from "./request.ts";
import { empty, json, page } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * Tenant API keys, which only the admin key manages.
 */

export const createApiKeyRoute: Route = {
  method: "POST",
  path: "/v1/api-keys",
  admin: "manage API keys",
  doc: (R) => {
    DOC: return {
      operationId: "createApiKey",
      tag: "API keys",
      summary: "Create a tenant key (admin only)",
      body: { schema: CreateApiKey, example: { tenantId: "acme", name: "acme billing service" } },
      success: { status: 201, description: "The key, shown once", schema: R.CreatedApiKey },
    };
  },
  handler: async (e, _caller, deps) => {
    const input = parse(CreateApiKey, jsonBody(e, deps.maxBodyBytes));
    const { view, key } = await createApiKey(deps, input.tenantId, input.name);
    return json(201, { ...view, key });
  },
};

export const listApiKeysRoute: Route = {
  method: "GET",
  path: "/v1/api-keys",
  admin: "manage API keys",
  doc: (R) => {
    DOC: return {
      operationId: "listApiKeys",
      tag: "API keys",
      summary: "List tenant keys (admin only)",
      parameters: paging,
      success: { status: 200, description: "A page of keys (never the key itself)", schema: R.pageOf(R.ApiKey) },
    };
  },
  handler: async (e, _caller, deps) => json(200, page(await listApiKeys(deps, parseLimit(query(e, "limit")), query(e, "cursor")))),
};

export const deleteApiKeyRoute: Route = {
  method: "DELETE",
  path: "/v1/api-keys/{id}",
  admin: "manage API keys",
  doc: () => {
    DOC: return {
      operationId: "deleteApiKey",
      tag: "API keys",
      summary: "Revoke a tenant key (admin only)",
      success: { status: 204, description: "Revoked" },
    };
  },
  handler: async (e, _caller, deps) => {
    await deleteApiKey(deps, pathParam(e, "id"));
    return empty(204);
  },
};
