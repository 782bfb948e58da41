import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Authenticator } from "../core/access/api-keys.ts";
import type { Principal } from "../core/access/principal.ts";
import { ApiError, invalidField } from "../core/kernel/errors.ts";
import { pathParam, query } from "./request.ts";
import { type Route, routeKey, type ServedRoute } from "./route.ts";

/*
 * The portal's narrowing, apart from the route that opens a session (portal-routes.ts): the handler
 * applies it to every request a session makes, before the route's area is loaded, so it must not
 * bring that area (its core modules and schemas) into the cold start.
 */

type Portal = Extract<Principal, { kind: "portal" }>;

/**
 * Runs a route for a portal session, narrowed: a route outside the portal's set is forbidden. A
 * session limited to some endpoints finds no other endpoint on any `/v1/endpoints/{id}` route and
 * creates none; the handlers narrow what it reads of events (see core/endpoint-scope.ts); and every
 * list cursor it gets is sealed, since a filtered read can stop on another endpoint's event.
 */
export async function asPortal(
  route: ServedRoute & Pick<Route, "portal">,
  event: APIGatewayProxyEventV2,
  caller: Portal,
  authenticator: Pick<Authenticator, "sealCursor" | "openCursor">,
): Promise<APIGatewayProxyStructuredResultV2> {
  const key = routeKey(route);
  if (!route.portal) throw new ApiError("forbidden", "A portal session may not use this route");
  const only = caller.endpointIds;
  if (!only) return route.handler(event, caller);
  if (key === "POST /v1/endpoints")
    throw new ApiError("forbidden", "This portal session is limited to some endpoints and may not create one");
  if (route.path.startsWith("/v1/endpoints/{id}") && !only.includes(pathParam(event, "id"))) {
    throw new ApiError("not_found", "No such endpoint");
  }
  const context = [key, caller.tenantId, ...only].join("\n");
  const response = await route.handler(
    withOpenedCursor(event, (sealed) => authenticator.openCursor(context, sealed)),
    caller,
  );
  return withSealedCursor(response, (cursor) => authenticator.sealCursor(context, cursor));
}

/** The request with its `cursor` opened; a cursor that was not sealed for this context is refused as any foreign cursor is. */
function withOpenedCursor(event: APIGatewayProxyEventV2, open: (sealed: string) => string | undefined): APIGatewayProxyEventV2 {
  const sealed = query(event, "cursor");
  if (sealed === undefined) return event;
  const cursor = open(sealed);
  if (cursor === undefined) throw invalidField("cursor", "is not one this API gave out");
  return { ...event, queryStringParameters: { ...event.queryStringParameters, cursor } };
}

/** The answer with its `nextCursor` sealed. */
function withSealedCursor(
  response: APIGatewayProxyStructuredResultV2,
  seal: (cursor: string) => string,
): APIGatewayProxyStructuredResultV2 {
  if (response.statusCode !== 200 || typeof response.body !== "string" || !response.body.includes('"nextCursor"')) return response;
  const body = JSON.parse(response.body) as { nextCursor?: unknown };
  if (typeof body.nextCursor !== "string") return response;
  return { ...response, body: JSON.stringify({ ...body, nextCursor: seal(body.nextCursor) }) };
}
