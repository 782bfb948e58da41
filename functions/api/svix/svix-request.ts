import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type * as v from "valibot";
import type { Principal } from "../../core/access/principal.ts";
import { getEndpoint } from "../../core/endpoints/endpoints.ts";
import { expiresAt } from "../../core/kernel/clock.ts";
import { ApiError, invalidField } from "../../core/kernel/errors.ts";
import type { Endpoint, EventRecord, TenantRecord } from "../../core/kernel/model.ts";
import { parse } from "../../core/requests/validation.ts";
import { IDEMPOTENCY_SECONDS, live } from "../../core/svix/memo.ts";
import { tenantsNamedBy } from "../../core/svix/svix-ids.ts";
import { liveTenant } from "../../core/tenants/tenant-record.ts";
import type { ApiDeps } from "../api-deps.ts";
import { header, jsonBody, pathParam, query } from "../request.ts";
import type { SvixRoute } from "./svix-route.ts";

/*
 * What every route of the Svix face reads from a request: the app, endpoint or message a path
 * names (by id or uid, within what the caller may see), the body checked, and the idempotency key.
 */

/** The body, parsed with a Svix input schema; a wrong field is a 422 naming it. */
export function svixBody<S extends v.GenericSchema>(
  e: APIGatewayProxyEventV2,
  deps: Pick<ApiDeps, "maxBodyBytes">,
  schema: S,
): v.InferOutput<S> {
  return parse(schema, e.body ? jsonBody(e, deps.maxBodyBytes) : {});
}

/**
 * The tenant a path's `{app_id}` names (its id or uid). A tenant key reaches only its own: any
 * other app is not found, without reading it, so a key learns nothing of other tenants.
 */
export async function appOf(deps: Pick<ApiDeps, "tenants">, caller: Principal, e: APIGatewayProxyEventV2): Promise<TenantRecord> {
  const named = pathParam(e, "app_id");
  const candidates = tenantsNamedBy(named).filter((t) => caller.kind === "admin" || t === caller.tenantId);
  for (const tenantId of candidates) {
    // A deleted app is 410: nothing of it is shown again.
    const record = await liveTenant(deps, tenantId);
    if (record) return record;
  }
  throw new ApiError("not_found", `No application ${named}`);
}

/** An endpoint the Svix face shows: one with a URL (polling endpoints and other kinds are left out). */
export function hasUrl(endpoint: Pick<Endpoint, "kind" | "url">): boolean {
  return (endpoint.kind ?? "webhook") === "webhook" && endpoint.url !== "";
}

/**
 * The tenant's endpoint a path's `{endpoint_id}` names: its id, or its uid. A uid is found among the
 * tenant's endpoints, which MAX_ENDPOINTS_PER_TENANT bounds.
 */
export async function endpointOf(deps: ApiDeps, tenantId: string, e: APIGatewayProxyEventV2): Promise<Endpoint> {
  return endpointNamed(deps, tenantId, pathParam(e, "endpoint_id"));
}

/** The tenant's endpoint `named` names (its id or its uid, as a path's or a query's `endpoint_id`); 404 when none. */
export async function endpointNamed(deps: ApiDeps, tenantId: string, named: string): Promise<Endpoint> {
  // An id first; a uid may also start with ep_ (an endpoint imported from Svix keeps its Svix id as uid).
  const byId = named.startsWith("ep_")
    ? await getEndpoint(deps, named, tenantId).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === "not_found") return undefined;
        throw error;
      })
    : undefined;
  const found = byId ?? (await endpointByUid(deps, tenantId, named));
  if (!found || !hasUrl(found)) throw new ApiError("not_found", `No endpoint ${named}`);
  return found;
}

