import { SETTINGS } from "../config/settings.ts";
import type { SignatureHeaderStyle } from "../endpoints/signature-headers.ts";
import type { Clock } from "../kernel/clock.ts";
import { invalidFields } from "../kernel/errors.ts";
import type { TenantStore } from "../kernel/ports.ts";
import { parseRetrySchedule, queueRetentionSeconds } from "../policy/retry-schedule.ts";

/*
 * Retention per tenant. LOG_RETENTION_DAYS is the default; a tenant's record may override it
 * (`settings.retentionDays`). Items take their `expiresAt` when written, so a change applies to what
 * is written after it. Writers read a tenant's settings through TenantStatusCache: one read of the
 * tenant's partition per tenant per TENANT_STATUS_CACHE_SECONDS per container, so a change (and a
 * deletion's tombstone) reaches every writer within that bound.
 */

const DAY = 86_400;
/** How long a container trusts what it read of a tenant: a change of retention or a tombstone is seen within it. */
export const TENANT_STATUS_CACHE_SECONDS = 30;
/** The most a tenant's retention may be: the setting's own maximum. */
export const MAX_RETENTION_DAYS: number = SETTINGS.logRetentionDays.max;

/**
 * The shortest retention a tenant may have: the longest retry window any endpoint may be given (the
 * delivery queue's retention less a day) plus a day, in whole days, so no delivery outlives its event.
 */
export function minRetentionDays(queueRetention = queueRetentionSeconds(parseRetrySchedule(SETTINGS.retrySchedule.default))): number {
  return Math.ceil(queueRetention / DAY);
}

/** Throws a 422 naming `settings.retentionDays` when it lies outside [minRetentionDays, MAX_RETENTION_DAYS]. */
export function checkRetentionDays(days: number | null | undefined, queueRetention?: number): void {
  if (days === null || days === undefined) return;
  const min = minRetentionDays(queueRetention);
  if (days < min || days > MAX_RETENTION_DAYS) {
    throw invalidFields([
      {
        path: "settings.retentionDays",
        message: `must be ${min} to ${MAX_RETENTION_DAYS} days (the longest retry window plus a day, up to LOG_RETENTION_DAYS' maximum)`,
        min,
        max: MAX_RETENTION_DAYS,
      },
    ]);
  }
}

/** What a writer needs to know of a tenant. */
export interface TenantStatus {
  /** Days its items are kept: its own setting, or LOG_RETENTION_DAYS. */
  retentionDays: number;
  /** Its endpoints' signature header names where an endpoint chooses none; undefined: SIGNATURE_HEADERS. */
  signatureHeaders?: SignatureHeaderStyle;
  /** True once its deletion began (the tombstone): nothing more of it is written, read or sent. */
  deleted: boolean;
}

/** Reads a tenant's status; the cache below is the one implementation in production. */
export interface TenantStatusReader {
  statusOf(tenantId: string): Promise<TenantStatus>;
  /** Forgets what was read of the tenant: the container that changed it sees the change at once. */
  forget(tenantId: string): void;
}

/**
 * A tenant's status, cached per container for `ttlSeconds`. One read per tenant per bound: intake
 * and delivery call it per message without adding a read per message.
 */
export class TenantStatusCache implements TenantStatusReader {
  private readonly cache = new Map<string, { until: number; status: Promise<TenantStatus> }>();
  private readonly store: Pick<TenantStore, "status">;
  private readonly clock: Clock;
  private readonly defaultDays: number;
  private readonly ttlSeconds: number;

  constructor(store: Pick<TenantStore, "status">, clock: Clock, defaultDays: number, ttlSeconds = TENANT_STATUS_CACHE_SECONDS) {
    this.store = store;
    this.clock = clock;
    this.defaultDays = defaultDays;
    this.ttlSeconds = ttlSeconds;
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  statusOf(tenantId: string): Promise<TenantStatus> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > now) return hit.status;
    const status = this.store.status(tenantId).then(({ record, deletion }) => ({
      retentionDays: record?.settings?.retentionDays ?? this.defaultDays,
      ...(record?.settings?.signatureHeaders !== undefined && { signatureHeaders: record.settings.signatureHeaders }),
      deleted: deletion !== undefined,
    }));
    // A failed read is not kept: the next call reads again.
    status.catch(() => this.cache.delete(tenantId));
    // Bounded: a container serving many tenants forgets the oldest first.
    if (this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(tenantId, { until: now + this.ttlSeconds * 1000, status });
    return status;
  }
}

/** The status of each distinct tenant among `tenantIds`, leaving out the deleted ones (one cached read per tenant). */
export async function liveTenants(reader: TenantStatusReader, tenantIds: readonly string[]): Promise<Map<string, TenantStatus>> {
  const distinct = [...new Set(tenantIds)];
  const statuses = await Promise.all(distinct.map((t) => reader.statusOf(t)));
  return new Map(distinct.flatMap((t, i) => (statuses[i]?.deleted ? [] : [[t, statuses[i] as TenantStatus]])));
}
