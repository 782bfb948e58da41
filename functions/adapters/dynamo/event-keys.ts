/**
 * Where an event is kept (table-design.ts): in its tenant's list, under a key its id names by itself
 * when the id spells the event's creation time (made by `newId`), else found through a lookup item.
 */
import { idTime } from "../../core/kernel/ids.ts";
import { keys } from "./table-design.ts";

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** The key a time-ordered id names by itself in the tenant's list; undefined for an id of another shape. */
export function timedEventKey(tenantId: string, id: string): Key | undefined {
  const at = idTime(id);
  return at === undefined ? undefined : keys.listedEvent(tenantId, at, id);
}

/** Whether an event needs a lookup item: its id does not spell its own creation time, so its key does not follow from the id. */
export function needsLookup(event: { id: string; createdAt: string }): boolean {
  return idTime(event.id) !== event.createdAt;
}

/** The keys one read tries for an event id: the timed key (if the id has a time), the lookup item (or an event from before the list), the oldest format. */
export function candidateKeys(tenantId: string, id: string): Key[] {
  const timed = timedEventKey(tenantId, id);
  return [...(timed ? [timed] : []), keys.event(tenantId, id), keys.legacyEvent(id)];
}

/** The lookup item of an event whose id is not time-ordered: only what names its key, and its TTL. */
export function lookupItem(event: { tenantId: string; id: string; createdAt: string; expiresAt?: number }): Item {
  const { tenantId, id, createdAt, expiresAt } = event;
  return { ...keys.event(tenantId, id), tenantId, id, createdAt, ...(expiresAt !== undefined && { expiresAt }) };
}

/** What an item read at one of `candidateKeys` is: the event in the list, a lookup item, or an event in an older format. */
export function kindOf(item: Item, tenantId: string): "listed" | "lookup" | "old" | "legacy" | "other" {
  if (item.sk === keys.legacyEvent(String(item.id)).sk) return item.tenantId === tenantId ? "legacy" : "other";
  if (item.sk === keys.event(tenantId, String(item.id)).sk && item.pk === keys.event(tenantId, String(item.id)).pk) {
    // An event always has a type; a lookup item holds none.
    return item.type === undefined ? "lookup" : "old";
  }
  return "listed";
}