/** The tenant's endpoint of that uid, if any. */
export async function endpointByUid(deps: Pick<ApiDeps, "endpoints">, tenantId: string, uid: string): Promise<Endpoint | undefined> {
  let cursor: string | undefined;
  do {
    const page = await deps.endpoints.listByTenant(tenantId, 100, cursor);
    const found = page.items.find((endpoint) => endpoint.uid === uid);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return undefined;
}

/** The memo entry naming a message id's event. */
export const messageEntry = (messageId: string) => `msg#${messageId}`;

/** The tenant's event a path's `{msg_id}` names: its event id, or the `msg_` id it was created with here. */
export async function messageOf(deps: ApiDeps, tenantId: string, e: APIGatewayProxyEventV2): Promise<EventRecord> {
  const named = pathParam(e, "msg_id");
  let event = await deps.events.get(tenantId, named);
  if (!event && named.startsWith("msg_")) {
    const eventId = live(await deps.svixMemo.recall(tenantId, messageEntry(named)), deps.clock.now());
    event = eventId === undefined ? undefined : await deps.events.get(tenantId, eventId);
  }
  if (!event) throw new ApiError("not_found", `No message ${named}`);
  return event;
}

/**
 * Refuses a Svix list filter this face cannot apply (messages here have no channels or tags): a
 * filter silently ignored would answer more than was asked for. 400 naming the parameter.
 */
export function refuseFilters(e: APIGatewayProxyEventV2, names: readonly string[]): void {
  for (const name of names) {
    const value = query(e, name);
    if (value !== undefined && value !== "" && value !== "false")
      throw invalidField(name, "is a Svix filter hookrelay cannot apply here (see docs/svix.md)");
  }
}

/** `with_content`: true unless `false` (2.x sends `false` on lists). */
export function withContent(e: APIGatewayProxyEventV2): boolean {
  const raw = query(e, "with_content");
  if (raw !== undefined && raw !== "true" && raw !== "false") throw invalidField("with_content", "must be true or false");
  return raw !== "false";
}

/** The `idempotency-key` header, checked as /v1 checks it. */
export function svixIdempotencyKey(e: APIGatewayProxyEventV2): string | undefined {
  const key = header(e, "idempotency-key");
  if (key !== undefined && (key.length < 1 || key.length > 255)) throw invalidField("idempotency-key", "must be 1 to 255 characters");
  return key;
}

/** Whose keys an idempotency key lives among: the admin's, or one tenant key's tenant. */
const keyScope = (caller: Principal) => (caller.kind === "admin" ? "admin" : `tenant#${caller.tenantId}`);

/**
 * A POST made idempotent: a repeat of its `idempotency-key` (same caller, method and path) within
 * 12 hours answers what the first call answered, with `idempotent-replayed: true`. Only successes
 * are kept, so a repeat of a failed call runs again, as Svix's SDKs expect when they retry a 5xx.
 * Two calls racing with one key may both run; the first answer stored is the one repeats get.
 */
export function idempotent(handler: SvixRoute["handler"]): SvixRoute["handler"] {
  return async (e, caller, deps, authenticator) => {
    const key = svixIdempotencyKey(e);
    if (key === undefined) return handler(e, caller, deps, authenticator);
    const name = `idem#${e.requestContext.http.method} ${e.rawPath}#${key}`;
    const stored = live(await deps.svixMemo.recall(keyScope(caller), name), deps.clock.now());
    if (stored !== undefined) return replayed(stored);
    const response = await handler(e, caller, deps, authenticator);
    const status = response.statusCode ?? 200;
    if (status < 200 || status > 299) return response;
    const kept = JSON.stringify({ statusCode: status, body: response.body ?? "" });
    const first = await deps.svixMemo.remember(keyScope(caller), name, kept, expiresAt(deps.clock.now(), IDEMPOTENCY_SECONDS / 86_400));
    return first === kept ? response : replayed(first);
  };
}

function replayed(stored: string): APIGatewayProxyStructuredResultV2 {
  const { statusCode, body } = JSON.parse(stored) as { statusCode: number; body: string };
  const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff", "idempotent-replayed": "true" };
  return { statusCode, headers: body ? { ...headers, "content-type": "application/json" } : headers, body };
}
