import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../kernel/clock.ts";
import { ApiError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import type { ApiKeyRecord } from "../kernel/model.ts";
import type { ApiKeyStore, Page } from "../kernel/ports.ts";
import { ensureTenant, type TenantDeps } from "../tenants/tenant-record.ts";
import {
  openCursor,
  type PortalClaims,
  portalCursorKey,
  portalSigningKey,
  sealCursor,
  signPortalToken,
  verifyPortalToken,
} from "./portal-sessions.ts";
import type { Principal } from "./principal.ts";

const KEY_FORMAT = /^hrk_(key_[0-9a-f]{28})\.([A-Za-z0-9_-]{43})$/;

export interface ApiKeyDeps extends TenantDeps {
  apiKeys: ApiKeyStore;
  clock: Clock;
}

/** An API key as the API lists it: never the key, never its hash. */
export type ApiKeyView = Omit<ApiKeyRecord, "keyHash">;

/** Creates a tenant key; the key itself is returned once and only its SHA-256 is stored. */
export async function createApiKey(deps: ApiKeyDeps, tenantId: string, name: string): Promise<{ view: ApiKeyView; key: string }> {
  const now = deps.clock.now();
  const id = newId("key", now.getTime());
  const key = `hrk_${id}.${randomBytes(32).toString("base64url")}`;
  const record: ApiKeyRecord = { id, tenantId, name, keyHash: sha256(key).toString("base64"), createdAt: now.toISOString() };
  await ensureTenant(deps, tenantId);
  await deps.apiKeys.put(record);
  return { view: keyView(record), key };
}

/** Lists every tenant key. */
export async function listApiKeys(deps: ApiKeyDeps, limit: number, cursor?: string): Promise<Page<ApiKeyView>> {
  const page = await deps.apiKeys.list(limit, cursor);
  return { items: page.items.map(keyView), nextCursor: page.nextCursor };
}

/** Revokes a key or answers 404. */
export async function deleteApiKey(deps: ApiKeyDeps, id: string): Promise<void> {
  if (!(await deps.apiKeys.delete(id))) throw new ApiError("not_found", `No API key ${id}`);
}

/** Checks presented credentials in constant time: the admin key, a tenant key, or nobody. */
export class Authenticator {
  private readonly adminHash: Buffer;
  private readonly apiKeys: ApiKeyStore;
  private readonly portalKey: Buffer;
  private readonly cursorKey: Buffer;

  constructor(adminKey: string, apiKeys: ApiKeyStore) {
    this.adminHash = sha256(adminKey);
    this.apiKeys = apiKeys;
    this.portalKey = portalSigningKey(adminKey);
    this.cursorKey = portalCursorKey(this.portalKey);
  }

  /** A list cursor sealed for a portal session's context (see `sealCursor`). */
  sealCursor(context: string, cursor: string): string {
    return sealCursor(this.cursorKey, context, cursor);
  }

  /** The cursor sealed for this context, or undefined. */
  openCursor(context: string, sealed: string): string | undefined {
    return openCursor(this.cursorKey, context, sealed);
  }

  /** A portal session's token for these claims. */
  signPortal(claims: PortalClaims): string {
    return signPortalToken(this.portalKey, claims);
  }

  /**
   * The portal session a token stands for, or nobody when it is tampered with, expired, signed under
   * another admin key, or opened with a tenant key that has since been revoked.
   */
  async authenticatePortal(token: string, now: Date): Promise<Principal | undefined> {
    const claims = verifyPortalToken(this.portalKey, token, now);
    if (!claims) return undefined;
    if (claims.keyId !== undefined) {
      const issuer = await this.apiKeys.get(claims.keyId);
      if (issuer?.tenantId !== claims.tenantId) return undefined;
    }
    return { kind: "portal", tenantId: claims.tenantId, ...(claims.endpointIds && { endpointIds: claims.endpointIds }) };
  }

  async authenticate(presented: string): Promise<Principal | undefined> {
    const hash = sha256(presented);
    if (timingSafeEqual(hash, this.adminHash)) return { kind: "admin" };
    const match = KEY_FORMAT.exec(presented);
    if (!match) return undefined;
    const record = await this.apiKeys.get(match[1] as string);
    if (!record) return undefined;
    const stored = Buffer.from(record.keyHash, "base64");
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return undefined;
    return { kind: "tenant", tenantId: record.tenantId, keyId: record.id };
  }
}

function keyView(record: ApiKeyRecord): ApiKeyView {
  const { keyHash: _hash, ...view } = record;
  return view;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
