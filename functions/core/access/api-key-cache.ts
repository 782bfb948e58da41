import type { Clock } from "../kernel/clock.ts";
import type { ApiKeyRecord } from "../kernel/model.ts";
import type { ApiKeyStore, Page } from "../kernel/ports.ts";

/**
 * How long a container trusts a tenant key it has read: a key revoked through another container
 * stops working here at most this long after the revocation's 204 (docs/performance.md, Caches).
 */
export const API_KEY_CACHE_SECONDS = 10;

/** The most keys one container keeps; past it the oldest read is forgotten first. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Tenant keys as the authenticator reads them: a key found is kept for `ttlSeconds` per container,
 * so a busy caller costs one DynamoDB read per key per bound rather than one per request. Only what
 * was found is kept: a key created through another container works here at once, and a wrong key id
 * is read again each time, as before. The presented secret is still hashed and compared on every
 * request. Revoking or writing a key through this container forgets it here at once.
 */
export class CachedApiKeyStore implements ApiKeyStore {
  private readonly entries = new Map<string, { record: ApiKeyRecord; until: number }>();
  private readonly store: ApiKeyStore;
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(store: ApiKeyStore, clock: Clock, ttlSeconds = API_KEY_CACHE_SECONDS) {
    this.store = store;
    this.clock = clock;
    this.ttlMs = ttlSeconds * 1000;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    // Read before the store is asked: a revocation this read misses is older than the read, so the
    // entry it makes lasts at most the TTL past that revocation.
    const readAt = this.clock.now().getTime();
    const hit = this.entries.get(id);
    if (hit && hit.until > readAt) return hit.record;
    this.entries.delete(id);
    const record = await this.store.get(id);
    if (record) {
      if (this.entries.size >= MAX_CACHED_KEYS) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(id, { record, until: readAt + this.ttlMs });
    }
    return record;
  }

  put(key: ApiKeyRecord): Promise<void> {
    this.entries.delete(key.id);
    return this.store.put(key);
  }

  async delete(id: string): Promise<boolean> {
    this.entries.delete(id);
    const deleted = await this.store.delete(id);
    // A read of this container that was in flight during the delete may have put the key back.
    this.entries.delete(id);
    return deleted;
  }

  list(limit: number, cursor?: string): Promise<Page<ApiKeyRecord>> {
    return this.store.list(limit, cursor);
  }
}
