import { externalIdFor, SESSION_TAG_KEY } from "../core/destinations/access.ts";
import type { ApiDeps } from "./api-deps.ts";
import { TENANT_QUERY } from "./openapi/operation.ts";
import { queriedTenant } from "./request.ts";
import { json } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * AWS destinations' own route: what a customer writes into its role's trust policy or its resource's
 * policy before it registers a destination (docs/destinations.md).
 */

export const destinationAccessRoute: Route = {
  method: "GET",
  path: "/v1/destination-access",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getDestinationAccess",
      tag: "Endpoints",
      summary: "The tenant's ExternalId and session tag for AWS destinations",
      description:
        "Readable at any time, before any role exists: the `sts:ExternalId` a customer's role must require, and the session tag (with the role that carries it) a resource policy must require when the endpoint names no `roleArn`.",
      namesTenant: true,
      parameters: [TENANT_QUERY],
      success: { status: 200, description: "What the customer's policies name", schema: R.DestinationAccessInfo },
    };
  },
  handler: async (e, caller, deps: ApiDeps) => {
    const tenantId = queriedTenant(e, caller);
    const registration = deps.destinations;
    return json(200, {
      tenantId,
      externalId: externalIdFor(registration.deployment, tenantId),
      sessionTagKey: SESSION_TAG_KEY,
      sessionRoleArn: registration.sessionRoleArn ?? null,
      dispatcherAccountId: registration.own.account ?? null,
    });
  },
};
