import { endpointStatsRoute, listEventsRoute, orderedLineRoute } from "./console-routes.ts";
import { destinationAccessRoute } from "./destination-routes.ts";
import { createEndpointRoute, deleteEndpointRoute, getEndpointRoute, listEndpointsRoute, updateEndpointRoute } from "./endpoint-routes.ts";
import {
  emitEventRoute,
  emitEventsRoute,
  expungeEventPayloadRoute,
  getEventRoute,
  listEndpointAttemptsRoute,
  listEventAttemptsRoute,
} from "./event-routes.ts";
import {
  checkEventTypeSchemasRoute,
  createEventTypeRoute,
  deleteEventTypeRoute,
  getEventTypeRoute,
  getEventTypesDocumentRoute,
  listEventTypesRoute,
  sendExampleRoute,
  updateEventTypeRoute,
} from "./event-type-routes.ts";
import { readFeedRoute } from "./feed-routes.ts";
import { createApiKeyRoute, deleteApiKeyRoute, listApiKeysRoute } from "./key-routes.ts";
import { createPortalSessionRoute } from "./portal-routes.ts";
import { getRecoveryRoute, recoverEndpointRoute, replayEventRoute } from "./resend-routes.ts";
import { type Route, routeKey } from "./route.ts";
import { cancelScheduledRoute, getScheduledRoute, listScheduledRoute } from "./schedule-routes.ts";
import { getSecretRoute, rotateSecretRoute } from "./secret-routes.ts";
import { healthRoute, openApiRoute } from "./service-routes.ts";
import {
  createTenantRoute,
  deleteTenantRoute,
  getTenantDeletionRoute,
  getTenantRoute,
  listTenantsRoute,
  updateTenantRoute,
} from "./tenant-routes.ts";

/**
 * Every route of the HTTP API (the console pages aside), each declared once in its *-routes.ts
 * file: the API document and the router's index (route-index.generated.ts, which loads each area on
 * its first request) are generated from it by `npm run openapi`, in this order (the order of the
 * document's paths). A route left out of it is neither served nor documented; a test finds every
 * declaration in the table, and another holds the index to it.
 */
export const ROUTES: readonly Route[] = [
  healthRoute,
  createEndpointRoute,
  listEndpointsRoute,
  getEndpointRoute,
  updateEndpointRoute,
  deleteEndpointRoute,
  getSecretRoute,
  rotateSecretRoute,
  recoverEndpointRoute,
  getRecoveryRoute,
  replayEventRoute,
  listEndpointAttemptsRoute,
  emitEventRoute,
  emitEventsRoute,
  listEventsRoute,
  endpointStatsRoute,
  orderedLineRoute,
  getEventRoute,
  expungeEventPayloadRoute,
  listEventAttemptsRoute,
  listScheduledRoute,
  getScheduledRoute,
  cancelScheduledRoute,
  createApiKeyRoute,
  listApiKeysRoute,
  deleteApiKeyRoute,
  createTenantRoute,
  listTenantsRoute,
  getTenantRoute,
  updateTenantRoute,
  deleteTenantRoute,
  getTenantDeletionRoute,
  createPortalSessionRoute,
  createEventTypeRoute,
  listEventTypesRoute,
  getEventTypesDocumentRoute,
  checkEventTypeSchemasRoute,
  sendExampleRoute,
  getEventTypeRoute,
  updateEventTypeRoute,
  deleteEventTypeRoute,
  openApiRoute,
  readFeedRoute,
  destinationAccessRoute,
];

/** The routes every caller may read without a key: health and the API document. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(ROUTES.filter((route) => route.public).map((route) => route.path));

/** Every route a portal session may call: its tenant's endpoints and their deliveries, and its tenant's events. */
export const PORTAL_ROUTES: ReadonlySet<string> = new Set(ROUTES.filter((route) => route.portal).map(routeKey));
