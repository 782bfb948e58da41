import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { candidateKeys, kindOf, lookupItem, needsLookup, timedEventKey } from "../../functions/adapters/dynamo/event-keys.ts";
import { keys, TENANT_EVENT_SHARDS } from "../../functions/adapters/dynamo/table-design.ts";
import { eventIdForKey, idTime, newId } from "../../functions/core/kernel/ids.ts";

const tenant = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
const time = fc.integer({ min: 0, max: 2 ** 48 - 1 });

describe("an event's key", () => {
  it("follows from tenant and id for any id newId makes, and gives the id and creation time back", () => {
    fc.assert(
      fc.property(tenant, time, (tenantId, ms) => {
        const id = newId("evt", ms);
        const createdAt = new Date(ms).toISOString();
        expect(idTime(id)).toBe(createdAt);
        expect(needsLookup({ id, createdAt })).toBe(false);
        const key = timedEventKey(tenantId, id);
        expect(key).toEqual(keys.listedEvent(tenantId, createdAt, id));
        // Back from the key: its sort key is `{createdAt}#{id}`, its partition one of the tenant's shards.
        const [at, ...rest] = String(key?.sk).split("#");
        expect([at, rest.join("#")]).toEqual([createdAt, id]);
        const shard = Number(String(key?.pk).slice(`TENANT#${tenantId}#EVENTS#`.length));
        expect(key?.pk).toBe(keys.tenantEventShard(tenantId, shard));
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(TENANT_EVENT_SHARDS);
        expect(candidateKeys(tenantId, id)[0]).toEqual(key);
      }),
    );
  });

  it("needs a lookup item for an id that does not spell the event's own time: any caller's id, any Idempotency-Key's", () => {
    fc.assert(
      fc.property(
        tenant,
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 60 }),
          fc.string({ minLength: 1, maxLength: 40 }).map((k) => eventIdForKey("default", k)),
          // A time-ordered id of another time than the event's.
          time.map((ms) => newId("evt", ms + 1)),
        ),
        time,
        (tenantId, id, ms) => {
          const createdAt = new Date(ms).toISOString();
          fc.pre(idTime(id) !== createdAt);
          expect(needsLookup({ id, createdAt })).toBe(true);
          const lookup = lookupItem({ tenantId, id, createdAt, expiresAt: 1 });
          expect(lookup).toEqual({ ...keys.event(tenantId, id), tenantId, id, createdAt, expiresAt: 1 });
          expect(kindOf(lookup, tenantId)).toBe("lookup");
          // Its event is found from it: the list's key of its own time.
          expect(keys.listedEvent(tenantId, String(lookup.createdAt), id).sk).toBe(`${createdAt}#${id}`);
          expect(candidateKeys(tenantId, id)).toContainEqual(keys.event(tenantId, id));
        },
      ),
    );
  });

  it("tells the list's items, lookup items and older formats apart, a legacy item only for its own tenant", () => {
    fc.assert(
      fc.property(tenant, tenant, fc.string({ minLength: 1, maxLength: 30 }), (tenantId, other, id) => {
        fc.pre(tenantId !== other);
        const body = { id, tenantId, type: "a", createdAt: "2026-01-01T00:00:00.000Z" };
        expect(kindOf({ ...keys.listedEvent(tenantId, body.createdAt, id), ...body }, tenantId)).toBe("listed");
        expect(kindOf({ ...keys.event(tenantId, id), ...body }, tenantId)).toBe("old");
        expect(kindOf({ ...keys.legacyEvent(id), ...body }, tenantId)).toBe("legacy");
        expect(kindOf({ ...keys.legacyEvent(id), ...body, tenantId: other }, tenantId)).toBe("other");
      }),
    );
  });
});
