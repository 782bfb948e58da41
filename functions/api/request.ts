import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { actingTenant, B64TOKEN, type Principal } from "../core/access/principal.ts";
import { ApiError, invalidField } from "../core/kernel/errors.ts";
import { parse, TENANT_ID } from "../core/requests/parse.ts";

const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** The JSON body of a request: checked for size and media type, then parsed. */
export function jsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const raw = event.body ?? "";
  // A text body is measured and parsed as it is, without a copy into bytes and back; one with a lone
  // surrogate (never from a gateway, which sends what is not UTF-8 as base64) takes the round trip,
  // which reads it as U+FFFD, as it always has.
  const plain = !event.isBase64Encoded && raw.isWellFormed();
  const bytes = plain ? undefined : Buffer.from(raw, event.isBase64Encoded ? "base64" : "utf8");
  if ((bytes?.length ?? Buffer.byteLength(raw, "utf8")) > maxBytes) {
    throw invalidField("body", `must be at most ${maxBytes} bytes`, "payload_too_large", { limit: maxBytes });
  }
  const type = header(event, "content-type") ?? "";
  if (!JSON_MEDIA_TYPE.test(type)) {
    throw invalidField("content-type", "must be application/json: send the body as JSON", "unsupported_media_type");
  }
  try {
    return JSON.parse(bytes?.toString("utf8") ?? raw);
  } catch {
    throw invalidField("body", "is not valid JSON", "invalid_json");
  }
}

/** The JSON body when there is one, `{}` for an empty request (routes whose body is optional). */
export function optionalJsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  return event.body ? jsonBody(event, maxBytes) : {};
}

/** The tenant a request acts in: the admin names it with `?tenantId=` (default "default"), a tenant key acts in its own. */
export function queriedTenant(event: APIGatewayProxyEventV2, caller: Principal): string {
  const requested = query(event, "tenantId");
  return actingTenant(caller, requested === undefined ? undefined : parse(TENANT_ID, requested, "tenantId"));
}

/** A header by its lower-case name (API Gateway v2 lower-cases them). */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name] ?? undefined;
}

/** A query parameter. */
export function query(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.queryStringParameters?.[name] ?? undefined;
}

/** What a resource id in a path can be. */
export const RESOURCE_ID = /^[A-Za-z0-9_.\-:]{1,128}$/;

/** A resource id from the path; anything that cannot be one of our ids is simply not found. */
export function pathParam(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name] ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    decoded = "";
  }
  if (!RESOURCE_ID.test(decoded))
    throw new ApiError("not_found", `No such resource: ${name} names nothing here`, [{ path: name, message: "names nothing here" }]);
  return decoded;
}

/**
 * RFC 6750 credentials: the scheme (any case, as RFC 9110 says of schemes), one or more spaces, one
 * b64token. Nothing else: `\s` would also take a no-break space or a line separator for a space.
 */
const BEARER = new RegExp(`^Bearer +(${B64TOKEN.source.slice(1, -1)})$`, "i");

/**
 * The key presented as `Authorization: Bearer <key>`, if any. Spaces and tabs around the whole value
 * are HTTP's optional whitespace (RFC 9110 5.5), not part of it, so they are dropped first.
 */
export function bearerKey(event: APIGatewayProxyEventV2): string | undefined {
  return BEARER.exec((header(event, "authorization") ?? "").replace(/^[ \t]+|[ \t]+$/g, ""))?.[1];
}

const PORTAL = new RegExp(`^Portal +(${B64TOKEN.source.slice(1, -1)})$`, "i");

/** The portal session token presented as `Authorization: Portal <token>`, if any. */
export function portalToken(event: APIGatewayProxyEventV2): string | undefined {
  return PORTAL.exec((header(event, "authorization") ?? "").replace(/^[ \t]+|[ \t]+$/g, ""))?.[1];
}
