import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { endpointScope } from "../core/access/endpoint-scope.ts";
import { actingTenant, confinedTenant } from "../core/access/principal.ts";
import { endpointStats } from "../core/endpoints/endpoint-stats.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { listEvents } from "../core/events/event-list.ts";
import { invalidField } from "../core/kernel/errors.ts";
import { parseTimestamp } from "../core/kernel/timestamp.ts";
import { EVENT_TYPE, parse, parseLimit, TenantId } from "../core/requests/validation.ts";
import { pathParam, query } from "./request.ts";
import { json } from "./response.ts";
import type { ApiDeps, Route } from "./routes.ts";

/** The read routes the console browses with: a tenant's events, and an endpoint's last 24 hours. */
export function consoleRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: "GET",
      path: "/v1/events",
      handler: async (e, caller) => {
        const requested = query(e, "tenantId");
        const tenantId = actingTenant(caller, requested === undefined ? undefined : parse(TenantId, requested, "tenantId"));
        const type = query(e, "type");
        const filter = { type: type === undefined ? undefined : parse(EVENT_TYPE, type, "type"), before: isoTime(e, "before") };
        const page = await listEvents(deps, tenantId, filter, parseLimit(query(e, "limit")), query(e, "cursor"), endpointScope(caller));
        return json(200, { items: page.items, nextCursor: page.nextCursor ?? null });
      },
    },
    {
      method: "GET",
      path: "/v1/endpoints/{id}/stats",
      handler: async (e, caller) => {
        const endpoint = await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
        return json(200, await endpointStats(deps, endpoint.id));
      },
    },
  ];
}

/** An RFC 3339 time query parameter, read by the one strict parser every date field goes through. */
function isoTime(e: APIGatewayProxyEventV2, name: string): string | undefined {
  const raw = query(e, name);
  if (raw === undefined) return undefined;
  const time = parseTimestamp(raw);
  if (time === undefined) {
    throw invalidField(name, "must be an RFC 3339 time such as 2026-12-01T10:00:00Z");
  }
  return time;
}
