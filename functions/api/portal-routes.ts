import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Authenticator } from "../core/api-keys.ts";
import { getEndpoint } from "../core/endpoints.ts";
import { ApiError } from "../core/errors.ts";
import { PORTAL_DEFAULT_SECONDS } from "../core/portal-sessions.ts";
import { actingTenant, type Principal } from "../core/principal.ts";
import { CreatePortalSession, parse } from "../core/validation.ts";
import { PORTAL_PATH } from "./console-page.ts";
import { header, jsonBody, pathParam } from "./request.ts";
import { json } from "./response.ts";
import type { ApiDeps, Route } from "./routes.ts";

type Portal = Extract<Principal, { kind: "portal" }>;

/** POST /v1/portal-sessions: a signed, short-lived link to the portal for one tenant (admin key, or a tenant key for its own). */
export function portalRoutes(deps: ApiDeps, authenticator: () => Promise<Authenticator>): Route[] {
  return [
    {
      method: "POST",
      path: "/v1/portal-sessions",
      handler: async (e, caller) => {
        const input = parse(CreatePortalSession, jsonBody(e, deps.maxBodyBytes));
        const tenantId = actingTenant(caller, input.tenantId);
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
    },
  ];
}

/** Every route a portal session may call: its tenant's endpoints and their deliveries, and its tenant's events. */
const PORTAL_ROUTES = new Set([
  "GET /v1/endpoints",
  "POST /v1/endpoints",
  "GET /v1/endpoints/{id}",
  "PATCH /v1/endpoints/{id}",
  "DELETE /v1/endpoints/{id}",
  "GET /v1/endpoints/{id}/secret",
  "POST /v1/endpoints/{id}/secret/rotate",
  "POST /v1/endpoints/{id}/recover",
  "GET /v1/endpoints/{id}/recoveries/{recoveryId}",
  "GET /v1/endpoints/{id}/attempts",
  "GET /v1/endpoints/{id}/stats",
  "GET /v1/events",
  "GET /v1/events/{id}",
  "GET /v1/events/{id}/attempts",
  "POST /v1/events/{id}/replay",
]);

/**
 * Runs a route for a portal session, narrowed: a route outside the portal's set is forbidden, and a
 * session limited to some endpoints finds no other endpoint, creates none, replays only to its own,
 * and lists only its own.
 */
export async function asPortal(
  route: Route,
  event: APIGatewayProxyEventV2,
  caller: Portal,
  maxBodyBytes: number,
): Promise<APIGatewayProxyStructuredResultV2> {
  const key = `${route.method} ${route.path}`;
  if (!PORTAL_ROUTES.has(key)) throw new ApiError("forbidden", "A portal session may not use this route");
  const only = caller.endpointIds;
  if (!only) return route.handler(event, caller);
  if (key === "POST /v1/endpoints")
    throw new ApiError("forbidden", "This portal session is limited to some endpoints and may not create one");
  if (route.path.startsWith("/v1/endpoints/{id}") && !only.includes(pathParam(event, "id"))) {
    throw new ApiError("not_found", "No such endpoint");
  }
  if (key === "POST /v1/events/{id}/replay") {
    const target = (event.body ? (jsonBody(event, maxBodyBytes) as { endpointId?: unknown }) : {}).endpointId;
    if (typeof target !== "string" || !only.includes(target)) {
      throw new ApiError("forbidden", "This portal session replays only to one of its endpoints: name it as endpointId");
    }
  }
  const response = await route.handler(event, caller);
  if (key !== "GET /v1/endpoints" || response.statusCode !== 200) return response;
  const listed = JSON.parse(String(response.body)) as { items: { id: string }[]; nextCursor: string | null };
  return { ...response, body: JSON.stringify({ ...listed, items: listed.items.filter((item) => only.includes(item.id)) }) };
}

/** The origin the caller reached us at: API Gateway's domain over HTTPS, plain HTTP only on a loopback host. */
function origin(e: APIGatewayProxyEventV2): string {
  const host = e.requestContext?.domainName ?? header(e, "host") ?? "localhost";
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
  return `${header(e, "x-forwarded-proto") ?? (loopback ? "http" : "https")}://${host}`;
}
