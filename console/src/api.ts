/** The API client: same origin, the key in an Authorization header, errors as the API words them. */

import type { Answer, ErrorBody, ErrorCode } from "./types.ts";

const KEY_ITEM = "hookrelay.key";
const PORTAL_ITEM = "hookrelay.portal";

/** What failed: a code of the API document, or the page's own (no answer; an answer without the error shape). */
export type FailureCode = ErrorCode | "network" | "http_error";

/** An API error: its status, stable code and message. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: FailureCode;
  constructor(status: number, code: FailureCode, message: string) {
    super(message);
    this.name = "ApiFailure";
    this.status = status;
    this.code = code;
  }
}

// Kept for the tab only: sessionStorage dies with the tab, and the key never goes into a URL.
let key: string | undefined = sessionStorage.getItem(KEY_ITEM) ?? undefined;

// A portal session's token, taken from the fragment the link carried; kept for the tab like a key.
let portal: string | undefined = sessionStorage.getItem(PORTAL_ITEM) ?? undefined;

/** The key in use, if any. */
export function currentKey(): string | undefined {
  return key;
}

/** The portal session in use, if any. */
export function currentPortal(): string | undefined {
  return portal;
}

/** True on the portal's page, which acts only with a portal session; the console acts only with a key. */
export function onPortalPage(): boolean {
  return location.pathname.replace(/\/+$/, "").endsWith("/portal");
}

/**
 * Keeps a portal session's token for this tab. The key, if the tab holds one, stays: each page sends
 * only its own credential, so opening a portal link never signs an operator out of the console.
 */
export function openPortal(token: string): void {
  portal = token;
  sessionStorage.setItem(PORTAL_ITEM, token);
}

/** Keeps the key for this tab. */
export function signIn(value: string): void {
  key = value;
  sessionStorage.setItem(KEY_ITEM, value);
}

/** Forgets the key. */
export function signOut(): void {
  key = undefined;
  sessionStorage.removeItem(KEY_ITEM);
}

/** Calls the API: `path` is relative to the API root (e.g. `v1/endpoints`). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, apiRoot()), {
      method,
      headers: {
        ...credential(),
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiFailure(0, "network", "The API did not answer; check the connection and retry");
  }
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed as Partial<ErrorBody> | undefined)?.error;
    throw new ApiFailure(
      response.status,
      (error?.code as ErrorCode | undefined) ?? "http_error",
      error?.message ?? `The API answered ${response.status}`,
    );
  }
  return parsed as T;
}

/** The page's own credential: the portal session on the portal's page, the key on the console. */
function credential(): { authorization?: string } {
  if (onPortalPage()) return portal ? { authorization: `Portal ${portal}` } : {};
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** The page's credential as the WebSocket push's subscribe frame carries it (never in a URL). */
export function authorization(): string | undefined {
  return credential().authorization;
}

let healthSeen: Promise<Answer<"/v1/health", "get"> | undefined> | undefined;

/** GET /v1/health, asked once per page load (again after a failure): where the feed and the push are. */
function health(): Promise<Answer<"/v1/health", "get"> | undefined> {
  healthSeen ??= api<Answer<"/v1/health", "get">>("GET", "v1/health").catch(() => {
    healthSeen = undefined;
    return undefined;
  });
  return healthSeen;
}

/**
 * Where a polling endpoint's feed is read: the `feedUrl` GET /v1/health tells (the feed function's
 * own URL, behind `frontDoor: "function-url"`), or this API's own root.
 */
export async function feedRoot(): Promise<string> {
  const feedUrl = (await health())?.feedUrl;
  return feedUrl ? feedUrl.replace(/\/*$/, "/") : apiRoot().href;
}

/** The WebSocket push's URL GET /v1/health tells (`websocketUrl`); undefined when the stack has none. */
export async function websocketUrl(): Promise<string | undefined> {
  return (await health())?.websocketUrl ?? undefined;
}

/** Builds `path?query` from parameters, leaving out empty ones. */
export function withQuery(path: string, params: Record<string, string | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The API root: the console is served at `<root>/console`. */
function apiRoot(): URL {
  return new URL(".", location.href);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
