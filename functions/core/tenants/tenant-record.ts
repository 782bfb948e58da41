import type { Clock } from "../kernel/clock.ts";
import { ApiError } from "../kernel/errors.ts";
import type { TenantRecord } from "../kernel/model.ts";
import type { TenantStore } from "../kernel/ports.ts";

/*
 * What every request of a tenant may need of its record: that it exists (written on the tenant's
 * first endpoint, key or session) and that its deletion has not begun. Apart from tenants.ts, whose
 * request schemas only the tenant routes read, so that the API's authentication does not build them
 * at every cold start.
 */

export interface TenantDeps {
  tenants: TenantStore;
  clock: Clock;
  /** The delivery queue's retention: a tenant's retention must outlast it. @default that of the default schedule */
  queueRetentionSeconds?: number;
}

/**
 * The tenant's record, writing one first when the tenant has none (its first endpoint, key or
 * session): one conditional write the first time, one read after.
 */
export async function ensureTenant(deps: TenantDeps, id: string): Promise<TenantRecord> {
  const found = await liveTenant(deps, id);
  if (found) return found;
  const now = deps.clock.now().toISOString();
  const record: TenantRecord = { id, metadata: {}, createdAt: now, updatedAt: now, revision: 0 };
  if (await deps.tenants.create(record)) return record;
  // Another request wrote it between the read and the write: theirs stands.
  return (await deps.tenants.get(id)) ?? record;
}

/** The tenant's record, if it has one; 410 tenant_deleted once its deletion began (one read answers both). */
export async function liveTenant(deps: { tenants: Pick<TenantStore, "status"> }, id: string): Promise<TenantRecord | undefined> {
  const { record, deletion } = await deps.tenants.status(id);
  if (deletion) throw deletedError(id);
  return record;
}

/** 410 tenant_deleted: the tenant's deletion began, and nothing of it is written or shown again. */
export function deletedError(id: string): ApiError {
  return new ApiError("tenant_deleted", `Tenant ${id} is deleted (see GET /v1/tenants/${id}/deletion)`);
}
