import type { Principal } from "../access/principal.ts";
import type { Endpoint } from "../kernel/model.ts";
import type { PushConnection, PushCredential, PushDeps } from "./deps.ts";
import { CLOSE, PushCloseError, presentedCredentials } from "./protocol.ts";

/*
 * Who may subscribe to what, checked at subscribe with the API's own Authenticator, and again every
 * RECHECK_MS while the connection lives: a revoked key, an expired portal session, a deleted,
 * disabled or converted endpoint close it. The key itself is never kept; only what names it.
 */

/** The principal a subscribe's `authorization` stands for, and the credential to check it by later; 4401 when nobody. */
export async function authenticateSubscribe(
  deps: Pick<PushDeps, "authenticator" | "clock">,
  authorization: string,
): Promise<{ principal: Principal; credential: PushCredential }> {
  const presented = presentedCredentials(authorization);
  if (presented === undefined) throw new PushCloseError(CLOSE.unauthorized, "authorization must be `Bearer <key>` or `Portal <token>`");
  const authenticator = await deps.authenticator();
  const principal =
    presented.kind === "bearer"
      ? await authenticator.authenticate(presented.key)
      : await authenticator.authenticatePortal(presented.token, deps.clock.now());
  if (principal === undefined) throw new PushCloseError(CLOSE.unauthorized, "The key or portal session is not valid");
  if (principal.kind === "admin") return { principal, credential: { kind: "admin" } };
  if (principal.kind === "tenant") return { principal, credential: { kind: "tenant", keyId: principal.keyId } };
  // The token was verified just now; its claims say until when, and by which key, it was opened.
  const claims = portalClaims(presented.kind === "portal" ? presented.token : "");
  return {
    principal,
    credential: {
      kind: "portal",
      expiresAtMs: claims.expiresAt * 1000,
      ...(claims.keyId !== undefined && { keyId: claims.keyId }),
      ...(principal.endpointIds !== undefined && { endpointIds: principal.endpointIds }),
    },
  };
}

/** The claims of a portal token that was verified (portal-sessions.ts makes and checks them). */
function portalClaims(token: string): { expiresAt: number; keyId?: string } {
  const payload = token.slice(4, token.indexOf("."));
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { expiresAt: number; keyId?: string };
}

/**
 * The endpoint a subscription may follow: one of the caller's tenant (4404 otherwise, as the API
 * answers another tenant's endpoint), in a limited portal session's set (4404), a polling endpoint
 * (4409) and enabled (4403).
 */
export async function endpointFor(
  deps: Pick<PushDeps, "endpoints" | "tenantStatus">,
  endpointId: string,
  confinedTo: string | undefined,
  credential: PushCredential,
): Promise<Endpoint> {
  const endpoint = await deps.endpoints.get(endpointId);
  const limited = credential.kind === "portal" && credential.endpointIds !== undefined && !credential.endpointIds.includes(endpointId);
  if (!endpoint || (confinedTo !== undefined && endpoint.tenantId !== confinedTo) || limited) {
    throw new PushCloseError(CLOSE.notFound, `No endpoint ${endpointId}`);
  }
  if (endpoint.kind !== "polling") {
    throw new PushCloseError(CLOSE.notPolling, `Endpoint ${endpointId} delivers by POST; only a polling endpoint has a feed`);
  }
  if (!endpoint.enabled) throw new PushCloseError(CLOSE.forbidden, `Endpoint ${endpointId} is disabled`);
  // A deleted tenant's endpoints are gone to every reader from its tombstone on, before their items are removed.
  if ((await deps.tenantStatus.statusOf(endpoint.tenantId)).deleted) throw new PushCloseError(CLOSE.notFound, `No endpoint ${endpointId}`);
  return endpoint;
}

/** Checks a live subscription again: its key not revoked, its portal session not expired, its endpoint still one it may follow. */
export async function recheck(
  deps: Pick<PushDeps, "apiKeys" | "endpoints" | "clock" | "tenantStatus">,
  connection: PushConnection,
): Promise<Endpoint> {
  const subscription = connection.subscription;
  if (!subscription) throw new PushCloseError(CLOSE.unauthorized, "Not subscribed");
  const { credential, tenantId } = subscription;
  if (credential.kind === "portal" && credential.expiresAtMs <= deps.clock.now().getTime()) {
    throw new PushCloseError(CLOSE.unauthorized, "The portal session expired");
  }
  const keyId = credential.kind === "admin" ? undefined : credential.keyId;
  if (keyId !== undefined && (await deps.apiKeys.get(keyId))?.tenantId !== tenantId) {
    throw new PushCloseError(CLOSE.unauthorized, "The key was revoked");
  }
  return endpointFor(deps, subscription.endpointId, credential.kind === "admin" ? undefined : tenantId, credential);
}
