import type { TenantDeletion, TenantRecord } from "../../functions/core/kernel/model.ts";
import type { TenantStore } from "../../functions/core/kernel/ports.ts";

/** Tenant records in a map, listed oldest first as the table's index lists them; the revision checked as the table's condition does. */
export class MemoryTenantStore implements TenantStore {
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
