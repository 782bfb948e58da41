import { api } from "./api.ts";
import { current } from "./router.ts";

/** Who the key belongs to: the admin (every tenant) or one tenant, through a key or a portal session. */
export interface Who {
  admin: boolean;
  portal?: boolean;
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
  who = { admin: false, portal: true };
  return who;
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
