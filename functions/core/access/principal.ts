import { ApiError, invalidField } from "../kernel/errors.ts";

/** RFC 6750's b64token: what a key presented as `Bearer <key>` may be made of. */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Who is calling: the admin (every tenant), a tenant key (its own tenant only) or a portal session (part of one tenant). */
export type Principal =
  | { kind: "admin" }
  | { kind: "tenant"; tenantId: string; keyId: string }
  | { kind: "portal"; tenantId: string; endpointIds?: readonly string[] };

/** The tenant a request acts in: a tenant key's own, or what the admin asked for (default "default"). */
export function actingTenant(principal: Principal, requested: string | undefined): string {
  if (principal.kind === "admin") return requested ?? "default";
  if (requested !== undefined && requested !== principal.tenantId) {
    throw invalidField("tenantId", `must be this key's own tenant, ${principal.tenantId}, or left out`, "forbidden", {
      tenantId: principal.tenantId,
    });
  }
  return principal.tenantId;
}

/** The tenant a principal is confined to, or undefined for the admin. */
export function confinedTenant(principal: Principal): string | undefined {
  return principal.kind === "admin" ? undefined : principal.tenantId;
}

/** True when a resource of `tenantId` exists for this caller; another tenant's resource is "not found". */
export function canSee(confined: string | undefined, tenantId: string): boolean {
  return confined === undefined || confined === tenantId;
}

/** Throws 403 unless the caller holds the admin key. */
export function requireAdmin(principal: Principal, what = "manage API keys"): void {
  if (principal.kind !== "admin") throw new ApiError("forbidden", `Only the admin key may ${what}`);
}
