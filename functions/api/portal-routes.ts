import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { PORTAL_DEFAULT_SECONDS } from "../core/access/portal-sessions.ts";
import { actingTenant } from "../core/access/principal.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { CreatePortalSession, parse } from "../core/requests/validation.ts";
import { deletedError } from "../core/tenants/tenant-record.ts";
import { PORTAL_PATH } from "./console-page.ts";
import { header, jsonBody } from "./request.ts";
import { json } from "./response.ts";
import type { Route } from "./route.ts";

/** POST /v1/portal-sessions: a signed, short-lived link to the portal for one tenant (admin key, or a tenant key for its own). */
export const createPortalSessionRoute: Route = {
  method: "POST",
  path: "/v1/portal-sessions",
  doc: (R) => {
    DOC: return {
      operationId: "createPortalSession",
      tag: "Portal",
      summary: "Open a customer portal session for one tenant",
      description:
        "A signed token, good for `expiresIn` seconds (default 3600, at most 86400), that acts in `tenantId` on its endpoints, their deliveries and the tenant's events; never on API keys, portal sessions or another tenant. With `endpointIds` it finds no other endpoint, creates none, and sees only the events with a delivery (in any status) to one of them, only those deliveries and their attempts; its list pages may come back short, and their cursors are sealed. Rotating the admin key revokes every session.",
      namesTenant: true,
      body: { schema: CreatePortalSession, example: { tenantId: "acme", expiresIn: 3600 } },
      success: { status: 201, description: "The session", schema: R.PortalSession },
      errors: ["not_found"],
    };
  },
  handler: async (e, caller, deps, authenticator) => {
    const input = parse(CreatePortalSession, jsonBody(e, deps.maxBodyBytes));
    const tenantId = actingTenant(caller, input.tenantId);
    // A deleted tenant gets no session (one made anyway would meet the tombstone at its first use).
    if ((await deps.tenants.status(tenantId)).deletion) throw deletedError(tenantId);
    // Every endpoint named must be the tenant's, so a session never names what it could not see.
    for (const id of input.endpointIds ?? []) await getEndpoint(deps, id, tenantId);
    const now = deps.clock.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + (input.expiresIn ?? PORTAL_DEFAULT_SECONDS);
    const endpointIds = input.endpointIds && [...new Set(input.endpointIds)];
    // A session opened with a tenant key names that key, so revoking the key ends the session too.
    const keyId = caller.kind === "tenant" ? caller.keyId : undefined;
    const token = (await authenticator()).signPortal({
      tenantId,
      ...(endpointIds && { endpointIds }),
      ...(keyId && { keyId }),
      expiresAt,
    });
    // The token goes in the fragment: browsers never send it, so no access log or Referer carries it.
    return json(201, { url: `${origin(e)}${PORTAL_PATH}#portal=${token}`, token, expiresAt: new Date(expiresAt * 1000).toISOString() });
  },
};

/** The origin the caller reached us at: API Gateway's domain over HTTPS, plain HTTP only on a loopback host. */
export function origin(e: APIGatewayProxyEventV2): string {
  const host = e.requestContext?.domainName ?? header(e, "host") ?? "localhost";
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
  return `${header(e, "x-forwarded-proto") ?? (loopback ? "http" : "https")}://${host}`;
}
