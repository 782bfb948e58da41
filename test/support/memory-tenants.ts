import type { TenantDeletion, TenantRecord } from "../../functions/core/kernel/model.ts";
import type { TenantStore } from "../../functions/core/kernel/ports.ts";
import type { TenantDeletionStore } from "../../functions/core/lifecycle/tenant-deletion.ts";
import type { MemoEntry, SvixMemo } from "../../functions/core/svix/memo.ts";

/** Tenant records in a map, listed oldest first as the table's index lists them; the revision checked as the table's condition does. */
export class MemoryTenantStore implements TenantStore, TenantDeletionStore {
  readonly items = new Map<string, TenantRecord>();
  readonly deletions = new Map<string, TenantDeletion>();
  /** Reads of status(), counted to show the cache bounds them. */
  statusReads = 0;
  async status(id: string) {
    this.statusReads++;
    const record = this.items.get(id);
    const deletion = this.deletions.get(id);
    return { ...(record && { record: structuredClone(record) }), ...(deletion && { deletion: structuredClone(deletion) }) };
  }
  async startDeletion(deletion: TenantDeletion) {
    const standing = this.deletions.get(deletion.tenantId);
    if (standing) return structuredClone(standing);
    this.deletions.set(deletion.tenantId, structuredClone(deletion));
    return deletion;
  }
  async saveDeletion(deletion: TenantDeletion, seen: string) {
    if (this.deletions.get(deletion.tenantId)?.updatedAt !== seen) return false;
    this.deletions.set(deletion.tenantId, structuredClone(deletion));
    return true;
  }
  async pendingDeletions(limit: number) {
    const pending = [...this.deletions.values()].filter((d) => d.state === "removing");
    return structuredClone(pending.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).slice(0, limit));
  }
  async get(id: string) {
    const found = this.items.get(id);
    return found && structuredClone(found);
  }
  async create(tenant: TenantRecord) {
    if (this.items.has(tenant.id)) return false;
    this.items.set(tenant.id, structuredClone({ ...tenant, revision: 0 }));
    return true;
  }
  async replace(tenant: TenantRecord) {
    if (this.items.get(tenant.id)?.revision !== tenant.revision) return false;
    this.items.set(tenant.id, structuredClone({ ...tenant, revision: tenant.revision + 1 }));
    return true;
  }
  async delete(id: string) {
    return this.items.delete(id);
  }
  async list(limit: number, cursor?: string) {
    const sorted = [...this.items.values()].sort((a, b) => `${a.createdAt}#${a.id}`.localeCompare(`${b.createdAt}#${b.id}`));
    const start = cursor ? Number(cursor) : 0;
    const items = sorted.slice(start, start + limit);
    return { items: structuredClone(items), nextCursor: start + limit < sorted.length ? String(start + limit) : undefined };
  }
}

/** The Svix face's memo in memory: first write of a name stands. */
export class MemorySvixMemo implements SvixMemo {
  readonly items = new Map<string, MemoEntry>();
  async remember(scope: string, name: string, value: string, expiresAt: number) {
    const key = `${scope}\u0000${name}`;
    if (!this.items.has(key)) this.items.set(key, { value, expiresAt });
    return (this.items.get(key) as MemoEntry).value;
  }
  async recall(scope: string, name: string) {
    return this.items.get(`${scope}\u0000${name}`);
  }
}
