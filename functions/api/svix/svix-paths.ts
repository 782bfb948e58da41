import type { SvixMethod } from "./svix-route.ts";

/*
 * What the router must know of the Svix face at start: each route's method and path, and the paths
 * any caller may read. The face itself (its routes, schemas and shapes, about 30 KB) is loaded on the
 * first /api/v1 request, so a deployment that never uses it keeps /v1's cold start. A test holds
 * this table to SVIX_ROUTES (svix-routes.ts), route for route.
 */

const APP = "/api/v1/app/{app_id}";
const ENDPOINT = `${APP}/endpoint/{endpoint_id}`;
const EVENT_TYPE = "/api/v1/event-type/{event_type_name}";

/** Every route of the Svix face as "METHOD path", in SVIX_ROUTES' order. */
export const SVIX_ROUTE_KEYS: readonly (readonly [SvixMethod, string])[] = [
  ["GET", "/api/v1/health"],
  ["GET", "/api/v1/openapi.json"],
  ["POST", "/api/v1/app"],
  ["GET", "/api/v1/app"],
  ["GET", APP],
  ["PATCH", APP],
  ["PUT", APP],
  ["DELETE", APP],
  ["POST", `${APP}/endpoint`],
  ["GET", `${APP}/endpoint`],
  ["GET", ENDPOINT],
  ["PATCH", ENDPOINT],
  ["PUT", ENDPOINT],
  ["DELETE", ENDPOINT],
  ["GET", `${ENDPOINT}/headers`],
  ["PUT", `${ENDPOINT}/headers`],
  ["PATCH", `${ENDPOINT}/headers`],
  ["GET", `${ENDPOINT}/secret`],
  ["POST", `${ENDPOINT}/secret/rotate`],
  ["POST", `${ENDPOINT}/recover`],
  ["POST", `${APP}/msg`],
  ["GET", `${APP}/msg`],
  ["POST", `${APP}/msg/expunge-all-contents`],
  ["GET", `${APP}/msg/{msg_id}`],
  ["DELETE", `${APP}/msg/{msg_id}/content`],
  ["GET", `${APP}/attempt/msg/{msg_id}`],
  ["GET", `${APP}/attempt/endpoint/{endpoint_id}`],
  ["POST", `${APP}/msg/{msg_id}/endpoint/{endpoint_id}/resend`],
  ["POST", "/api/v1/event-type"],
  ["GET", "/api/v1/event-type"],
  ["GET", EVENT_TYPE],
  ["PATCH", EVENT_TYPE],
  ["PUT", EVENT_TYPE],
  ["DELETE", EVENT_TYPE],
  ["GET", "/api/v1/background-task/{task_id}"],
  ["POST", "/api/v1/auth/app-portal-access/{app_id}"],
  ["POST", "/api/v1/auth/dashboard-access/{app_id}"],
];

/** The Svix face's routes any caller may read without a key. */
export const SVIX_PUBLIC_PATHS: ReadonlySet<string> = new Set(["/api/v1/health", "/api/v1/openapi.json"]);
