import { json } from "../response.ts";
import * as apps from "./svix-app-routes.ts";
import * as catalog from "./svix-catalog-routes.ts";
import { svixDocument } from "./svix-document.ts";
import * as endpoints from "./svix-endpoint-routes.ts";
import * as messages from "./svix-message-routes.ts";
import type { SvixRoute } from "./svix-route.ts";

/** GET /api/v1/openapi.json: the Svix face's own document (GET /v1/openapi.json describes /v1 only). */
export const openApiRoute: SvixRoute = {
  method: "GET",
  path: "/api/v1/openapi.json",
  operationId: "v1.openapi.get",
  summary: "This document",
  public: true,
  success: { status: 200 },
  handler: async () => json(200, svixDocument(SVIX_ROUTES)),
};

/** Every route of the Svix face, in the order of its document; a Svix route not here answers 404 in Svix's shape. */
export const SVIX_ROUTES: readonly SvixRoute[] = [
  catalog.healthRoute,
  openApiRoute,
  apps.createAppRoute,
  apps.listAppsRoute,
  apps.getAppRoute,
  apps.patchAppRoute,
  apps.putAppRoute,
  apps.deleteAppRoute,
  endpoints.createEndpointRoute,
  endpoints.listEndpointsRoute,
  endpoints.getEndpointRoute,
  endpoints.patchEndpointRoute,
  endpoints.putEndpointRoute,
  endpoints.deleteEndpointRoute,
  endpoints.getHeadersRoute,
  endpoints.putHeadersRoute,
  endpoints.patchHeadersRoute,
  endpoints.getSecretRoute,
  endpoints.rotateSecretRoute,
  endpoints.recoverRoute,
  messages.createMessageRoute,
  messages.listMessagesRoute,
  messages.expungeAllRoute,
  messages.getMessageRoute,
  messages.expungeContentRoute,
  messages.attemptsByMessageRoute,
  messages.attemptsByEndpointRoute,
  messages.resendRoute,
  catalog.createEventTypeRoute,
  catalog.listEventTypesRoute,
  catalog.getEventTypeRoute,
  catalog.patchEventTypeRoute,
  catalog.putEventTypeRoute,
  catalog.deleteEventTypeRoute,
  catalog.getBackgroundTaskRoute,
  apps.appPortalAccessRoute,
  apps.dashboardAccessRoute,
];
