import { api, currentPortal } from "./api.ts";
import { current } from "./router.ts";

/** Who the key belongs to: the admin (every tenant) or one tenant, through a key or a portal session. */
export interface Who {
  admin: boolean;
  portal?: boolean;
  /** A portal session limited to these endpoints: it may not create one nor replay to every endpoint. */
  endpointIds?: string[];
}

let who: Who | undefined;

/** Finds out whether the key is the admin's: only the admin may list API keys. */
export async function identify(): Promise<Who> {
  try {
    await api("GET", "v1/api-keys?limit=1");
    who = { admin: true };
  } catch (error) {
    if ((error as { status?: number }).status !== 403) throw error;
    who = { admin: false };
  }
  return who;
}

/** Checks a portal session by reading through it: an expired or altered token answers 401. */
export async function identifyPortal(): Promise<Who> {
  await api("GET", "v1/endpoints?limit=1");
  const endpointIds = scopeOf(currentPortal() ?? "");
  who = { admin: false, portal: true, ...(endpointIds && { endpointIds }) };
  return who;
}

/** True for a portal session limited to some endpoints: the page hides what such a session may not do. */
export function limited(): boolean {
  return who?.endpointIds !== undefined;
}

/**
 * The endpoints a portal token names, read from its claims (`hrp_<base64url JSON>.<mac>`). The server
 * has just accepted the token and enforces the limit on every route; the page reads it only to decide
 * what to show, and an unreadable one shows as limited to nothing.
 */
function scopeOf(token: string): string[] | undefined {
  try {
    const payload = token.slice("hrp_".length).split(".")[0] ?? "";
    const ids = (JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { endpointIds?: unknown }).endpointIds;
    return Array.isArray(ids) ? ids.map(String) : undefined;
  } catch {
    return [];
  }
}

/** The identity found at sign-in. */
export function whoami(): Who | undefined {
  return who;
}

/** Forgets the identity. */
export function forget(): void {
  who = undefined;
}

/** The tenant the admin is looking at (`tenant` in the URL); a tenant key's requests carry none. */
export function tenantParam(): string | undefined {
  return who?.admin ? (current().params.get("tenant") ?? "default") : undefined;
}
